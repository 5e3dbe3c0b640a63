// The real kit (startKit, as `npm start` assembles it, without a deck) in a process of its own,
// for the fault, stop and multi-process tests and the benchmark. It listens on 127.0.0.1;
// everything else comes from the environment:
//
//   PORT                 port to listen on (default 0: any free port)
//   DATA_DIR             data folder (default: a fresh temporary folder, removed on exit)
//   PRESENTER_SECRET     the presenter secret (default: a random one)
//   BENCH_RECORD_ORDER=1 record the order in which votes enter this process's tally (for the
//                        benchmark's latency measure; see bench/analysis.ts), and count durable writes
//   REDIS_URL            several processes share one Redis (as with `npm start`); each records
//                        its own tally order, which includes the votes other processes made
//   TEST_POLLS=voice     the tests' room's-voice polls (tests/harness/kit.ts) instead of the deck's
//
// Once listening it prints one JSON line on stdout: {"type":"listening","port":…,"dataDir":…}
// (and sends the same object over IPC when forked). Asked with {"type":"stats"} (IPC message,
// or the line `stats` on stdin) it answers with RSS, CPU time and event-loop delay.
// SIGTERM and SIGINT stop it as `npm start` does. Start-up problems are printed as the server's
// one-sentence message, exit code 1, the same rule `npm start` follows (server/cli.ts).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { processMeter } from './meter.ts'

// Whoever started us. If it is killed (say `tsx server-main.ts` and the tsx wrapper gets
// SIGKILL), the signal never reaches this process: notice within 100 ms and die the same way,
// at once, as if it had. Read now, before the slow start-up, so a parent killed during it is
// noticed too (ppid 1: adopted by init before we could even look).
const parent = process.ppid
const ownDataDir = !process.env.DATA_DIR
const dataDir = process.env.DATA_DIR || mkdtempSync(join(tmpdir(), 'bench-data-'))
setInterval(() => {
  if (process.ppid === parent && parent !== 1) return
  if (ownDataDir) rmSync(dataDir, { recursive: true, force: true })
  process.kill(process.pid, 'SIGKILL')
}, 100).unref()

const meter = processMeter()
let order: string[] = []
/** Durable writes of vote batches since the last stats request (BENCH_RECORD_ORDER=1). */
let writes = { batches: 0, votes: 0, maxBatch: 0, ms: 0 }

function stats(options: { reset?: 'phase' | 'run'; order?: boolean }) {
  const reply = {
    type: 'stats',
    ...meter.read(options.reset),
    ...(options.order ? { order } : {}),
    writes: { ...writes, ms: Math.round(writes.ms) },
  }
  if (options.order) order = []
  if (options.reset) writes = { batches: 0, votes: 0, maxBatch: 0, ms: 0 }
  return reply
}

function say(message: object): void {
  process.stdout.write(`${JSON.stringify(message)}\n`)
  process.send?.(message)
}

// The server's modules are imported only now, so the watch above runs during their loading.
const { readSettings } = await import('../../server/settings.ts')
const { KitError } = await import('../../server/errors.ts')
const { openStore, startKit } = await import('../../server/kit.ts')

async function main(): Promise<void> {
  const settings = readSettings(
    ['--host', '127.0.0.1', '--port', process.env.PORT || '0', '--data-dir', dataDir],
    process.env,
  )
  const opened = await openStore(settings, { adapter: true })
  if (process.env.BENCH_RECORD_ORDER === '1') {
    // Durable writes of this process's own vote batches, for the report.
    const saveVotes = opened.store.saveVotes
    opened.store = {
      ...opened.store,
      async saveVotes(votes) {
        const started = performance.now()
        await saveVotes(votes)
        writes.ms += performance.now() - started
        writes.batches++
        writes.votes += votes.length
        writes.maxBatch = Math.max(writes.maxBatch, votes.length)
      },
    }
  }
  const polls = process.env.TEST_POLLS === 'voice' ? (await import('./kit.ts')).VOICE_POLLS : undefined
  const server = await startKit(settings, { opened, ...(polls ? { polls } : {}) })
  if (process.env.BENCH_RECORD_ORDER === '1') {
    // The order in which votes ENTER THIS PROCESS'S TALLY: every vote reaches a tally by the
    // engine applying the store's log, this process's own batches and other processes' alike.
    // A vote the tally ignores (an older answer than the one held) is not counted: it never
    // shows in a tally. A deck's tally is always a snapshot of some prefix of this order.
    // Votes already in the store at start-up are not recorded: recording starts here.
    server.engine.on('counted', (votes) => {
      for (const vote of votes) order.push(vote.voteId)
    })
  }

  let stopping = false
  const stop = async (code = 0) => {
    if (stopping) return
    stopping = true
    const force = setTimeout(() => process.exit(code), 5000)
    force.unref()
    try {
      // Like `npm start` on Ctrl-C: connections just close, so phones reconnect to the next run.
      await server.close()
    } catch {
      // exiting anyway
    }
    if (ownDataDir) rmSync(dataDir, { recursive: true, force: true })
    process.exit(code)
  }
  process.on('SIGTERM', () => void stop())
  process.on('SIGINT', () => void stop())
  process.on('disconnect', () => void stop())

  process.on('message', (message: { type?: string; reset?: 'phase' | 'run'; order?: boolean; pollId?: string }) => {
    if (message?.type === 'stats') process.send?.(stats(message))
    else if (message?.type === 'stop') void stop()
    else if (message?.type === 'answers') {
      // Each participant's stored answer, read back through the store (what survives a restart).
      void server.store.loadSession(server.engine.session.id).then(({ votes }) => {
        const answers = votes
          .filter((vote) => vote.pollId === message.pollId)
          .map((vote) => [vote.participantId, vote.answer[0] ?? null])
        process.send?.({ type: 'answers', answers })
      })
    }
  })
  if (!process.send) {
    createInterface({ input: process.stdin }).on('line', (line) => {
      if (line.trim() === 'stats') process.stdout.write(`${JSON.stringify(stats({}))}\n`)
    })
  }

  const port = (server.httpServer.address() as { port: number }).port
  stats({ reset: 'run' })
  say({ type: 'listening', port, dataDir, pid: process.pid })
}

main().catch((error: unknown) => {
  if (ownDataDir) rmSync(dataDir, { recursive: true, force: true })
  const message = error instanceof KitError ? error.message : String((error as Error)?.stack ?? error)
  process.send?.({ type: 'error', error: message })
  console.error(message)
  process.exit(1)
})
