// Faults a workshop really meets: the laptop's server dies in the middle of a vote burst, a phone
// taps while the Wi-Fi is gone, the data folder cannot be written or the disk is full. The server
// runs as a real child process (tests/harness/server-main.ts: the kit on 127.0.0.1, no deck) so it can
// be killed with SIGKILL and started again on the same data folder and the same port; phones
// are real socket.io-client connections with their normal automatic reconnection.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  type Client,
  chosenOption,
  closeClients,
  connect as connectClient,
  pollResults,
  synced,
} from './harness/clients.ts'
import { type ServerProcess, spawnServer } from './harness/server-process.ts'
import { stopChildren, tempDir, until } from './harness/system.ts'

const SECRET = 'faults-presenter-secret'
const POLL = 'hat-start'

const cleanups: (() => void)[] = []
afterEach(() => {
  closeClients()
  stopChildren()
  for (const cleanup of cleanups.splice(0).reverse()) cleanup()
})

function startServerProcess(env: Record<string, string>): ServerProcess {
  // Every phone is 127.0.0.1: the per-address limits are sized for that (tests/limits.test.ts tests them).
  return spawnServer({
    PRESENTER_SECRET: SECRET,
    MAX_CONNECTIONS_PER_ADDRESS: '1000',
    PHONES_PER_ADDRESS: '1000',
    ...env,
  })
}

async function pollOptions(url: string): Promise<string[]> {
  const response = await fetch(`${url}/api/polls/${POLL}`)
  const poll = (await response.json()) as { options: { id: string }[] }
  return poll.options.map((option) => option.id)
}

const tallyOf = (url: string) => pollResults(url, POLL)

/** A phone (or a deck) with a phone's automatic reconnection, only quicker so the test stays short. */
const connect = (url: string, auth: Record<string, unknown>, reconnect = true): Client =>
  connectClient(url, auth, { reconnection: reconnect, reconnectionDelayMax: 400 })

async function openPoll(url: string): Promise<void> {
  const deck = connect(url, { role: 'deck', secret: SECRET }, false)
  await synced(deck)
  expect(await deck.timeout(10_000).emitWithAck('control', { pollId: POLL, action: 'open' })).toEqual({ ok: true })
  deck.close()
}

interface Phone {
  socket: Client
  /** Every `sync` this phone received, with when. */
  syncs: { at: number; mine: unknown }[]
}

async function phone(url: string, participantId: string): Promise<Phone> {
  const socket = connect(url, { role: 'voter', participantId })
  const syncs: Phone['syncs'] = []
  socket.on('sync', (state: { mine?: Record<string, unknown> }) =>
    syncs.push({ at: Date.now(), mine: state.mine?.[POLL] }),
  )
  await until(() => syncs.length > 0, 15_000, `${participantId} to connect`)
  return { socket, syncs }
}

const vote = (option: string, voteId: string) => ({ pollId: POLL, answer: option, voteId })

describe('the server dies in the middle of a burst', () => {
  it('keeps every acknowledged vote; phones reconnect by themselves and are told their answers', async () => {
    const dir = tempDir('kit-faults-')
    cleanups.push(dir.remove)
    const first = startServerProcess({ DATA_DIR: dir.path, PORT: '0' })
    const port = await first.listening
    const url = `http://127.0.0.1:${port}`
    const options = await pollOptions(url)
    await openPoll(url)

    const count = 300
    const phones = await Promise.all(
      Array.from({ length: count }, (_, i) => phone(url, `fault-phone-${String(i).padStart(4, '0')}`)),
    )
    const choice = (i: number) => options[i % options.length] as string
    const voteIds = phones.map((_, i) => `fault-vote-${i}`)

    // The burst: three votes every 2 ms. The server is killed the moment the 100th
    // acknowledgement arrives, so about two thirds of the votes are in flight or not yet sent;
    // those still to be sent are emitted while the phones are offline (socket.io buffers them).
    const acked = new Map<number, string>()
    let ackedBeforeKill = new Map<number, string>()
    let killedAt = 0
    const onAck = (i: number) => (result: unknown) => {
      if (!(result as { ok?: boolean })?.ok) return
      acked.set(i, chosenOption(result) ?? '')
      if (!killedAt && acked.size >= 100) {
        killedAt = Date.now()
        ackedBeforeKill = new Map(acked)
        first.child.kill('SIGKILL')
      }
    }
    await new Promise<void>((resolve) => {
      let i = 0
      const tick = () => {
        for (let k = 0; k < 3 && i < count; k++, i++) {
          ;(phones[i] as Phone).socket.emit('vote', vote(choice(i), voteIds[i] as string), onAck(i))
        }
        if (i < count) setTimeout(tick, 2)
        else resolve()
      }
      tick()
    })
    await until(() => killedAt > 0, 20_000, 'the 100th acknowledgement')
    expect((await first.exited).signal).toBe('SIGKILL')
    expect(ackedBeforeKill.size).toBe(100)
    for (const [i, option] of ackedBeforeKill) expect(option).toBe(choice(i))

    // Same data folder, same port: the phones' own reconnection finds the new process.
    const second = startServerProcess({ DATA_DIR: dir.path, PORT: String(port) })
    expect(await second.listening).toBe(port)
    const restartedAt = Date.now()
    await until(() => phones.every((p) => p.syncs.some((s) => s.at >= killedAt)), 30_000, 'every phone to reconnect')
    const reconnected = phones.filter((p) => p.socket.connected).length
    expect(reconnected).toBe(count)

    // Every vote acknowledged before the kill is in the tally after the restart...
    const afterRestart = await tallyOf(url)
    const ackedPerOption: Record<string, number> = {}
    for (const option of ackedBeforeKill.values()) ackedPerOption[option] = (ackedPerOption[option] ?? 0) + 1
    for (const [option, n] of Object.entries(ackedPerOption)) {
      expect(afterRestart.counts[option], `votes for ${option} after the restart`).toBeGreaterThanOrEqual(n)
    }
    // ...and each of those phones is told its answer in the first sync after reconnecting.
    for (const [i] of ackedBeforeKill) {
      const firstSync = (phones[i] as Phone).syncs.find((s) => s.at >= killedAt)
      expect(chosenOption(firstSync?.mine), `phone ${i} after restart (${restartedAt})`).toBe(choice(i))
    }

    // The phone page retries an unacknowledged tap with the same vote id. Do that for every
    // phone still without an acknowledgement once the buffered votes have been answered:
    // afterwards every phone is counted exactly once.
    const deadline = Date.now() + 15_000
    for (let before = -1; acked.size !== before && Date.now() < deadline; ) {
      before = acked.size
      await new Promise((resolve) => setTimeout(resolve, 750))
    }
    const missing = phones.map((_, i) => i).filter((i) => !acked.has(i))
    for (const i of missing) {
      const result = await (phones[i] as Phone).socket
        .timeout(10_000)
        .emitWithAck('vote', vote(choice(i), voteIds[i] as string))
      expect(result.ok, `retry of phone ${i}: ${JSON.stringify(result)}`).toBe(true)
    }
    const final = await tallyOf(url)
    expect(final.total).toBe(count)
    const expected = Object.fromEntries(options.map((o) => [o, 0]))
    for (let i = 0; i < count; i++) expected[choice(i)] = (expected[choice(i)] ?? 0) + 1
    expect(final.counts).toEqual(expected)
  }, 60_000)
})

describe('the server dies while the room asks and upvotes', () => {
  it('keeps every acknowledged question and upvote', async () => {
    const dir = tempDir('kit-faults-')
    cleanups.push(dir.remove)
    const first = startServerProcess({ DATA_DIR: dir.path, PORT: '0' })
    const url = `http://127.0.0.1:${await first.listening}`
    const voter = await phone(url, 'fault-voter-0000')
    const seed = await voter.socket.emitWithAck('post', { text: 'The first question?', postId: 'seed-question' })
    if (!seed.ok) throw new Error(seed.error)
    const count = 120
    const phones = await Promise.all(
      Array.from({ length: count }, (_, i) => phone(url, `fault-asker-${String(i).padStart(4, '0')}`)),
    )
    // Each phone asks a question and upvotes the first one; the server is killed at the 60th
    // acknowledgement, with the rest in flight or not yet sent.
    const askedBeforeKill = new Set<string>()
    let upvotesBeforeKill = 0
    let acks = 0
    let killed = false
    const acknowledged = (record: () => void) => (result: { ok: boolean }) => {
      if (!result.ok || killed) return
      record()
      if (++acks >= 60) {
        killed = true
        first.child.kill('SIGKILL')
      }
    }
    phones.forEach(({ socket }, i) => {
      const text = `Question ${i} from the room?`
      socket.emit(
        'post',
        { text, postId: `ask-${i}-x` },
        acknowledged(() => askedBeforeKill.add(text)),
      )
      socket.emit(
        'upvote',
        { cardId: seed.card.id, on: true },
        acknowledged(() => upvotesBeforeKill++),
      )
    })
    await until(() => killed, 20_000, 'the 60th acknowledgement')
    expect((await first.exited).signal).toBe('SIGKILL')
    expect(askedBeforeKill.size + upvotesBeforeKill).toBe(60)

    const second = startServerProcess({ DATA_DIR: dir.path, PORT: '0' })
    const again = `http://127.0.0.1:${await second.listening}`
    // Every question as stored: the session's export (the room's /api/cards lists the top 40).
    const exported = await fetch(`${again}/api/sessions/current/results.json`, {
      headers: { Authorization: `Bearer ${SECRET}` },
    })
    const { questions: cards } = (await exported.json()) as {
      questions: { id: string; text: string; upvotes: number }[]
    }
    const texts = new Set(cards.map((card) => card.text))
    for (const text of askedBeforeKill) expect(texts.has(text), text).toBe(true)
    expect(cards.find((card) => card.id === seed.card.id)?.upvotes).toBeGreaterThanOrEqual(upvotesBeforeKill)
  }, 90_000)
})

describe('a phone that taps while offline', () => {
  it('delivers the vote once when it reconnects, and a retry with the same vote id counts once', async () => {
    const dir = tempDir('kit-faults-')
    cleanups.push(dir.remove)
    const first = startServerProcess({ DATA_DIR: dir.path, PORT: '0' })
    const port = await first.listening
    const url = `http://127.0.0.1:${port}`
    const [optionA, optionB] = await pollOptions(url)
    await openPoll(url)
    const p = await phone(url, 'offline-phone-1')

    // A planned stop (SIGTERM, like Ctrl-C on `npm start`), then the tap while offline.
    const gone = new Promise((resolve) => p.socket.once('disconnect', resolve))
    first.child.kill('SIGTERM')
    expect(await gone).toBe('transport close')
    expect(await first.exited).toMatchObject({ code: 0 })
    expect(p.socket.connected).toBe(false)
    const answered = p.socket.timeout(30_000).emitWithAck('vote', vote(optionA as string, 'offline-vote-1'))

    const second = startServerProcess({ DATA_DIR: dir.path, PORT: String(port) })
    await second.listening
    const result = await answered
    expect(result).toMatchObject({ ok: true })
    expect(chosenOption(result)).toBe(optionA)
    expect(await tallyOf(url)).toMatchObject({ total: 1, counts: { [optionA as string]: 1 } })

    // The phone page retries with the same vote id when an acknowledgement is slow; from a
    // second tab of the same phone too. Neither changes the count.
    expect((await p.socket.timeout(10_000).emitWithAck('vote', vote(optionA as string, 'offline-vote-1'))).ok).toBe(
      true,
    )
    const tab = await phone(url, 'offline-phone-1')
    expect(chosenOption(tab.syncs[0]?.mine)).toBe(optionA)
    expect((await tab.socket.timeout(10_000).emitWithAck('vote', vote(optionA as string, 'offline-vote-1'))).ok).toBe(
      true,
    )
    expect(await tallyOf(url)).toMatchObject({ total: 1, counts: { [optionA as string]: 1, [optionB as string]: 0 } })

    // And it survives another restart exactly once.
    second.child.kill('SIGKILL')
    await second.exited
    const third = startServerProcess({ DATA_DIR: dir.path, PORT: String(port) })
    await third.listening
    expect(await tallyOf(url)).toMatchObject({ total: 1, counts: { [optionA as string]: 1 } })
  }, 60_000)
})

describe('the data folder cannot be used at start-up', () => {
  /** One sentence: a single line, ending with a full stop, no stack trace. */
  function expectOneSentence(output: string): void {
    const text = output.trim()
    expect(text.split('\n')).toHaveLength(1)
    expect(text).toMatch(/\.$/)
    expect(text).not.toMatch(/\bat .+:\d+:\d+/)
    expect(text).not.toMatch(/Error:|errno|syscall/i)
  }

  it('explains a data folder that is not a folder (ENOTDIR) in one sentence, exit code 1', async () => {
    const dir = tempDir('kit-faults-')
    cleanups.push(dir.remove)
    // Tests run as root, so permissions cannot make a folder unwritable: put it under a file.
    const file = join(dir.path, 'a-file')
    writeFileSync(file, 'not a folder')
    const server = startServerProcess({ DATA_DIR: join(file, 'data') })
    const { code } = await server.exited
    expect(code).toBe(1)
    expect(server.stdout()).toBe('')
    expectOneSentence(server.stderr())
    expect(server.stderr()).toMatch(
      /^Cannot write to the data folder .*a-file\/data \(ENOTDIR\): choose a writable folder/,
    )
  }, 30_000)

  /** A 64 KiB tmpfs (we run as root); undefined when mounting is not allowed here. */
  function tinyDisk(size = '64k'): string | undefined {
    const mountPoint = mkdtempSync(join(tmpdir(), 'kit-full-'))
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mountPoint], { stdio: 'pipe' })
    } catch {
      rmSync(mountPoint, { recursive: true, force: true })
      return undefined
    }
    cleanups.push(() => {
      try {
        execFileSync('umount', ['-l', mountPoint], { stdio: 'pipe' })
      } catch {
        // not mounted any more
      }
      rmSync(mountPoint, { recursive: true, force: true })
    })
    return mountPoint
  }

  /** Writes until the file system says ENOSPC. */
  function fill(path: string): void {
    try {
      for (let i = 0; i < 10_000; i++)
        writeFileSync(join(path, `filler-${i}`), Buffer.alloc(16 * 1024, 1), { flag: 'w' })
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC')
      return
    }
    throw new Error('the disk never filled up')
  }

  it('explains a full disk in one sentence, exit code 1', async (context) => {
    const disk = tinyDisk()
    // Without privileges to mount there is no honest way to fill a disk here (a quota or
    // RLIMIT_FSIZE gives EDQUOT/EFBIG, not ENOSPC): say so rather than fake it.
    if (!disk) return context.skip('cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN)')
    mkdirSync(join(disk, 'data'))
    fill(disk)
    const server = startServerProcess({ DATA_DIR: join(disk, 'data') })
    const { code } = await server.exited
    expect(code).toBe(1)
    expectOneSentence(server.stderr())
    expect(server.stderr()).toMatch(
      /^The disk holding the data folder .*\/data is full: free some space or choose a writable folder/,
    )
  }, 30_000)

  it('refuses votes with a reason while the disk is full, stays up, and counts them once space is back', async (context) => {
    const disk = tinyDisk('4m')
    if (!disk) return context.skip('cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN)')
    const server = startServerProcess({ DATA_DIR: join(disk, 'data'), PORT: '0' })
    const url = `http://127.0.0.1:${await server.listening}`
    const [optionA, optionB] = await pollOptions(url)
    await openPoll(url)
    const alice = await phone(url, 'full-disk-alice')
    expect((await alice.socket.timeout(10_000).emitWithAck('vote', vote(optionA as string, 'full-disk-1'))).ok).toBe(
      true,
    )

    const fillers = join(disk, 'fillers')
    mkdirSync(fillers)
    fill(fillers)
    // Votes from 30 phones while nothing can be written: each is refused with a reason.
    const bobs = await Promise.all(Array.from({ length: 30 }, (_, i) => phone(url, `full-disk-bob-${i}`)))
    const refused = await Promise.all(
      bobs.map((bob, i) =>
        bob.socket.timeout(10_000).emitWithAck('vote', vote(optionB as string, `full-disk-bob-vote-${i}`)),
      ),
    )
    for (const result of refused) {
      expect(result.ok).toBe(false)
      expect(result.error).toMatch(/could not be saved/)
    }
    expect((await fetch(`${url}/healthz`)).status).toBe(200)
    expect(await tallyOf(url)).toMatchObject({ total: 1, counts: { [optionA as string]: 1, [optionB as string]: 0 } })

    // Space is back: the same taps (same vote ids) now count, once each.
    rmSync(fillers, { recursive: true, force: true })
    const retried = await Promise.all(
      bobs.map((bob, i) =>
        bob.socket.timeout(10_000).emitWithAck('vote', vote(optionB as string, `full-disk-bob-vote-${i}`)),
      ),
    )
    expect(retried.every((r) => r.ok)).toBe(true)
    expect(await tallyOf(url)).toMatchObject({ total: 31, counts: { [optionA as string]: 1, [optionB as string]: 30 } })

    // And what was acknowledged is on disk: a restart shows the same tally.
    server.child.kill('SIGKILL')
    await server.exited
    const again = startServerProcess({ DATA_DIR: join(disk, 'data'), PORT: '0' })
    const againUrl = `http://127.0.0.1:${await again.listening}`
    expect(await tallyOf(againUrl)).toMatchObject({
      total: 31,
      counts: { [optionA as string]: 1, [optionB as string]: 30 },
    })
  }, 60_000)
})
