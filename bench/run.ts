// Load benchmark for the live-poll server: thousands of simulated phones over real WebSockets,
// the same workload against the real server (tests/harness/server-main.ts) and against a bare
// Socket.IO "floor" (bench/floor-server.ts), each in a process of its own, phones spread over
// worker processes (bench/worker.ts).
//
//   npx tsx bench/run.ts [--voters 10000] [--workers 4] [--nodes N] [--duration S] [--spread MS]
//                        [--json FILE] [--only ours|floor] [--profile DIR]
//                        [--concurrency 32] [--window 64]
//   npx tsx bench/run.ts --questions [--voters 2000] [--json FILE]
//
//   --questions     the room's questions instead of votes (bench/questions.ts): every phone asks
//                   one question at once, then upvotes five; 2,000 phones unless --voters says
//   --nodes N       N ≥ 2: N server processes sharing one Redis (see SEVERAL NODES below)
//   --spread MS     send the burst evenly over MS milliseconds (default: all at once)
//   --duration S    after the burst, S seconds of sustained load (--window votes in flight per worker)
//   --profile DIR   run our server (every node) under `node --cpu-prof`; .cpuprofile files land in DIR
//   --concurrency   connections each worker opens at once during the connect phase
// The server gets MAX_CONNECTIONS_PER_ADDRESS=100000 and PHONES_PER_ADDRESS=100000 (every phone is
// 127.0.0.1: the per-address limits still run, sized for that), a fresh data
// folder and a random PRESENTER_SECRET; other settings (REDIS_URL, …) pass through from the
// environment as for `npm start`.
//
// Phases, for each server in turn (bench/phases.ts):
//   1. connect  every phone connects (auth: role voter, a unique participant id) and waits for
//               its `sync`; connect time = first connection attempt → last `sync`.
//   2. open     the presenter's deck socket (role deck + secret) opens poll `hat-start`.
//   3. burst    every phone votes once, as fast as the workers can send (or evenly over
//               --spread MS); every 10th phone changes its vote as soon as the first is acknowledged.
//   4. sustain  (--duration S) a closed loop of votes in flight, phones changing their votes,
//               for S seconds: sustained throughput.
// Meanwhile one deck socket receives the coalesced `tally` events. How latency and lost votes
// are worked out: bench/analysis.ts.
//
// SEVERAL NODES (--nodes N, N ≥ 2)
//   * A fresh redis-server of our own (bench/nodes.ts) and N server processes with REDIS_URL set
//     to it, the same PRESENTER_SECRET and MAX_CONNECTIONS_PER_ADDRESS. Worker w connects its
//     phones to node w mod N (4 workers, 2 nodes: 2 workers, 5000 phones per node). The deck
//     connects to node 0, opens the poll there (the other nodes hear of it through Redis; the
//     burst waits until every node reports it open) and measures the tallies there, so they
//     include the votes made on the other nodes, which node 0 learns through Redis: that path
//     is what is measured.
//   * The final tally is read from EVERY node: each must equal the stored answers and hold every
//     acknowledged final choice, and all nodes must agree (they get up to 5 s to converge).
//   * Server stats are per node (printed below the table, `perNode` in JSON); the table sums
//     RSS and CPU over the nodes, gives the largest node's RSS (the 500 MB target is per
//     process) and the worst node's event-loop delay. redis-server's CPU time and peak RSS
//     (/proc) are reported separately, and Redis's own per-command counts and times (INFO
//     commandstats) for the burst and the run go into the JSON.
//   * The floor in this mode is N bare floor processes linked by the same Socket.IO Redis
//     Streams adapter on a Redis configured the same way (see bench/floor-server.ts): the same
//     topology and the same cross-node hop, without validation, the durable write to Redis and
//     the engine's queue.
//   * REDIS_SERVER=/path picks the redis-server binary (default: redis-server on PATH); a
//     REDIS_URL in the environment is ignored in this mode (the nodes always get a fresh Redis).
import { writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { removeTempDirs, stopChildren } from '../tests/harness/system.ts'
import { progress } from './common.ts'
import type { Kind } from './nodes.ts'
import { type BenchSettings, type Result, runAgainst } from './phases.ts'
import { printQuestions, runQuestions } from './questions.ts'
import { jsonReport, printReport } from './report.ts'

const { values: flags } = parseArgs({
  options: {
    voters: { type: 'string' },
    questions: { type: 'boolean' },
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
    'npx tsx bench/run.ts [--voters 10000] [--workers 4] [--nodes N] [--duration S] [--spread MS] [--json FILE] [--only ours|floor] [--profile DIR]\n' +
      'npx tsx bench/run.ts --questions [--voters 2000] [--json FILE]',
  )
  process.exit(0)
}
flags.voters ??= flags.questions ? '2000' : '10000'
const settings: BenchSettings = {
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

// Every child process and temporary folder goes on any exit path.
function cleanUp(): void {
  stopChildren()
  removeTempDirs()
}
process.on('exit', cleanUp)
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    progress(`${signal}: stopping`)
    process.exit(130)
  })
}

async function main(): Promise<void> {
  if (flags.questions) {
    const result = await runQuestions(settings.voters)
    printQuestions(result)
    if (flags.json) writeFileSync(flags.json, `${JSON.stringify(result, null, 2)}\n`)
    return
  }
  progress(`${settings.voters} phones, ${settings.workers} workers, ${cpus().length} cores, Node ${process.version}`)
  const loadBefore = loadavg()[0] ?? 0
  if (loadBefore > cpus().length / 2) {
    progress(`note: the machine is already busy (load average ${loadBefore.toFixed(1)}); figures will be noisy`)
  }
  const which: Kind[] = flags.only === 'ours' ? ['ours'] : flags.only === 'floor' ? ['floor'] : ['ours', 'floor']
  const results: Partial<Record<Kind, Result>> = {}
  for (const kind of which) results[kind] = await runAgainst(kind, settings, flags.profile)
  const { ours, floor } = results

  printReport(settings, loadBefore, ours, floor)
  if (flags.json) {
    writeFileSync(flags.json, `${JSON.stringify(jsonReport(settings, loadBefore, ours, floor), null, 2)}\n`)
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
