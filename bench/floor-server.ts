// The floor: a bare Socket.IO server with the same events as the poll server and nothing else.
// No validation library, no storage, no rate limit: it counts votes in memory, acknowledges at
// once, and sends decks a coalesced tally every 50 ms. Whatever the real server costs above
// this is the price of its features (validation, durability, recovery, limits).
//
// Same interface as our server's process (tests/harness/server-main.ts): prints/sends
// {"type":"listening","port":…}, answers {"type":"stats"} over IPC. Env: PORT (default 0),
// PRESENTER_SECRET, REDIS_URL.
//
// With REDIS_URL (run.ts --nodes N) several floor processes are linked the way the real
// server's processes are: the same Socket.IO Redis Streams adapter on the same kind of Redis.
// Each node counts the votes of its own phones in memory and acknowledges them at once, then
// forwards them (one serverSideEmit per event-loop turn, as the real engine shares one message
// per durable batch) to the other nodes, which fold them into their own counts and tell their
// own decks (io.local). So every node holds the whole tally, as every real node does, and the
// deck's node shows votes made on the others; only validation and the durable write are missing.
// Poll state (open/closed) travels the same way. Nothing is written to Redis but the adapter's
// own traffic (serverSideEmit goes over Redis PUB/SUB, as the real server's does).
import { createServer } from 'node:http'
import { createAdapter } from '@socket.io/redis-streams-adapter'
import { createClient } from 'redis'
import { Server, type ServerOptions } from 'socket.io'
import { loadPolls } from '../server/polls.ts'
import { SLIDES_DIR } from '../server/settings.ts'
import { processMeter } from '../tests/harness/meter.ts'

const TALLY_INTERVAL_MS = 50
const secret = process.env.PRESENTER_SECRET || 'floor-secret'
const meter = processMeter()
let order: string[] = []

interface FloorPoll {
  id: string
  question: string
  options: { id: string; label: string }[]
  state: 'open' | 'closed'
  openedAt: number | null
  answers: Map<string, { answer: string; voteId: string }>
  counts: Map<string, number>
}

async function main(): Promise<void> {
  const definitions = await loadPolls(SLIDES_DIR)
  const polls = new Map<string, FloorPoll>()
  for (const { id, question, options } of definitions) {
    const counts = new Map(options.map((option) => [option.id, 0]))
    polls.set(id, { id, question, options, state: 'closed', openedAt: null, answers: new Map(), counts })
  }
  const session = { id: 1, name: 'Floor', startedAt: Date.now() }
  const view = (p: FloorPoll) => ({
    id: p.id,
    kind: 'single',
    question: p.question,
    options: p.options,
    state: p.state,
    openedAt: p.openedAt,
  })
  const tally = (p: FloorPoll) => ({ pollId: p.id, counts: Object.fromEntries(p.counts), total: p.answers.size })

  const httpServer = createServer((req, res) => {
    const match = /^\/api\/polls\/([^/?]+)/.exec(req.url ?? '')
    const poll = match ? polls.get(decodeURIComponent(match[1] as string)) : undefined
    res.setHeader('Content-Type', 'application/json')
    if (req.url === '/healthz') return void res.end('{"ok":true}')
    if (!poll) {
      res.statusCode = 404
      return void res.end('{"error":"Not found."}')
    }
    res.end(JSON.stringify({ ...view(poll), ...tally(poll) }))
  })
  let adapter: ServerOptions['adapter'] | undefined
  let redis: ReturnType<typeof createClient> | undefined
  if (process.env.REDIS_URL) {
    redis = createClient({ url: process.env.REDIS_URL })
    redis.on('error', (error: Error) => console.error(`Redis: ${error.message}`))
    await redis.connect()
    adapter = createAdapter(redis)
  }
  const io = new Server(httpServer, { maxHttpBufferSize: 4096, ...(adapter ? { adapter } : {}) })

  const dirty = new Set<string>()
  let timer: NodeJS.Timeout | null = null
  const changed = (pollId: string) => {
    dirty.add(pollId)
    if (timer) return
    timer = setTimeout(() => {
      timer = null
      const tallies = [...dirty].flatMap((id) => (polls.has(id) ? [tally(polls.get(id) as FloorPoll)] : []))
      dirty.clear()
      // Only this node's decks: the other nodes tell theirs (as the real server does).
      io.local.to('decks').emit('tally', tallies)
    }, TALLY_INTERVAL_MS)
  }

  /** Folds one vote into a poll's counts; false if that exact vote is already held. */
  const count = (poll: FloorPoll, participantId: string, answer: string, voteId: string): boolean => {
    const previous = poll.answers.get(participantId)
    if (previous?.voteId === voteId) return false
    if (previous) poll.counts.set(previous.answer, (poll.counts.get(previous.answer) ?? 0) - 1)
    poll.answers.set(participantId, { answer, voteId })
    poll.counts.set(answer, (poll.counts.get(answer) ?? 0) + 1)
    order.push(voteId)
    changed(poll.id)
    return true
  }

  // Several nodes: votes counted here go to the others, batched per event-loop turn.
  type Forwarded = [pollId: string, participantId: string, answer: string, voteId: string]
  let outbox: Forwarded[] = []
  const forward = (vote: Forwarded) => {
    if (!adapter) return
    if (outbox.length === 0)
      setImmediate(() => {
        const batch = outbox
        outbox = []
        io.serverSideEmit('votes', batch)
      })
    outbox.push(vote)
  }
  if (adapter) {
    io.on('votes', (batch: Forwarded[]) => {
      for (const [pollId, participantId, answer, voteId] of batch) {
        const poll = polls.get(pollId)
        if (poll) count(poll, participantId, answer, voteId)
      }
    })
    io.on('state', ({ pollId, state, openedAt }: { pollId: string; state: 'open' | 'closed'; openedAt: number }) => {
      const poll = polls.get(pollId)
      if (!poll) return
      poll.state = state
      poll.openedAt = openedAt
      io.local.emit('poll:state', view(poll))
    })
  }

  io.use((socket, next) => {
    const auth = (socket.handshake.auth ?? {}) as { role?: string; participantId?: string; secret?: string }
    const role = auth.role === 'deck' ? 'deck' : 'voter'
    if (role === 'voter' && typeof auth.participantId !== 'string')
      return next(new Error('A voter must send a participant id.'))
    socket.data = { role, participantId: auth.participantId ?? null, presenter: auth.secret === secret }
    next()
  })

  io.on('connection', (socket) => {
    const { role, participantId, presenter } = socket.data as {
      role: string
      participantId: string | null
      presenter: boolean
    }
    if (role === 'deck') socket.join('decks')
    const mine: Record<string, string> = {}
    if (participantId) {
      for (const poll of polls.values()) {
        const answer = poll.answers.get(participantId)?.answer
        if (answer) mine[poll.id] = answer
      }
    }
    socket.emit('sync', {
      session,
      polls: [...polls.values()].map(view),
      presenter,
      ...(role === 'deck' ? { tallies: [...polls.values()].map(tally) } : { mine }),
    })

    socket.on('vote', (payload, ack) => {
      if (typeof ack !== 'function') return
      const answer = payload?.answer
      const poll = polls.get(payload?.pollId)
      if (!participantId) return ack({ ok: false, error: 'Only voters can vote.' })
      if (poll?.state !== 'open') return ack({ ok: false, error: 'This poll is closed.' })
      if (!poll.counts.has(answer)) return ack({ ok: false, error: 'That is not one of the options.' })
      if (count(poll, participantId, answer, payload.voteId)) forward([poll.id, participantId, answer, payload.voteId])
      ack({ ok: true, answer: [answer] })
    })

    socket.on('control', (payload, ack) => {
      if (typeof ack !== 'function') return
      if (!presenter) return ack({ ok: false, error: 'Only the presenter can open, close or reset polls.' })
      const poll = polls.get(payload?.pollId)
      if (!poll) return ack({ ok: false, error: 'There is no such poll.' })
      const state = payload.action === 'open' ? 'open' : 'closed'
      if (poll.state !== state) {
        poll.state = state
        if (state === 'open') poll.openedAt = Date.now()
        // Like the real server: each node tells its own clients.
        io.local.emit('poll:state', view(poll))
        if (adapter) io.serverSideEmit('state', { pollId: poll.id, state, openedAt: poll.openedAt })
      }
      ack({ ok: true })
    })
  })

  await new Promise<void>((resolve) => httpServer.listen(Number(process.env.PORT || 0), '127.0.0.1', resolve))
  const port = (httpServer.address() as { port: number }).port

  const stop = () => {
    setTimeout(() => process.exit(0), 3000).unref()
    io.disconnectSockets(true)
    io.close(() => process.exit(0))
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  process.on('disconnect', stop)
  process.on('message', (message: { type?: string; reset?: 'phase' | 'run'; order?: boolean }) => {
    if (message?.type === 'stop') return stop()
    if (message?.type === 'answers') {
      const poll = polls.get(String((message as { pollId?: string }).pollId))
      const answers = [...(poll?.answers ?? new Map())].map(([participant, { answer }]) => [participant, answer])
      return void process.send?.({ type: 'answers', answers })
    }
    if (message?.type !== 'stats') return
    process.send?.({ type: 'stats', ...meter.read(message.reset), ...(message.order ? { order } : {}) })
    if (message.order) order = []
  })
  meter.read('run')
  const listening = { type: 'listening', port, pid: process.pid }
  process.stdout.write(`${JSON.stringify(listening)}\n`)
  process.send?.(listening)
}

main().catch((error: unknown) => {
  console.error(error)
  process.send?.({ type: 'error', error: String(error) })
  process.exit(1)
})
