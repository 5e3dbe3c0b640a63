// Load benchmark for the live-poll server: thousands of simulated phones over real WebSockets,
// the same workload against the real server (bench/server.ts) and against a bare Socket.IO
// "floor" (bench/floor-server.ts), each in a process of its own, phones spread over worker
// processes (bench/worker.ts).
//
//   npx tsx bench/run.ts [--voters 10000] [--workers 4] [--nodes N] [--duration S] [--spread MS]
//                        [--json FILE] [--only ours|floor] [--profile DIR]
//                        [--concurrency 32] [--window 64]
//
//   --nodes N       N ≥ 2: N server processes sharing one Redis (see SEVERAL NODES below)
//   --spread MS     send the burst evenly over MS milliseconds (default: all at once)
//   --duration S    after the burst, S seconds of sustained load (--window votes in flight per worker)
//   --profile DIR   run our server (every node) under `node --cpu-prof`; .cpuprofile files land in DIR
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
//     (bench/server.ts wraps PollTally.prototype.apply, through which every vote enters a tally;
//     the engine applies each batch right after it is written, so with one node this is also the
//     durable order; the floor records it as it counts). That gives each vote its rank k in the
//     apply order.
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
//   * After each phase the benchmark waits until the deck has heard no tally for 400 ms (at most
//     10 s), so votes still on their way (from another node, through Redis) are not cut off.
//   * Acknowledged votes that no tally ever shows (say the deck's connection dropped) count as
//     infinitely late ("never"; null in JSON) rather than being left out.
//   * Lost votes: each phone knows its last acknowledged answer (and any later votes whose
//     acknowledgement never came). A vote is lost if the server's stored answer for that phone
//     is neither. The tally from GET /api/polls/hat-start must also equal the stored answers and
//     contain every acknowledged final choice (tallyShortfall).
//
// SEVERAL NODES (--nodes N, N ≥ 2)
//   * A fresh redis-server of our own (loopback, a free port, --appendonly yes --appendfsync
//     always --save '', a temporary folder) and N bench/server.ts processes with REDIS_URL set to
//     it, the same PRESENTER_SECRET and MAX_CONNECTIONS_PER_ADDRESS. Worker w connects its phones
//     to node w mod N (4 workers, 2 nodes: 2 workers, 5000 phones per node). The deck connects to
//     node 0, opens the poll there (the other nodes hear of it through Redis; the burst waits
//     until every node reports it open) and measures the tallies there, so they include the votes
//     made on the other nodes, which node 0 learns through Redis: that path is what is measured.
//   * Latency. The order one server records must cover every vote its deck can see. So the
//     recorded order is not "when did my own votes become durable" but "when did each vote ENTER
//     THIS PROCESS'S TALLY": bench/server.ts wraps PollTally.prototype.apply, the one place both
//     paths go through (the engine's own flush, right after the durable write, and applyRemote,
//     which mirrors a batch another node made durable and shared over Redis). Node 0's tally is
//     therefore always a prefix of node 0's recorded order, and the matching above works
//     unchanged. With one node the two definitions give the same order (the engine applies each
//     batch right after its write); the same recorder is used there too. A vote made on node 1
//     is timed from its phone's send to node 0's deck: node 1's validation and durable write,
//     the share message through Redis (PUB/SUB), node 0's engine queue, its 50 ms coalescing.
//   * Lost votes: as above, against the stored answers (one Redis, read through node 0); and the
//     final tally is read with GET /api/polls/hat-start from EVERY node: each must equal the
//     stored answers and hold every acknowledged final choice (the worst node's shortfall is
//     reported), and all nodes must agree (they get up to 5 s to converge; if not, it is
//     reported as a failure).
//   * Server stats are per node (printed below the table, `perNode` in JSON); the table sums
//     RSS and CPU over the nodes, gives the largest node's RSS (the 500 MB target is per
//     process) and the worst node's event-loop delay. redis-server's CPU time and peak RSS
//     (/proc) are reported separately, and Redis's own per-command counts and times (INFO
//     commandstats) for the burst and the run go into the JSON. Burst latencies are also split
//     by the node the vote was made on (node 0: the local path; others: through Redis).
//   * The floor in this mode is N bare floor processes (bench/floor-server.ts) linked by the same
//     Socket.IO Redis Streams adapter on a Redis configured the same way: each counts its own
//     phones' votes in memory, acknowledges at once and forwards them to the other nodes (one
//     serverSideEmit per event-loop turn, as the engine shares one message per durable batch);
//     every node folds the others' votes into its own counts, records the order as it does, and
//     tells its own decks. So the floor has the same topology and the same cross-node hop; what
//     it lacks is validation, the durable write to Redis and the engine's queue.
//   * REDIS_SERVER=/path picks the redis-server binary (default: redis-server on PATH); a
//     REDIS_URL in the environment is ignored in this mode (the nodes always get a fresh Redis).
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer as createNetServer } from 'node:net'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createClient } from 'redis'
import { io, type Socket } from 'socket.io-client'
import { forkTs, type Message, nextMessage, now, percentile, request } from './common.ts'

const POLL_ID = 'hat-start'
/** After a phase: wait until the deck has heard no tally for this long… */
const TALLY_SETTLE_MS = 400
/** …but no longer than this. */
const TALLY_SETTLE_MAX_MS = 10_000
/** Several nodes: how long their final tallies may take to agree before it counts as a failure. */
const NODES_AGREE_MAX_MS = 5_000

const { values: flags } = parseArgs({
  options: {
    voters: { type: 'string', default: '10000' },
    workers: { type: 'string', default: '4' },
    nodes: { type: 'string', default: '1' },
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
    'npx tsx bench/run.ts [--voters 10000] [--workers 4] [--nodes N] [--duration S] [--spread MS] [--json FILE] [--only ours|floor] [--profile DIR]',
  )
  process.exit(0)
}
const settings = {
  voters: positive('voters'),
  workers: positive('workers'),
  nodes: positive('nodes'),
  durationMs: Number(flags.duration) * 1000,
  spreadMs: Number(flags.spread),
  concurrency: positive('concurrency'),
  window: positive('window'),
}
if (settings.nodes > settings.workers) {
  throw new Error(`--nodes ${settings.nodes} needs at least as many --workers (each worker's phones use one node)`)
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

/**
 * Several nodes: the same latencies, split by the node the vote was made on (the deck is on
 * node 0, so node 0's votes take the local path and the others' the path through Redis).
 */
function latencyByNode(log: VoteLog, appearedAt: Map<string, number>, nodeOf: (phone: number) => number, n: number) {
  const latency: number[][] = Array.from({ length: n }, () => [])
  const ack: number[][] = Array.from({ length: n }, () => [])
  for (let row = 0; row < log.voteIds.length; row++) {
    if (log.errors[row]) continue
    const node = nodeOf(log.participants[row] as number)
    const sent = log.sentAt[row] as number
    ack[node]?.push((log.ackAt[row] as number) - sent)
    const shown = appearedAt.get(log.voteIds[row] as string)
    latency[node]?.push(shown === undefined ? Number.POSITIVE_INFINITY : shown - sent)
  }
  return latency.map((values, node) => ({
    latencyMs: distribution(values),
    ackLatencyMs: distribution(ack[node] ?? []),
  }))
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
// One complete run against one server, or against --nodes N server processes on one Redis.

type Kind = 'ours' | 'floor'

interface Node {
  index: number
  child: ChildProcess
  url: string
  dataDir: string
}

/** A redis-server of our own: loopback, a free port, append-only with fsync always, no snapshots. */
interface Redis {
  child: ChildProcess
  url: string
  dir: string
}

async function freePort(): Promise<number> {
  const probe = createNetServer().listen(0, '127.0.0.1')
  await new Promise((resolve) => probe.once('listening', resolve))
  const { port } = probe.address() as { port: number }
  await new Promise((resolve) => probe.close(resolve))
  return port
}

async function startRedis(label: string): Promise<Redis> {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'bench-redis-'))
  tempDirs.add(dir)
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir]
  args.push('--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--protected-mode', 'yes')
  const child = track(spawn(process.env.REDIS_SERVER || 'redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] }))
  let out = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start within 10 s: ${out}`)), 10_000)
    child.stdout?.on('data', (chunk: Buffer) => {
      if (out.length < 10_000) out += chunk
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk))
    child.once('error', (error) => {
      clearTimeout(timer)
      reject(new Error(`cannot start redis-server (${error.message}); install it or set REDIS_SERVER=/path`))
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`redis-server exited (${code}): ${out}`))
    })
  })
  const url = `redis://127.0.0.1:${port}`
  progress(`${label} redis-server on ${url} (pid ${child.pid}, appendonly yes, appendfsync always)`)
  return { child, url, dir }
}

async function stopRedis(redis: Redis): Promise<void> {
  const { child } = redis
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill('SIGKILL')
    await exited
  }
  rmSync(redis.dir, { recursive: true, force: true })
  tempDirs.delete(redis.dir)
}

type CommandStats = Record<string, { calls: number; usec: number }>

/** Redis's own per-command counters (INFO commandstats): calls and microseconds spent. */
async function commandStats(url: string, reset = false): Promise<CommandStats> {
  const client = createClient({ url })
  client.on('error', () => undefined)
  try {
    await client.connect()
    const info = await client.info('commandstats')
    if (reset) await client.configResetStat()
    const stats: CommandStats = {}
    for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) {
      stats[match[1] as string] = { calls: Number(match[2]), usec: Number(match[3]) }
    }
    return stats
  } catch {
    return {}
  } finally {
    await client.quit().catch(() => undefined)
  }
}

/** Commands between two readings, busiest first (our own INFO/CONFIG calls left out). */
function commandsBetween(before: CommandStats, after: CommandStats) {
  return Object.entries(after)
    .map(([command, { calls, usec }]) => ({
      command,
      calls: calls - (before[command]?.calls ?? 0),
      ms: Math.round((usec - (before[command]?.usec ?? 0)) / 100) / 10,
    }))
    .filter((c) => c.calls > 0 && !['info', 'config|resetstat', 'hello', 'client|setinfo'].includes(c.command))
    .sort((a, b) => b.ms - a.ms)
}

const CLOCK_TICKS_PER_SECOND = 100
/** CPU seconds and peak RSS of another process (Linux /proc; undefined elsewhere). */
function processUsage(pid: number | undefined): { cpuSeconds: number; maxRssMb: number } | undefined {
  if (!pid) return undefined
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // Fields 14 and 15 of stat (utime, stime); the slice starts at field 3.
    const ticks = Number(fields[11]) + Number(fields[12])
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return { cpuSeconds: ticks / CLOCK_TICKS_PER_SECOND, maxRssMb: hwm ? Math.round(Number(hwm[1]) / 102.4) / 10 : 0 }
  } catch {
    return undefined
  }
}

/**
 * Several nodes' stats as one: CPU time and memory summed (the machine pays for all of them),
 * event-loop delay the worst node's (each figure separately), durable writes summed, the apply
 * order node 0's (where the deck is).
 */
function combine(list: ServerStats[]): ServerStats {
  const first = list[0] as ServerStats
  if (list.length === 1) return first
  const sum = (get: (s: ServerStats) => number) => Math.round(list.reduce((a, s) => a + get(s), 0) * 1000) / 1000
  const worst = (get: (s: ServerStats) => ServerStats['run']['eventLoopDelayMs']) => ({
    p50: Math.max(...list.map((s) => get(s).p50)),
    p99: Math.max(...list.map((s) => get(s).p99)),
    max: Math.max(...list.map((s) => get(s).max)),
    mean: Math.max(...list.map((s) => get(s).mean)),
  })
  const writes = list.every((s) => s.writes)
    ? {
        batches: sum((s) => s.writes?.batches ?? 0),
        votes: sum((s) => s.writes?.votes ?? 0),
        maxBatch: Math.max(...list.map((s) => s.writes?.maxBatch ?? 0)),
        ms: sum((s) => s.writes?.ms ?? 0),
      }
    : undefined
  return {
    type: 'stats',
    rssMb: sum((s) => s.rssMb),
    maxRssMb: sum((s) => s.maxRssMb),
    heapUsedMb: sum((s) => s.heapUsedMb),
    phase: { cpuSeconds: sum((s) => s.phase.cpuSeconds), eventLoopDelayMs: worst((s) => s.phase.eventLoopDelayMs) },
    run: { cpuSeconds: sum((s) => s.run.cpuSeconds), eventLoopDelayMs: worst((s) => s.run.eventLoopDelayMs) },
    ...(first.order ? { order: first.order } : {}),
    ...(writes ? { writes } : {}),
  }
}

interface PollReading {
  state?: string
  total: number
  counts: Record<string, number>
}

async function readPoll(url: string, secret: string): Promise<PollReading> {
  const response = await fetch(`${url}/api/polls/${POLL_ID}`, { headers: { Authorization: `Bearer ${secret}` } })
  return (await response.json()) as PollReading
}

const sameTally = (a: PollReading, b: PollReading, options: string[]) =>
  a.total === b.total && options.every((o) => (a.counts[o] ?? 0) === (b.counts[o] ?? 0))

async function runAgainst(kind: Kind) {
  const label = `[${kind}]`
  const secret = randomBytes(18).toString('base64url')
  const nodeCount = settings.nodes
  const execArgv: string[] = []
  if (kind === 'ours' && flags.profile) {
    mkdirSync(resolve(flags.profile), { recursive: true })
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${resolve(flags.profile)}`)
  }
  // Several nodes: a fresh Redis of their own, shared by all of them (the floor's nodes get one
  // too, configured the same, for the Socket.IO adapter between them).
  const redis = nodeCount > 1 ? await startRedis(label) : undefined
  const startNode = async (index: number): Promise<Node> => {
    const dataDir = mkdtempSync(join(tmpdir(), `bench-${kind}-`))
    tempDirs.add(dataDir)
    const child = track(
      forkTs(kind === 'ours' ? '../tests/harness/server-main.ts' : 'floor-server.ts', {
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
          ...(redis ? { REDIS_URL: redis.url } : {}),
        },
      }),
    )
    const name = nodeCount > 1 ? `${label} node ${index}` : label
    child.stderr?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) progress(`${name} server: ${line}`)
    })
    const { port } = await nextMessage<Message & { port: number }>(child, 'listening', 60_000)
    const url = `http://127.0.0.1:${port}`
    progress(`${name} server listening on ${url} (pid ${child.pid})`)
    return { index, child, url, dataDir }
  }
  const nodes: Node[] = []
  for (let index = 0; index < nodeCount; index++) nodes.push(await startNode(index))
  const node0 = nodes[0] as Node
  const url = node0.url
  const statsOf = (message: Message) =>
    Promise.all(nodes.map((node) => request<ServerStats>(node.child, message, 'stats')))
  const redisUsage = () => (redis ? processUsage(redis.child.pid) : undefined)

  const poll = (await (await fetch(`${url}/api/polls/${POLL_ID}`)).json()) as { options: { id: string }[] }
  const options = poll.options.map((o) => o.id)
  if (options.length < 2) throw new Error(`poll ${POLL_ID} needs at least two options`)
  const changeTo = options[options.length - 1] as string
  const firstOptions = options.slice(0, -1)

  // Workers, each with an equal share of the phones; worker w connects to node w mod N.
  const workers: ChildProcess[] = []
  const phonesPerNode = nodes.map(() => 0)
  const workersPerNode = nodes.map(() => 0)
  const tag = randomBytes(3).toString('hex')
  const share = Math.ceil(settings.voters / settings.workers)
  for (let w = 0; w < settings.workers; w++) {
    const first = w * share
    const count = Math.max(0, Math.min(share, settings.voters - first))
    if (count === 0) break
    const node = nodes[w % nodeCount] as Node
    phonesPerNode[node.index] = (phonesPerNode[node.index] ?? 0) + count
    workersPerNode[node.index] = (workersPerNode[node.index] ?? 0) + 1
    const worker = track(forkTs('worker.ts'))
    workers.push(worker)
    await request(
      worker,
      { type: 'init', url: node.url, first, count, tag, pollId: POLL_ID, concurrency: settings.concurrency },
      'ready',
    )
  }
  if (nodeCount > 1) {
    progress(
      `${label} phones per node: ${phonesPerNode.map((n, i) => `node ${i}: ${n} (${workersPerNode[i]} workers)`).join(', ')}; the deck is on node 0`,
    )
  }
  const all = <T extends Message>(message: Message, reply: string, timeoutMs?: number) =>
    Promise.all(workers.map((worker) => request<T>(worker, message, reply, timeoutMs)))

  // The presenter's deck, which also watches the tallies: on node 0.
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
  let lastTallyAt = 0
  deck.on('tally', (list: { pollId: string; total: number; counts: Record<string, number> }[]) => {
    const at = now()
    lastTallyAt = at
    const tally = list.find((t) => t.pollId === POLL_ID)
    if (tally) tallies.push({ at, total: tally.total, counts: tally.counts })
  })
  let deckDisconnected = false
  deck.on('disconnect', (reason) => {
    if (reason !== 'io client disconnect') deckDisconnected = true
  })
  // After a phase: wait until the deck has heard nothing for TALLY_SETTLE_MS (votes from other
  // nodes may still be on their way through Redis), at most TALLY_SETTLE_MAX_MS.
  const settle = async () => {
    const until = now() + TALLY_SETTLE_MAX_MS
    await new Promise((r) => setTimeout(r, TALLY_SETTLE_MS))
    while (now() - lastTallyAt < TALLY_SETTLE_MS && now() < until) await new Promise((r) => setTimeout(r, 50))
  }

  await statsOf({ type: 'stats', reset: 'run' })
  const redisAtStart = redisUsage()
  if (redis) await commandStats(redis.url, true)

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
  const connectStats = combine(await statsOf({ type: 'stats', reset: 'phase' }))
  const perConnection = distribution(connected.flatMap((c) => c.connectTimes))
  progress(
    `${label} ${connectedCount}/${settings.voters} connected in ${(connectMs / 1000).toFixed(1)} s` +
      ` (one connection p50 ${perConnection.p50} ms, p99 ${perConnection.p99} ms)`,
  )

  // 2. Open the poll (on node 0; the other nodes hear of it through Redis).
  const opened = (await deck.timeout(30_000).emitWithAck('control', { pollId: POLL_ID, action: 'open' })) as {
    ok: boolean
    error?: string
  }
  if (!opened.ok) throw new Error(`opening ${POLL_ID} failed: ${opened.error}`)
  // Let the poll:state broadcast to every phone drain before the burst starts.
  await new Promise((r) => setTimeout(r, 500))
  for (const node of nodes.slice(1)) {
    const until = now() + 10_000
    while ((await readPoll(node.url, secret)).state !== 'open') {
      if (now() > until) throw new Error(`node ${node.index} did not see ${POLL_ID} open within 10 s`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  await statsOf({ type: 'stats', reset: 'phase', order: true })
  tallies.length = 0
  const redisAtBurst = redisUsage()
  const commandsAtBurst = redis ? await commandStats(redis.url) : {}

  // 3. Burst.
  progress(`${label} burst: every phone votes once, every 10th changes its vote…`)
  const burstLogs = await all<Message & { log: VoteLog; unexpectedDisconnects: number }>(
    { type: 'burst', firstOptions, changeTo, changeEvery: 10, spreadMs: settings.spreadMs },
    'burst-done',
    300_000,
  )
  await settle()
  const burstNodeStats = await statsOf({ type: 'stats', reset: 'phase', order: true })
  const burstStats = combine(burstNodeStats)
  const redisAfterBurst = redisUsage()
  const commandsAfterBurst = redis ? await commandStats(redis.url) : {}
  const burstLog = mergeLogs(burstLogs.map((b) => b.log))
  const burstTallies = tallies.splice(0)
  const burstOrder = burstStats.order ?? []
  const burstSeen = appearances(burstOrder, burstLog, burstTallies, options)
  const burst = phaseResult(burstLog, burstSeen.appearedAt, burstStats)
  const nodeOfPhone = (phone: number) => Math.floor(phone / share) % nodeCount
  const burstByNode = latencyByNode(burstLog, burstSeen.appearedAt, nodeOfPhone, nodeCount)
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
    await settle()
    sustainedStats = combine(await statsOf({ type: 'stats', reset: 'phase', order: true }))
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
  const endNodeStats = await statsOf({ type: 'stats' })
  const endStats = combine(endNodeStats)
  const redisAtEnd = redisUsage()
  const commandsAtEnd = redis ? await commandStats(redis.url) : {}

  // Lost votes. Each phone knows its last acknowledged answer, and the votes it sent after that
  // without hearing back (timed out, or the connection dropped): the server may or may not have
  // those. A vote is lost when the server's stored answer for a phone is neither its last
  // acknowledged answer nor one of those later votes. The tally (GET /api/polls/hat-start, what
  // the deck shows) must also count exactly the stored answers, and hold every phone whose last
  // vote was acknowledged. With several nodes the tally is read from EVERY node (the store is
  // the one Redis, read through node 0); all nodes must agree.
  const readAll = () => Promise.all(nodes.map((node) => readPoll(node.url, secret)))
  let finalTallies = await readAll()
  const agreeStarted = now()
  const agree = () => finalTallies.every((t) => sameTally(t, finalTallies[0] as PollReading, options))
  while (!agree() && now() - agreeStarted < NODES_AGREE_MAX_MS) {
    await new Promise((r) => setTimeout(r, 100))
    finalTallies = await readAll()
  }
  const nodesAgree = agree()
  const nodesAgreeAfterMs = Math.round(now() - agreeStarted)
  const finalTally = finalTallies[0] as PollReading
  const finals = await all<Message & { finals: [string, string | null, string[]][] }>({ type: 'finals' }, 'finals')
  const { answers } = await request<Message & { answers: [string, string | null][] }>(
    node0.child,
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
  const storedReading: PollReading = { total: stored.size, counts: storedCounts }
  const tallyMatchesStoreByNode = finalTallies.map((t) => sameTally(t, storedReading, options))
  const tallyMatchesStore = tallyMatchesStoreByNode.every(Boolean)
  // The brief's count check: acknowledged final choices missing from the tally (phones with
  // votes of unknown fate are left out of the expectation; they can only add to the counts).
  // With several nodes: the worst node's shortfall.
  const shortfallByNode = finalTallies.map((t) =>
    options.reduce((a, option) => a + Math.max(0, (expected[option] ?? 0) - (t.counts[option] ?? 0)), 0),
  )
  const tallyShortfall = Math.max(...shortfallByNode)

  // Shut down: phones, deck, workers, servers, Redis.
  const closed = await all<Message & { cpu: NodeJS.CpuUsage }>({ type: 'close' }, 'closed')
  const clientCpuSeconds = closed.reduce((a, c) => a + (c.cpu.user + c.cpu.system) / 1e6, 0)
  deck.close()
  await Promise.all(workers.map((worker) => stopChild(worker, 5000)))
  await Promise.all(nodes.map((node) => stopChild(node.child, kind === 'ours' && flags.profile ? 30_000 : 10_000)))
  for (const node of nodes) {
    rmSync(node.dataDir, { recursive: true, force: true })
    tempDirs.delete(node.dataDir)
  }
  if (redis) await stopRedis(redis)

  const cpuBetween = (a?: { cpuSeconds: number }, b?: { cpuSeconds: number }) =>
    a && b ? Math.round((b.cpuSeconds - a.cpuSeconds) * 100) / 100 : undefined
  const redisStats = redis
    ? {
        cpuSeconds: cpuBetween(redisAtStart, redisAtEnd),
        burstCpuSeconds: cpuBetween(redisAtBurst, redisAfterBurst),
        maxRssMb: redisAtEnd?.maxRssMb,
        /** INFO commandstats: calls and time inside Redis per command, in the burst and the whole run. */
        burstCommands: commandsBetween(commandsAtBurst, commandsAfterBurst),
        runCommands: commandsBetween({}, commandsAtEnd),
        config: 'appendonly yes, appendfsync always, no snapshots',
      }
    : undefined
  const perNode = nodes.map((node) => {
    const i = node.index
    const end = endNodeStats[i] as ServerStats
    const b = burstNodeStats[i] as ServerStats
    return {
      node: node.index,
      phones: phonesPerNode[i],
      workers: workersPerNode[i],
      deck: i === 0,
      rssMb: end.maxRssMb,
      rssNowMb: end.rssMb,
      cpuSeconds: end.run.cpuSeconds,
      eventLoopDelayP99Ms: end.run.eventLoopDelayMs.p99,
      eventLoopDelayMaxMs: end.run.eventLoopDelayMs.max,
      burst: {
        cpuSeconds: b.phase.cpuSeconds,
        eventLoopDelayMs: b.phase.eventLoopDelayMs,
        votesAppliedToTally: b.order?.length,
        /** Votes made on this node's phones → node 0's deck. */
        latencyMs: burstByNode[node.index]?.latencyMs,
        ackLatencyMs: burstByNode[node.index]?.ackLatencyMs,
        ...(b.writes ? { durableWrites: b.writes } : {}),
      },
      finalTally: { total: finalTallies[i]?.total, counts: finalTallies[i]?.counts },
      tallyMatchesStore: tallyMatchesStoreByNode[i],
      tallyShortfall: shortfallByNode[i],
    }
  })

  const unexpectedDisconnects = burstLogs.reduce((a, b) => a + b.unexpectedDisconnects, 0)
  const headline = sustained && sustained.votesPerSecond > 0 ? sustained : burst
  return {
    server: kind,
    nodes: nodeCount,
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
    nodesAgree,
    nodesAgreeAfterMs,
    phonesWithUnconfirmedVotes: unconfirmedPhones,
    finalTally: { total: finalTally.total, counts: finalTally.counts },
    storedAnswers: { total: stored.size, counts: storedCounts },
    acknowledgedFinals: { total: expectedTotal, counts: expected },
    /** Peak RSS, summed over the nodes. */
    rssMb: endStats.maxRssMb,
    rssLargestNodeMb: Math.max(...endNodeStats.map((s) => s.maxRssMb)),
    rssNowMb: endStats.rssMb,
    /** CPU time of the server processes, summed over the nodes (Redis separately). */
    cpuSeconds: endStats.run.cpuSeconds,
    /** The worst node's. */
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
    ...(nodeCount > 1 ? { perNode, redis: redisStats } : {}),
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
    ...(ours.nodes > 1
      ? {
          rssLargestNodeMb: ratio(ours.rssLargestNodeMb, floor.rssLargestNodeMb),
          redisCpuSeconds: ratio(ours.redis?.cpuSeconds, floor.redis?.cpuSeconds),
        }
      : {}),
  }
}

function table(ours?: Result, floor?: Result): string {
  const several = ((ours ?? floor)?.nodes ?? 1) > 1
  const rows: [string, (r: Result) => string, number | undefined][] = [
    ['nodes', (r) => (r.nodes > 1 ? `${r.nodes} + Redis` : '1'), undefined],
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
    [
      several ? 'acked missing, worst node' : 'acked votes missing from tally',
      (r) => String(r.tallyShortfall),
      undefined,
    ],
    [
      several ? 'tally = stored, every node' : 'tally = stored answers',
      (r) => (r.tallyMatchesStore ? 'yes' : 'NO'),
      undefined,
    ],
  ]
  if (several) rows.push(['nodes agree on final tally', (r) => (r.nodesAgree ? 'yes' : 'NO'), undefined])
  rows.push([
    several ? 'server RSS peak, sum (MB)' : 'server RSS peak (MB)',
    (r) => fixed(r.rssMb),
    ours && floor ? ratio(ours.rssMb, floor.rssMb) : undefined,
  ])
  if (several) {
    rows.push([
      'server RSS peak, largest (MB)',
      (r) => fixed(r.rssLargestNodeMb),
      ours && floor ? ratio(ours.rssLargestNodeMb, floor.rssLargestNodeMb) : undefined,
    ])
  }
  rows.push([
    several ? 'server CPU, sum (s)' : 'server CPU (s)',
    (r) => fixed(r.cpuSeconds, 2),
    ours && floor ? ratio(ours.cpuSeconds, floor.cpuSeconds) : undefined,
  ])
  if (several) {
    rows.push([
      'redis-server CPU (s)',
      (r) => fixed(r.redis?.cpuSeconds, 2),
      ours && floor ? ratio(ours.redis?.cpuSeconds, floor.redis?.cpuSeconds) : undefined,
    ])
  }
  rows.push(
    [
      several ? 'event-loop p99, worst (ms)' : 'event-loop delay p99 (ms)',
      (r) => fixed(r.eventLoopDelayP99Ms),
      ours && floor ? ratio(ours.eventLoopDelayP99Ms, floor.eventLoopDelayP99Ms) : undefined,
    ],
    [
      several ? 'event-loop max, worst (ms)' : 'event-loop delay max (ms)',
      (r) => fixed(r.eventLoopDelayMaxMs),
      ours && floor ? ratio(ours.eventLoopDelayMaxMs, floor.eventLoopDelayMaxMs) : undefined,
    ],
  )
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
        ours.nodesAgree &&
        ours.phases.burst.votesFailed === 0,
    },
    { target: 'vote → deck p99 ≤ 100 ms', met: ours.latencyMs.p99 <= 100 },
    {
      target: ours.nodes > 1 ? 'server RSS ≤ 500 MB (each node)' : 'server RSS ≤ 500 MB',
      met: ours.rssLargestNodeMb <= 500,
    },
    ...(ours.nodes > 1 ? [{ target: 'every node shows the same final tally', met: ours.nodesAgree }] : []),
  ]
  if (floor) checks.push({ target: 'p99 within 2× the floor', met: ours.latencyMs.p99 <= 2 * floor.latencyMs.p99 })
  return checks
}

async function main(): Promise<void> {
  progress(`${settings.voters} phones, ${settings.workers} workers, ${cpus().length} cores, Node ${process.version}`)
  const loadBefore = loadavg()[0] ?? 0
  if (loadBefore > cpus().length / 2) {
    progress(`note: the machine is already busy (load average ${loadBefore.toFixed(1)}); figures will be noisy`)
  }
  const which: Kind[] = flags.only === 'ours' ? ['ours'] : flags.only === 'floor' ? ['floor'] : ['ours', 'floor']
  const results: Partial<Record<Kind, Result>> = {}
  for (const kind of which) results[kind] = await runAgainst(kind)
  const { ours, floor } = results

  const nodesNote =
    settings.nodes > 1
      ? `, ${settings.nodes} server processes on one Redis (appendonly, fsync always); phones spread evenly, the deck on node 0`
      : ''
  console.log(
    `\nLive-poll benchmark: ${settings.voters} phones, poll "${POLL_ID}", ${cpus().length} cores${nodesNote}\n`,
  )
  console.log(table(ours, floor))
  for (const result of [ours, floor]) {
    if (!result?.perNode) continue
    console.log('')
    for (const node of result.perNode) {
      const writes = node.burst.durableWrites
      const { latencyMs: l, ackLatencyMs: a } = node.burst
      console.log(
        `  ${result.server} node ${node.node}${node.deck ? ' (deck)' : ''}: ${node.phones} phones;` +
          ` RSS peak ${fixed(node.rssMb)} MB, CPU ${fixed(node.cpuSeconds, 2)} s (burst ${fixed(node.burst.cpuSeconds, 2)} s),` +
          ` event-loop p99 ${fixed(node.eventLoopDelayP99Ms)} / max ${fixed(node.eventLoopDelayMaxMs)} ms`,
      )
      console.log(
        `      burst: its phones' votes → deck p50 ${fixed(l?.p50)} / p99 ${fixed(l?.p99)} ms, → ack p99 ${fixed(a?.p99)} ms;` +
          ` ${node.burst.votesAppliedToTally ?? '–'} votes into its tally` +
          (writes ? `, ${writes.votes} written in ${writes.batches} batches (${writes.ms} ms in saveVotes)` : '') +
          `; final total ${node.finalTally.total}`,
      )
    }
    if (result.redis) {
      console.log(
        `  ${result.server} redis-server: CPU ${fixed(result.redis.cpuSeconds, 2)} s (burst ${fixed(result.redis.burstCpuSeconds, 2)} s), RSS peak ${fixed(result.redis.maxRssMb)} MB`,
      )
    }
    if (!result.nodesAgree) console.log(`  ${result.server}: the nodes' final tallies DIFFER (see the JSON report)`)
  }
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
        settings.nodes > 1
          ? 'vote send time on the phone (any node) → receive time on the deck (node 0) of the first tally that includes the vote; inclusion from the exact order in which node 0 applied votes to its tally, its own and those mirrored from other nodes through Redis (see bench/run.ts)'
          : 'vote send time on the phone → receive time on the deck of the first tally that includes the vote; inclusion from the exact order in which the server applied votes to its tally (see bench/run.ts)',
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
