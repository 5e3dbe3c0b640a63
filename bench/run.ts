// Load benchmark for the live-poll server: thousands of simulated phones over real WebSockets,
// the same workload against the real server (bench/server.ts) and against a bare Socket.IO
// "floor" (bench/floor-server.ts), each in a process of its own, phones spread over worker
// processes (bench/worker.ts).
//
//   npx tsx bench/run.ts [--voters 10000] [--workers 4] [--duration S] [--spread MS]
//                        [--json FILE] [--only ours|floor] [--profile DIR]
//                        [--concurrency 32] [--window 64]
//
//   --spread MS     send the burst evenly over MS milliseconds (default: all at once)
//   --duration S    after the burst, S seconds of sustained load (--window votes in flight per worker)
//   --profile DIR   run our server under `node --cpu-prof`; the .cpuprofile lands in DIR
//   --concurrency   connections each worker opens at once during the connect phase
// The server gets MAX_CONNECTIONS_PER_ADDRESS=100000 (every phone is 127.0.0.1), a fresh data
// folder and a random PRESENTER_SECRET; other settings (REDIS_URL, …) pass through from the
// environment as for `npm start`.
//
// Phases, for each server in turn:
//   1. connect  every phone connects (auth: role voter, a unique participant id) and waits for
//               its `sync`; connect time = first connection attempt → last `sync`.
//   2. open     the presenter's deck socket (role deck + secret) opens poll `hat-start`.
//   3. burst    every phone votes once, as fast as the workers can send (or evenly over
//               --spread MS); every 10th phone changes its vote as soon as the first is acknowledged.
//   4. sustain  (--duration S) a closed loop of votes in flight, phones changing their votes,
//               for S seconds: sustained throughput.
// Meanwhile one deck socket receives the coalesced `tally` events.
//
// HOW LATENCY IS MEASURED (vote sent on a phone → tally that includes it received on the deck)
//   * Every process stamps events with performance.timeOrigin + performance.now(): the same
//     system clock on one machine, so a phone's send time and the deck's receive time compare.
//   * The server under test records the exact order in which votes became part of the tally
//     (bench/server.ts wraps store.saveVotes: the engine applies each batch right after it is
//     written, in the same order; the floor records it as it counts). That gives each vote its
//     rank k in the apply order.
//   * Replaying that order gives the tally after the first k votes, for every k. Each tally the
//     deck receives is matched to the SMALLEST k at or after the previous match whose replayed
//     tally equals it (total and every count). In the burst the match is exact: first votes go to
//     options 1-3 and changes only to option 4, so total + count(option 4) grows by one with every
//     vote and no two prefixes look alike. Under sustained changes two prefixes can look alike;
//     taking the smallest k can only attribute a vote to a LATER tally, never an earlier one, so
//     latencies are never understated.
//   * A vote's latency = receive time of the first matched tally whose k ≥ its rank − its send
//     time. It includes the phone's send, the network, validation, the durable write, waiting for
//     the 50 ms coalescing timer (and for the event loop to reach it) and the broadcast to the deck.
//   * Acknowledged votes that no tally ever shows (say the deck's connection dropped) count as
//     infinitely late ("never"; null in JSON) rather than being left out.
//   * Lost votes: each phone knows its last acknowledged answer (and any later votes whose
//     acknowledgement never came). A vote is lost if the server's stored answer for that phone
//     is neither. The tally from GET /api/polls/hat-start must also equal the stored answers and
//     contain every acknowledged final choice (tallyShortfall).
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { io, type Socket } from 'socket.io-client'
import {
  forkTs,
  type Message,
  nextMessage,
  now,
  percentile,
  request,
  serverVoteField,
  type VoteField,
} from './common.ts'

const POLL_ID = 'hat-start'
const TALLY_SETTLE_MS = 400

const { values: flags } = parseArgs({
  options: {
    voters: { type: 'string', default: '10000' },
    workers: { type: 'string', default: '4' },
    duration: { type: 'string', default: '0' },
    spread: { type: 'string', default: '0' },
    concurrency: { type: 'string', default: '32' },
    window: { type: 'string', default: '64' },
    json: { type: 'string' },
    only: { type: 'string' },
    profile: { type: 'string' },
    help: { type: 'boolean' },
  },
  strict: true,
})
if (flags.help) {
  console.log(
    'npx tsx bench/run.ts [--voters 10000] [--workers 4] [--duration S] [--spread MS] [--json FILE] [--only ours|floor] [--profile DIR]',
  )
  process.exit(0)
}
const settings = {
  voters: positive('voters'),
  workers: positive('workers'),
  durationMs: Number(flags.duration) * 1000,
  spreadMs: Number(flags.spread),
  concurrency: positive('concurrency'),
  window: positive('window'),
}
function positive(name: keyof typeof flags): number {
  const value = Number(flags[name])
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive whole number`)
  return value
}

// ---------------------------------------------------------------------------------------------
// Child processes: all tracked, all killed on any exit path.

const children = new Set<ChildProcess>()
const tempDirs = new Set<string>()
function track(child: ChildProcess): ChildProcess {
  children.add(child)
  child.on('exit', () => children.delete(child))
  return child
}
function cleanUp(): void {
  for (const child of children) {
    try {
      child.kill('SIGKILL')
    } catch {
      // already gone
    }
  }
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
}
process.on('exit', cleanUp)
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    progress(`${signal}: stopping`)
    process.exit(130)
  })
}

const started = now()
function progress(line: string): void {
  process.stderr.write(`[${((now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}\n`)
}

async function stopChild(child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.send?.({ type: 'stop' })
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  await exited
  clearTimeout(timer)
}

// ---------------------------------------------------------------------------------------------
// Measurements.

interface VoteLog {
  voteIds: string[]
  participants: number[]
  options: string[]
  sentAt: number[]
  ackAt: number[]
  errors: string[]
}

interface ServerStats extends Message {
  rssMb: number
  maxRssMb: number
  heapUsedMb: number
  phase: { cpuSeconds: number; eventLoopDelayMs: { p50: number; p99: number; max: number; mean: number } }
  run: { cpuSeconds: number; eventLoopDelayMs: { p50: number; p99: number; max: number; mean: number } }
  order?: string[]
  /** bench/server.ts only: durable vote writes (batches) in the phase. */
  writes?: { batches: number; votes: number; maxBatch: number; ms: number }
}

interface TallySeen {
  at: number
  total: number
  counts: Record<string, number>
}

interface Distribution {
  p50: number
  p95: number
  p99: number
  max: number
  mean: number
  n: number
}

function distribution(values: number[]): Distribution {
  const sorted = Float64Array.from(values).sort()
  const round = (x: number) => Math.round(x * 10) / 10
  const mean = values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN
  return {
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? Number.NaN),
    mean: round(mean),
    n: values.length,
  }
}

function mergeLogs(logs: VoteLog[]): VoteLog {
  const merged: VoteLog = { voteIds: [], participants: [], options: [], sentAt: [], ackAt: [], errors: [] }
  for (const log of logs) {
    for (const key of Object.keys(merged) as (keyof VoteLog)[])
      (merged[key] as unknown[]).push(...(log[key] as unknown[]))
  }
  return merged
}

/**
 * When did each vote first show on the deck? See the method at the top of this file.
 * `order` is the apply order of vote ids; `tallies` what the deck received, in order.
 */
function appearances(order: string[], votes: VoteLog, tallies: TallySeen[], options: string[]) {
  const byId = new Map<string, number>()
  for (const [row, id] of votes.voteIds.entries()) byId.set(id, row)
  const held = new Map<number, string>()
  const counts = new Map(options.map((o) => [o, 0]))
  const signature = (total: number, get: (o: string) => number) => `${total}|${options.map(get).join(',')}`
  const prefix: string[] = [signature(0, () => 0)]
  let unknown = 0
  for (const id of order) {
    const row = byId.get(id)
    if (row === undefined) {
      unknown++
      prefix.push(prefix[prefix.length - 1] as string)
      continue
    }
    const participant = votes.participants[row] as number
    const option = votes.options[row] as string
    const before = held.get(participant)
    if (before !== undefined) counts.set(before, (counts.get(before) ?? 0) - 1)
    held.set(participant, option)
    counts.set(option, (counts.get(option) ?? 0) + 1)
    prefix.push(signature(held.size, (o) => counts.get(o) ?? 0))
  }
  const appearedAt = new Map<string, number>()
  let k = 0
  let unmatched = 0
  for (const tally of tallies) {
    const wanted = signature(tally.total, (o) => tally.counts[o] ?? 0)
    let j = k
    while (j < prefix.length && prefix[j] !== wanted) j++
    if (j === prefix.length) {
      unmatched++
      continue
    }
    for (let rank = k; rank < j; rank++) appearedAt.set(order[rank] as string, tally.at)
    k = j
  }
  return { appearedAt, unmatchedTallies: unmatched, unknownVotes: unknown, shownUpTo: k }
}

interface PhaseResult {
  votesSent: number
  votesAcked: number
  votesFailed: number
  failureReasons: Record<string, number>
  durationMs: number
  votesPerSecond: number
  latencyMs: Distribution
  ackLatencyMs: Distribution
  notShownOnDeck: number
  cpuSeconds: number
  eventLoopDelayMs: ServerStats['phase']['eventLoopDelayMs']
  durableWrites?: ServerStats['writes']
}

function phaseResult(
  log: VoteLog,
  appearedAt: Map<string, number>,
  stats: ServerStats,
  windowMs?: number,
): PhaseResult {
  const latency: number[] = []
  const ack: number[] = []
  const failureReasons: Record<string, number> = {}
  let acked = 0
  let notShown = 0
  let firstSent = Number.POSITIVE_INFINITY
  let lastAck = 0
  for (let row = 0; row < log.voteIds.length; row++) {
    const sent = log.sentAt[row] as number
    firstSent = Math.min(firstSent, sent)
    const error = log.errors[row] as string
    if (error) {
      failureReasons[error] = (failureReasons[error] ?? 0) + 1
      continue
    }
    acked++
    lastAck = Math.max(lastAck, log.ackAt[row] as number)
    ack.push((log.ackAt[row] as number) - sent)
    const shown = appearedAt.get(log.voteIds[row] as string)
    // An acknowledged vote the deck never showed has no finite latency: it counts as infinite
    // (so it cannot flatter the percentiles; in JSON it reads null).
    if (shown === undefined) {
      notShown++
      latency.push(Number.POSITIVE_INFINITY)
    } else latency.push(shown - sent)
  }
  const durationMs = windowMs ?? Math.max(1, lastAck - firstSent)
  return {
    votesSent: log.voteIds.length,
    votesAcked: acked,
    votesFailed: log.voteIds.length - acked,
    failureReasons,
    durationMs: Math.round(durationMs),
    votesPerSecond: Math.round((acked / durationMs) * 1000),
    latencyMs: distribution(latency),
    ackLatencyMs: distribution(ack),
    notShownOnDeck: notShown,
    cpuSeconds: stats.phase.cpuSeconds,
    eventLoopDelayMs: stats.phase.eventLoopDelayMs,
    ...(stats.writes ? { durableWrites: stats.writes } : {}),
  }
}

// ---------------------------------------------------------------------------------------------
// One complete run against one server.

type Kind = 'ours' | 'floor'

async function runAgainst(kind: Kind, field: VoteField) {
  const label = `[${kind}]`
  const secret = randomBytes(18).toString('base64url')
  const dataDir = mkdtempSync(join(tmpdir(), `bench-${kind}-`))
  tempDirs.add(dataDir)
  const execArgv: string[] = []
  if (kind === 'ours' && flags.profile) {
    mkdirSync(resolve(flags.profile), { recursive: true })
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${resolve(flags.profile)}`)
  }
  const server = track(
    forkTs(kind === 'ours' ? 'server.ts' : 'floor-server.ts', {
      silent: true,
      execArgv,
      env: {
        ...process.env,
        PORT: '0',
        DATA_DIR: dataDir,
        PRESENTER_SECRET: secret,
        // The server may limit connections per address; every phone here is 127.0.0.1.
        MAX_CONNECTIONS_PER_ADDRESS: '100000',
        BENCH_RECORD_ORDER: '1',
        NODE_ENV: 'production',
      },
    }),
  )
  server.stderr?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) progress(`${label} server: ${line}`)
  })
  const { port } = await nextMessage<Message & { port: number }>(server, 'listening', 60_000)
  const url = `http://127.0.0.1:${port}`
  progress(`${label} server listening on ${url} (pid ${server.pid})`)

  const poll = (await (await fetch(`${url}/api/polls/${POLL_ID}`)).json()) as { options: { id: string }[] }
  const options = poll.options.map((o) => o.id)
  if (options.length < 2) throw new Error(`poll ${POLL_ID} needs at least two options`)
  const changeTo = options[options.length - 1] as string
  const firstOptions = options.slice(0, -1)

  // Workers, each with an equal share of the phones.
  const workers: ChildProcess[] = []
  const tag = randomBytes(3).toString('hex')
  const share = Math.ceil(settings.voters / settings.workers)
  for (let w = 0; w < settings.workers; w++) {
    const first = w * share
    const count = Math.max(0, Math.min(share, settings.voters - first))
    if (count === 0) break
    const worker = track(forkTs('worker.ts'))
    workers.push(worker)
    await request(
      worker,
      { type: 'init', url, first, count, tag, pollId: POLL_ID, field, concurrency: settings.concurrency },
      'ready',
    )
  }
  const all = <T extends Message>(message: Message, reply: string, timeoutMs?: number) =>
    Promise.all(workers.map((worker) => request<T>(worker, message, reply, timeoutMs)))

  // The presenter's deck, which also watches the tallies.
  const deck: Socket = io(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth: { role: 'deck', secret },
  })
  const deckSync = await new Promise<{ presenter: boolean }>((resolve, reject) => {
    deck.once('sync', resolve)
    deck.once('connect_error', reject)
  })
  if (!deckSync.presenter) throw new Error('the deck socket was not recognised as the presenter')
  const tallies: TallySeen[] = []
  deck.on('tally', (list: { pollId: string; total: number; counts: Record<string, number> }[]) => {
    const at = now()
    const tally = list.find((t) => t.pollId === POLL_ID)
    if (tally) tallies.push({ at, total: tally.total, counts: tally.counts })
  })
  let deckDisconnected = false
  deck.on('disconnect', (reason) => {
    if (reason !== 'io client disconnect') deckDisconnected = true
  })

  await request(server, { type: 'stats', reset: 'run' }, 'stats')

  // 1. Connect.
  progress(`${label} connecting ${settings.voters} phones from ${workers.length} workers…`)
  const connectStarted = now()
  const connectedSoFar = new Map<ChildProcess, number>()
  let lastLine = 0
  const onProgress = (worker: ChildProcess) => (message: Message) => {
    if (message.type !== 'progress') return
    connectedSoFar.set(worker, message.connected as number)
    if (now() - lastLine > 2000) {
      lastLine = now()
      const sum = [...connectedSoFar.values()].reduce((a, b) => a + b, 0)
      progress(`${label}   ${sum} connected`)
    }
  }
  const listeners = workers.map((worker) => {
    const listener = onProgress(worker)
    worker.on('message', listener)
    return listener
  })
  const connected = await all<Message & { connected: number; failed: number; endedAt: number; connectTimes: number[] }>(
    { type: 'connect' },
    'connected',
    300_000,
  )
  for (const [i, worker] of workers.entries()) worker.off('message', listeners[i] as never)
  const connectMs = Math.max(...connected.map((c) => c.endedAt)) - connectStarted
  const connectedCount = connected.reduce((a, c) => a + c.connected, 0)
  const connectStats = await request<ServerStats>(server, { type: 'stats', reset: 'phase' }, 'stats')
  const perConnection = distribution(connected.flatMap((c) => c.connectTimes))
  progress(
    `${label} ${connectedCount}/${settings.voters} connected in ${(connectMs / 1000).toFixed(1)} s` +
      ` (one connection p50 ${perConnection.p50} ms, p99 ${perConnection.p99} ms)`,
  )

  // 2. Open the poll.
  const opened = (await deck.timeout(30_000).emitWithAck('control', { pollId: POLL_ID, action: 'open' })) as {
    ok: boolean
    error?: string
  }
  if (!opened.ok) throw new Error(`opening ${POLL_ID} failed: ${opened.error}`)
  // Let the poll:state broadcast to every phone drain before the burst starts.
  await new Promise((r) => setTimeout(r, 500))
  await request(server, { type: 'stats', reset: 'phase' }, 'stats')
  tallies.length = 0

  // 3. Burst.
  progress(`${label} burst: every phone votes once, every 10th changes its vote…`)
  const burstLogs = await all<Message & { log: VoteLog; unexpectedDisconnects: number }>(
    { type: 'burst', firstOptions, changeTo, changeEvery: 10, spreadMs: settings.spreadMs },
    'burst-done',
    300_000,
  )
  await new Promise((r) => setTimeout(r, TALLY_SETTLE_MS))
  const burstStats = await request<ServerStats>(server, { type: 'stats', reset: 'phase', order: true }, 'stats')
  const burstLog = mergeLogs(burstLogs.map((b) => b.log))
  const burstTallies = tallies.splice(0)
  const burstOrder = burstStats.order ?? []
  const burstSeen = appearances(burstOrder, burstLog, burstTallies, options)
  const burst = phaseResult(burstLog, burstSeen.appearedAt, burstStats)
  progress(
    `${label} burst: ${burst.votesAcked}/${burst.votesSent} acknowledged, ${burst.votesPerSecond} votes/s,` +
      ` latency p50 ${burst.latencyMs.p50} / p99 ${burst.latencyMs.p99} ms`,
  )

  // 4. Sustained load.
  let sustained: PhaseResult | undefined
  let sustainedStats: ServerStats | undefined
  let sustainedSeen: ReturnType<typeof appearances> | undefined
  if (settings.durationMs > 0) {
    progress(`${label} sustained load for ${settings.durationMs / 1000} s…`)
    const sustainLogs = await all<Message & { log: VoteLog }>(
      { type: 'sustain', durationMs: settings.durationMs, window: settings.window, allOptions: options },
      'sustain-done',
      settings.durationMs + 120_000,
    )
    await new Promise((r) => setTimeout(r, TALLY_SETTLE_MS))
    sustainedStats = await request<ServerStats>(server, { type: 'stats', reset: 'phase', order: true }, 'stats')
    const log = mergeLogs(sustainLogs.map((s) => s.log))
    // Replay from the start so the state carries over from the burst.
    const both = mergeLogs([burstLog, log])
    sustainedSeen = appearances(
      [...burstOrder, ...(sustainedStats.order ?? [])],
      both,
      [...burstTallies, ...tallies.splice(0)],
      options,
    )
    sustained = phaseResult(log, sustainedSeen.appearedAt, sustainedStats, settings.durationMs)
    progress(`${label} sustained: ${sustained.votesPerSecond} votes/s, latency p99 ${sustained.latencyMs.p99} ms`)
  }
  const endStats = await request<ServerStats>(server, { type: 'stats' }, 'stats')

  // Lost votes. Each phone knows its last acknowledged answer, and the votes it sent after that
  // without hearing back (timed out, or the connection dropped): the server may or may not have
  // those. A vote is lost when the server's stored answer for a phone is neither its last
  // acknowledged answer nor one of those later votes. The tally (GET /api/polls/hat-start, what
  // the deck shows) must also count exactly the stored answers, and hold every phone whose last
  // vote was acknowledged.
  const finalTally = (await (
    await fetch(`${url}/api/polls/${POLL_ID}`, { headers: { Authorization: `Bearer ${secret}` } })
  ).json()) as { total: number; counts: Record<string, number> }
  const finals = await all<Message & { finals: [string, string | null, string[]][] }>({ type: 'finals' }, 'finals')
  const { answers } = await request<Message & { answers: [string, string | null][] }>(
    server,
    { type: 'answers', pollId: POLL_ID },
    'answers',
  )
  const stored = new Map(answers)
  const zero = () => Object.fromEntries(options.map((o) => [o, 0])) as Record<string, number>
  const expected = zero()
  let expectedTotal = 0
  let lostVotes = 0
  let unconfirmedPhones = 0
  for (const { finals: list } of finals) {
    for (const [participantId, acked, later] of list) {
      if (later.length) unconfirmedPhones++
      if (acked === null) continue
      const answer = stored.get(participantId)
      if (answer === undefined || (answer !== acked && !later.includes(answer ?? ''))) lostVotes++
      if (later.length === 0) {
        expected[acked] = (expected[acked] ?? 0) + 1
        expectedTotal++
      }
    }
  }
  const storedCounts = zero()
  for (const answer of stored.values()) if (answer) storedCounts[answer] = (storedCounts[answer] ?? 0) + 1
  const tallyMatchesStore =
    finalTally.total === stored.size && options.every((o) => (finalTally.counts[o] ?? 0) === storedCounts[o])
  // The brief's count check: acknowledged final choices missing from the tally (phones with
  // votes of unknown fate are left out of the expectation; they can only add to the counts).
  let tallyShortfall = 0
  for (const option of options)
    tallyShortfall += Math.max(0, (expected[option] ?? 0) - (finalTally.counts[option] ?? 0))

  // Shut down: phones, deck, workers, server.
  const closed = await all<Message & { cpu: NodeJS.CpuUsage }>({ type: 'close' }, 'closed')
  const clientCpuSeconds = closed.reduce((a, c) => a + (c.cpu.user + c.cpu.system) / 1e6, 0)
  deck.close()
  await Promise.all(workers.map((worker) => stopChild(worker, 5000)))
  await stopChild(server, kind === 'ours' && flags.profile ? 30_000 : 10_000)
  rmSync(dataDir, { recursive: true, force: true })
  tempDirs.delete(dataDir)

  const unexpectedDisconnects = burstLogs.reduce((a, b) => a + b.unexpectedDisconnects, 0)
  const headline = sustained && sustained.votesPerSecond > 0 ? sustained : burst
  return {
    server: kind,
    voters: settings.voters,
    votersConnected: connectedCount,
    connectFailures: connected.reduce((a, c) => a + c.failed, 0),
    connectMs: Math.round(connectMs),
    connectPerConnectionMs: perConnection,
    votesPerSecond: burst.votesPerSecond,
    latencyMs: {
      p50: burst.latencyMs.p50,
      p95: burst.latencyMs.p95,
      p99: burst.latencyMs.p99,
      max: burst.latencyMs.max,
      mean: burst.latencyMs.mean,
    },
    ackLatencyMs: burst.ackLatencyMs,
    lostVotes,
    tallyShortfall,
    tallyMatchesStore,
    phonesWithUnconfirmedVotes: unconfirmedPhones,
    finalTally: { total: finalTally.total, counts: finalTally.counts },
    storedAnswers: { total: stored.size, counts: storedCounts },
    acknowledgedFinals: { total: expectedTotal, counts: expected },
    rssMb: endStats.maxRssMb,
    rssNowMb: endStats.rssMb,
    cpuSeconds: endStats.run.cpuSeconds,
    eventLoopDelayP99Ms: endStats.run.eventLoopDelayMs.p99,
    eventLoopDelayMaxMs: endStats.run.eventLoopDelayMs.max,
    clientCpuSeconds: Math.round(clientCpuSeconds * 10) / 10,
    unexpectedDisconnects,
    deckDisconnected,
    latencyCheck: {
      talliesReceived: burstTallies.length,
      unmatchedTallies: burstSeen.unmatchedTallies + (sustainedSeen?.unmatchedTallies ?? 0),
      appliedVotesNotFromPhones: burstSeen.unknownVotes,
    },
    phases: {
      connect: {
        durationMs: Math.round(connectMs),
        cpuSeconds: connectStats.phase.cpuSeconds,
        eventLoopDelayMs: connectStats.phase.eventLoopDelayMs,
        rssMb: connectStats.rssMb,
      },
      burst,
      ...(sustained ? { sustained } : {}),
    },
    sustainedVotesPerSecond: sustained?.votesPerSecond,
    sustainedLatencyMs: sustained?.latencyMs,
    headlinePhase: headline === burst ? 'burst' : 'sustained',
  }
}

type Result = Awaited<ReturnType<typeof runAgainst>>

// ---------------------------------------------------------------------------------------------
// Report.

const fixed = (x: number | undefined, digits = 1) =>
  x === undefined || Number.isNaN(x) ? '–' : x === Number.POSITIVE_INFINITY ? 'never' : x.toFixed(digits)
const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0
    ? undefined
    : Math.round((a / b) * 100) / 100

function ratios(ours: Result, floor: Result) {
  return {
    votesPerSecond: ratio(ours.votesPerSecond, floor.votesPerSecond),
    latencyP50: ratio(ours.latencyMs.p50, floor.latencyMs.p50),
    latencyP95: ratio(ours.latencyMs.p95, floor.latencyMs.p95),
    latencyP99: ratio(ours.latencyMs.p99, floor.latencyMs.p99),
    rssMb: ratio(ours.rssMb, floor.rssMb),
    connectMs: ratio(ours.connectMs, floor.connectMs),
    cpuSeconds: ratio(ours.cpuSeconds, floor.cpuSeconds),
    eventLoopDelayP99Ms: ratio(ours.eventLoopDelayP99Ms, floor.eventLoopDelayP99Ms),
    sustainedVotesPerSecond: ratio(ours.sustainedVotesPerSecond, floor.sustainedVotesPerSecond),
  }
}

function table(ours?: Result, floor?: Result): string {
  const rows: [string, (r: Result) => string, number | undefined][] = [
    ['phones connected', (r) => `${r.votersConnected}/${r.voters}`, undefined],
    [
      'connect time (s)',
      (r) => fixed(r.connectMs / 1000),
      ours && floor ? ratio(ours.connectMs, floor.connectMs) : undefined,
    ],
    ['votes acknowledged (burst)', (r) => `${r.phases.burst.votesAcked}/${r.phases.burst.votesSent}`, undefined],
    [
      'votes per second (burst)',
      (r) => String(r.votesPerSecond),
      ours && floor ? ratio(ours.votesPerSecond, floor.votesPerSecond) : undefined,
    ],
    [
      'vote → deck p50 (ms)',
      (r) => fixed(r.latencyMs.p50),
      ours && floor ? ratio(ours.latencyMs.p50, floor.latencyMs.p50) : undefined,
    ],
    [
      'vote → deck p95 (ms)',
      (r) => fixed(r.latencyMs.p95),
      ours && floor ? ratio(ours.latencyMs.p95, floor.latencyMs.p95) : undefined,
    ],
    [
      'vote → deck p99 (ms)',
      (r) => fixed(r.latencyMs.p99),
      ours && floor ? ratio(ours.latencyMs.p99, floor.latencyMs.p99) : undefined,
    ],
    [
      'vote → ack p99 (ms)',
      (r) => fixed(r.ackLatencyMs.p99),
      ours && floor ? ratio(ours.ackLatencyMs.p99, floor.ackLatencyMs.p99) : undefined,
    ],
    ['lost votes', (r) => String(r.lostVotes), undefined],
    ['tally = stored answers', (r) => (r.tallyMatchesStore ? 'yes' : 'NO'), undefined],
    ['server RSS peak (MB)', (r) => fixed(r.rssMb), ours && floor ? ratio(ours.rssMb, floor.rssMb) : undefined],
    [
      'server CPU (s)',
      (r) => fixed(r.cpuSeconds, 2),
      ours && floor ? ratio(ours.cpuSeconds, floor.cpuSeconds) : undefined,
    ],
    [
      'event-loop delay p99 (ms)',
      (r) => fixed(r.eventLoopDelayP99Ms),
      ours && floor ? ratio(ours.eventLoopDelayP99Ms, floor.eventLoopDelayP99Ms) : undefined,
    ],
    [
      'event-loop delay max (ms)',
      (r) => fixed(r.eventLoopDelayMaxMs),
      ours && floor ? ratio(ours.eventLoopDelayMaxMs, floor.eventLoopDelayMaxMs) : undefined,
    ],
  ]
  if (settings.durationMs > 0) {
    rows.push(
      [
        'sustained votes per second',
        (r) => String(r.sustainedVotesPerSecond ?? '–'),
        ours && floor ? ratio(ours.sustainedVotesPerSecond, floor.sustainedVotesPerSecond) : undefined,
      ],
      [
        'sustained vote → deck p99 (ms)',
        (r) => fixed(r.sustainedLatencyMs?.p99),
        ours && floor ? ratio(ours.sustainedLatencyMs?.p99, floor.sustainedLatencyMs?.p99) : undefined,
      ],
    )
  }
  const lines = [`${'metric'.padEnd(32)}${'ours'.padStart(14)}${'floor'.padStart(14)}${'ours/floor'.padStart(12)}`]
  lines.push('-'.repeat(lines[0]?.length ?? 72))
  for (const [name, value, r] of rows) {
    lines.push(
      `${name.padEnd(32)}${(ours ? value(ours) : '–').padStart(14)}${(floor ? value(floor) : '–').padStart(14)}${(r === undefined ? '' : `${r}×`).padStart(12)}`,
    )
  }
  return lines.join('\n')
}

function targets(ours: Result, floor?: Result) {
  const checks = [
    { target: `${ours.voters} phones connected`, met: ours.votersConnected === ours.voters },
    {
      target: 'burst: every vote acknowledged, none lost',
      met:
        ours.lostVotes === 0 &&
        ours.tallyShortfall === 0 &&
        ours.tallyMatchesStore &&
        ours.phases.burst.votesFailed === 0,
    },
    { target: 'vote → deck p99 ≤ 100 ms', met: ours.latencyMs.p99 <= 100 },
    { target: 'server RSS ≤ 500 MB', met: ours.rssMb <= 500 },
  ]
  if (floor) checks.push({ target: 'p99 within 2× the floor', met: ours.latencyMs.p99 <= 2 * floor.latencyMs.p99 })
  return checks
}

async function main(): Promise<void> {
  const field = await serverVoteField()
  progress(
    `${settings.voters} phones, ${settings.workers} workers, ${cpus().length} cores, Node ${process.version}; votes carry "${field}"`,
  )
  const loadBefore = loadavg()[0] ?? 0
  if (loadBefore > cpus().length / 2) {
    progress(`note: the machine is already busy (load average ${loadBefore.toFixed(1)}); figures will be noisy`)
  }
  const which: Kind[] = flags.only === 'ours' ? ['ours'] : flags.only === 'floor' ? ['floor'] : ['ours', 'floor']
  const results: Partial<Record<Kind, Result>> = {}
  for (const kind of which) results[kind] = await runAgainst(kind, field)
  const { ours, floor } = results

  console.log(`\nLive-poll benchmark: ${settings.voters} phones, poll "${POLL_ID}", ${cpus().length} cores\n`)
  console.log(table(ours, floor))
  if (ours) {
    console.log('')
    for (const check of targets(ours, floor)) console.log(`  ${check.met ? 'met   ' : 'MISSED'}  ${check.target}`)
    const burst = ours.phases.burst
    if (burst.votesFailed) {
      console.log(
        `  votes without a positive acknowledgement: ${JSON.stringify(burst.failureReasons)}; ${ours.phonesWithUnconfirmedVotes} phones do not know the fate of their last vote`,
      )
    }
    if (ours.unexpectedDisconnects) console.log(`  phones disconnected during the burst: ${ours.unexpectedDisconnects}`)
    if (burst.notShownOnDeck) console.log(`  acknowledged votes never shown on the deck: ${burst.notShownOnDeck}`)
    const writes = burst.durableWrites
    if (writes) {
      console.log(
        `  burst: ${writes.votes} votes written in ${writes.batches} batches (largest ${writes.maxBatch}), ${writes.ms} ms inside saveVotes`,
      )
    }
    if (ours.deckDisconnected) {
      console.log(
        "  the deck's own connection dropped during the run (the server did not answer its pings in time): votes it never saw count as 'never'",
      )
    }
    if (floor && floor.latencyMs.p99 > 100) {
      console.log(
        `  the floor itself has p99 ${floor.latencyMs.p99} ms: phones and server share ${cpus().length} cores, so no server can do better here` +
          (settings.spreadMs > 0 ? '' : '; --spread MS sends the burst over MS milliseconds instead of all at once'),
      )
    }
  }
  console.log(`  load average before/after: ${loadBefore.toFixed(1)} / ${(loadavg()[0] ?? 0).toFixed(1)}`)
  console.log('')

  if (flags.json) {
    const report = {
      ...(ours ?? floor),
      ...(floor && ours ? { floor, ratios: ratios(ours, floor) } : {}),
      ...(ours ? { targets: targets(ours, floor) } : {}),
      settings,
      machine: {
        cores: cpus().length,
        cpu: cpus()[0]?.model,
        node: process.version,
        loadAverageBefore: loadBefore,
        loadAverageAfter: loadavg()[0],
      },
      latencyMethod:
        'vote send time on the phone → receive time on the deck of the first tally that includes the vote; inclusion from the exact apply order recorded by the server (see bench/run.ts)',
    }
    writeFileSync(flags.json, `${JSON.stringify(report, null, 2)}\n`)
    progress(`wrote ${flags.json}`)
  }
}

main()
  .then(() => {
    cleanUp()
    process.exit(0)
  })
  .catch((error: unknown) => {
    progress(`failed: ${(error as Error)?.stack ?? error}`)
    cleanUp()
    process.exit(1)
  })
