// One benchmark worker: a share of the simulated phones, each a real socket.io-client connection
// over WebSocket. Driven by run.ts over IPC; every vote's send time, acknowledgement time and
// result go back to run.ts, which works out the latencies.
import { type Client, chosenOption, closeClients, connect, synced } from '../tests/harness/clients.ts'
import { now, votePayload } from './common.ts'

interface Init {
  url: string
  /** Index of this worker's first phone, and how many phones it runs. */
  first: number
  count: number
  tag: string
  pollId: string
  /** Connections this worker opens at once. */
  concurrency: number
}

interface Phone {
  index: number
  participantId: string
  socket: Client
  mine: string | undefined
  /** Votes sent after the last acknowledged one whose fate the phone does not know. */
  unconfirmed: { seq: number; option: string }[]
}

/** One row per vote sent: kept in parallel arrays so they cross IPC cheaply. */
class VoteLog {
  voteIds: string[] = []
  participants: number[] = []
  options: string[] = []
  sentAt: number[] = []
  ackAt: number[] = []
  /** '' when acknowledged ok; the refusal, 'timeout' or 'disconnected' otherwise. */
  errors: string[] = []

  add(phone: number, voteId: string, option: string, sent: number): number {
    this.voteIds.push(voteId)
    this.participants.push(phone)
    this.options.push(option)
    this.sentAt.push(sent)
    this.ackAt.push(Number.NaN)
    this.errors.push('pending')
    return this.voteIds.length - 1
  }

  take() {
    const out = { ...this }
    Object.assign(this, new VoteLog())
    return out
  }
}

let init: Init
const phones: Phone[] = []
const log = new VoteLog()
let seq = 0
let unexpectedDisconnects = 0
let stopping = false

const send = (message: object) => process.send?.(message)

/** One phone, through the tests' own typed client: it adds a Set entry per phone, nothing per vote. */
async function connectOne(index: number): Promise<Phone | null> {
  const participantId = `bench-${init.tag}-${String(index).padStart(6, '0')}`
  const socket = connect(init.url, { role: 'voter', participantId }, { timeout: 30_000 })
  try {
    const state = await synced(socket, 30_000)
    socket.on('disconnect', () => {
      if (!stopping) unexpectedDisconnects++
    })
    return { index, participantId, socket, mine: chosenOption(state.mine?.[init.pollId]), unconfirmed: [] }
  } catch {
    socket.close()
    return null
  }
}

async function connectAll(): Promise<void> {
  const started = now()
  let nextIndex = init.first
  const end = init.first + init.count
  let failed = 0
  const connectTimes: number[] = []
  let lastReport = started
  const lane = async () => {
    while (nextIndex < end) {
      const index = nextIndex++
      let phone: Phone | null = null
      // A refused or timed-out connection is retried twice, then counted as failed.
      for (let attempt = 0; attempt < 3 && !phone; attempt++) {
        const t0 = now()
        phone = await connectOne(index)
        if (phone) connectTimes.push(now() - t0)
      }
      if (phone) phones.push(phone)
      else failed++
      if (now() - lastReport > 1000) {
        lastReport = now()
        send({ type: 'progress', connected: phones.length, failed })
      }
    }
  }
  await Promise.all(Array.from({ length: init.concurrency }, lane))
  send({ type: 'connected', connected: phones.length, failed, startedAt: started, endedAt: now(), connectTimes })
}

function vote(phone: Phone, option: string, timeoutMs: number): Promise<boolean> {
  const mySeq = ++seq
  const voteId = `v-${init.tag}-${phone.index}-${mySeq}`
  const payload = votePayload(init.pollId, option, voteId)
  const row = log.add(phone.index, voteId, option, now())
  phone.unconfirmed.push({ seq: mySeq, option })
  return new Promise((resolve) => {
    phone.socket.timeout(timeoutMs).emit('vote', payload, (error, result) => {
      log.ackAt[row] = now()
      if (error) log.errors[row] = phone.socket.connected ? 'timeout' : 'disconnected'
      else if (!result?.ok) {
        log.errors[row] = result?.error || 'refused without a reason'
        phone.unconfirmed = phone.unconfirmed.filter((sent) => sent.seq !== mySeq)
      } else {
        log.errors[row] = ''
        phone.mine = chosenOption(result) ?? option
        // The server applies one phone's votes in order: this settles every earlier one.
        phone.unconfirmed = phone.unconfirmed.filter((sent) => sent.seq > mySeq)
      }
      resolve(!error && Boolean(result?.ok))
    })
  })
}

/**
 * The burst: every phone votes once, as fast as this process can send (or spread evenly over
 * `spreadMs`); every `changeEvery`-th phone changes its vote to `changeTo` as soon as its first
 * vote is acknowledged.
 */
async function burst(options: { firstOptions: string[]; changeTo: string; changeEvery: number; spreadMs: number }) {
  const { firstOptions, changeTo, changeEvery, spreadMs } = options
  const pending: Promise<unknown>[] = []
  const started = now()
  for (let i = 0; i < phones.length; i++) {
    const phone = phones[i] as Phone
    if (spreadMs > 0) {
      const due = started + (spreadMs * i) / phones.length
      const wait = due - now()
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait))
    } else if (i % 200 === 199) {
      // Let acknowledgements in now and then, as a real network would.
      await new Promise((resolve) => setImmediate(resolve))
    }
    const first = firstOptions[phone.index % firstOptions.length] as string
    pending.push(
      vote(phone, first, 60_000).then((ok) => {
        if (ok && phone.index % changeEvery === 0) return vote(phone, changeTo, 60_000)
      }),
    )
  }
  await Promise.all(pending)
  send({ type: 'burst-done', log: log.take(), unexpectedDisconnects })
}

/**
 * Sustained load: a closed loop of `window` votes in flight; each acknowledgement sends the next
 * vote from the next phone in turn (so no phone comes near the per-connection rate limit), each
 * phone moving to a different option than it holds.
 */
async function sustain(options: { durationMs: number; window: number; allOptions: string[] }) {
  const { durationMs, window, allOptions } = options
  const until = now() + durationMs
  let cursor = 0
  const loop = async () => {
    while (now() < until && phones.length > 0) {
      const phone = phones[cursor++ % phones.length] as Phone
      const current = allOptions.indexOf(phone.mine ?? '')
      const option = allOptions[(current + 1 + (cursor % (allOptions.length - 1))) % allOptions.length] as string
      await vote(phone, option, 30_000)
    }
  }
  await Promise.all(Array.from({ length: Math.min(window, phones.length) }, loop))
  send({ type: 'sustain-done', log: log.take(), unexpectedDisconnects })
}

process.on('message', (message: { type: string; [key: string]: unknown }) => {
  const run = async () => {
    switch (message.type) {
      case 'init':
        init = message as unknown as Init
        send({ type: 'ready' })
        break
      case 'connect':
        await connectAll()
        break
      case 'burst':
        await burst(message as never)
        break
      case 'sustain':
        await sustain(message as never)
        break
      case 'finals': {
        // What each phone holds by its own acknowledgements, and what it sent since without
        // hearing back (the server may or may not have applied those).
        send({
          type: 'finals',
          finals: phones.map((p) => [p.participantId, p.mine ?? null, p.unconfirmed.map((sent) => sent.option)]),
        })
        break
      }
      case 'close': {
        stopping = true
        closeClients()
        send({ type: 'closed', cpu: process.cpuUsage() })
        setTimeout(() => process.exit(0), 100)
        break
      }
    }
  }
  run().catch((error: unknown) => send({ type: 'error', error: String((error as Error)?.stack ?? error) }))
})
process.on('disconnect', () => process.exit(0))
