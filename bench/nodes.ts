// The servers under test, each in a process of its own: ours (tests/harness/server-main.ts, the
// kit as `npm start` assembles it) or the floor (bench/floor-server.ts). With several nodes they
// share a fresh redis-server of their own (tests/harness/redis.ts: loopback, a free port,
// appendonly yes, appendfsync always, no snapshots, a temporary folder), the floor's nodes too
// (for the Socket.IO adapter between them). Also what the benchmark reads from them: their own
// figures over IPC, and redis-server's CPU, memory and command counters.
import type { ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createClient } from 'redis'
import type { ProcessFigures } from '../tests/harness/meter.ts'
import { RedisServer } from '../tests/harness/redis.ts'
import { SERVER_MAIN } from '../tests/harness/server-process.ts'
import { runTs, type TempDir, tempDir } from '../tests/harness/system.ts'
import { BENCH_DIR, type Message, nextMessage, progress, request } from './common.ts'

export type Kind = 'ours' | 'floor'

/** A server's answer to {"type":"stats"}: its process figures, and what the benchmark asked for. */
export interface ServerStats extends Message, ProcessFigures {
  /** With `order: true`: vote ids in the order they entered this process's tally since the last ask. */
  order?: string[]
  /** Ours only: durable vote writes (batches) in the phase. */
  writes?: { batches: number; votes: number; maxBatch: number; ms: number }
}

export interface Node {
  index: number
  child: ChildProcess
  url: string
  dataDir: TempDir
}

export interface Nodes {
  list: Node[]
  redis: RedisServer | undefined
  /** Asks every node for its figures (in node order). */
  stats(message: Message): Promise<ServerStats[]>
  /** Stops the servers (IPC `stop`, SIGKILL after `timeoutMs`), removes their folders and Redis. */
  stop(timeoutMs: number): Promise<void>
}

/**
 * Starts `count` servers of one kind, all with the same secret; several share a fresh Redis.
 * Every setting not given here (REDIS_URL with one node, …) passes through from the environment.
 */
export async function startNodes(
  kind: Kind,
  options: { count: number; secret: string; execArgv: string[] },
): Promise<Nodes> {
  const label = `[${kind}]`
  const redis = options.count > 1 ? await RedisServer.start() : undefined
  if (redis) progress(`${label} redis-server on ${redis.url} (pid ${redis.pid}, appendonly yes, appendfsync always)`)
  const startNode = async (index: number): Promise<Node> => {
    const dataDir = tempDir(`bench-${kind}-`)
    const child = runTs(kind === 'ours' ? SERVER_MAIN : join(BENCH_DIR, 'floor-server.ts'), {
      ipc: true,
      execArgv: options.execArgv,
      env: {
        ...process.env,
        PORT: '0',
        DATA_DIR: dataDir.path,
        PRESENTER_SECRET: options.secret,
        // The server may limit connections per address; every phone here is 127.0.0.1.
        MAX_CONNECTIONS_PER_ADDRESS: '100000',
        // Every phone is 127.0.0.1: the per-address limits stay on (their cost is measured), sized for it.
        PHONES_PER_ADDRESS: '100000',
        BENCH_RECORD_ORDER: '1',
        NODE_ENV: 'production',
        ...(redis ? { REDIS_URL: redis.url } : {}),
      },
    })
    const name = options.count > 1 ? `${label} node ${index}` : label
    child.stderr?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) progress(`${name} server: ${line}`)
    })
    const { port } = await nextMessage<Message & { port: number }>(child, 'listening', 60_000)
    const url = `http://127.0.0.1:${port}`
    progress(`${name} server listening on ${url} (pid ${child.pid})`)
    return { index, child, url, dataDir }
  }
  const list: Node[] = []
  for (let index = 0; index < options.count; index++) list.push(await startNode(index))
  return {
    list,
    redis,
    stats: (message) => Promise.all(list.map((node) => request<ServerStats>(node.child, message, 'stats'))),
    async stop(timeoutMs) {
      await Promise.all(list.map((node) => stopChild(node.child, timeoutMs)))
      for (const node of list) node.dataDir.remove()
      await redis?.stop()
    },
  }
}

/** Asks a child to stop (IPC `stop`) and waits for it to go; SIGKILL after `timeoutMs`. */
export async function stopChild(child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.send?.({ type: 'stop' })
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  await exited
  clearTimeout(timer)
}

export interface ProcessUsage {
  cpuSeconds: number
  maxRssMb: number
}

const CLOCK_TICKS_PER_SECOND = 100
/** CPU seconds and peak RSS of another process (Linux /proc; undefined elsewhere). */
export function processUsage(pid: number | undefined): ProcessUsage | undefined {
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

export type CommandStats = Record<string, { calls: number; usec: number }>

/** Redis's own per-command counters (INFO commandstats): calls and microseconds spent. */
export async function commandStats(url: string, reset = false): Promise<CommandStats> {
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
