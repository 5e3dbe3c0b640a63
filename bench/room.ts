// The room: the phones, spread over worker processes (bench/worker.ts; worker w connects its
// phones to node w mod N), and the presenter's deck on node 0, which notes every tally it hears.
import type { ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { type Client, connect, synced } from '../tests/harness/clients.ts'
import { holdsWithin, runTs } from '../tests/harness/system.ts'
import type { TallySeen } from './analysis.ts'
import { BENCH_DIR, type Message, now, progress, request } from './common.ts'
import type { Node } from './nodes.ts'

/** After a phase: wait until the deck has heard no tally for this long… */
const TALLY_SETTLE_MS = 400
/** …but no longer than this. */
const TALLY_SETTLE_MAX_MS = 10_000

export interface Phones {
  workers: ChildProcess[]
  /** Phones and workers on each node. */
  perNode: number[]
  workersPerNode: number[]
  /** The node a phone votes on. */
  nodeOf(phone: number): number
  /** Sends every worker `message` and waits for each one's `reply`. */
  all<T extends Message>(message: Message, reply: string, timeoutMs?: number): Promise<T[]>
}

export type Connected = Message & { connected: number; failed: number; endedAt: number; connectTimes: number[] }

/** Starts the workers, each with an equal share of the phones (not yet connected). */
export async function startPhones(
  nodes: Node[],
  options: { voters: number; workers: number; concurrency: number; pollId: string; tag: string },
): Promise<Phones> {
  const workers: ChildProcess[] = []
  const perNode = nodes.map(() => 0)
  const workersPerNode = nodes.map(() => 0)
  const share = Math.ceil(options.voters / options.workers)
  for (let w = 0; w < options.workers; w++) {
    const first = w * share
    const count = Math.max(0, Math.min(share, options.voters - first))
    if (count === 0) break
    const node = nodes[w % nodes.length] as Node
    perNode[node.index] = (perNode[node.index] ?? 0) + count
    workersPerNode[node.index] = (workersPerNode[node.index] ?? 0) + 1
    const worker = runTs(join(BENCH_DIR, 'worker.ts'), { ipc: true, output: 'inherit' })
    workers.push(worker)
    const { tag, pollId, concurrency } = options
    await request(worker, { type: 'init', url: node.url, first, count, tag, pollId, concurrency }, 'ready')
  }
  return {
    workers,
    perNode,
    workersPerNode,
    // Worker w holds phones w·share … (w+1)·share − 1 and votes on node w mod N.
    nodeOf: (phone) => Math.floor(phone / share) % nodes.length,
    all: <T extends Message>(message: Message, reply: string, timeoutMs?: number) =>
      Promise.all(workers.map((worker) => request<T>(worker, message, reply, timeoutMs))),
  }
}

/** Every phone connects and waits for its `sync`; a progress line every 2 s. */
export async function connectPhones(phones: Phones, label: string): Promise<Connected[]> {
  const connectedSoFar = new Map<ChildProcess, number>()
  let lastLine = 0
  const unlisten = phones.workers.map((worker) => {
    const listener = (message: Message) => {
      if (message.type !== 'progress') return
      connectedSoFar.set(worker, message.connected as number)
      if (now() - lastLine > 2000) {
        lastLine = now()
        const sum = [...connectedSoFar.values()].reduce((a, b) => a + b, 0)
        progress(`${label}   ${sum} connected`)
      }
    }
    worker.on('message', listener)
    return () => worker.off('message', listener)
  })
  const connected = await phones.all<Connected>({ type: 'connect' }, 'connected', 300_000)
  for (const off of unlisten) off()
  return connected
}

export interface Deck {
  client: Client
  /** Every tally of the poll the deck received, in order; a phase takes them with `splice`. */
  tallies: TallySeen[]
  /** Whether the deck's connection dropped (not closed by us). */
  disconnected(): boolean
  /**
   * After a phase: waits until the deck has heard nothing for TALLY_SETTLE_MS (votes from other
   * nodes may still be on their way through Redis), at most TALLY_SETTLE_MAX_MS.
   */
  settle(): Promise<void>
}

/** The presenter's deck, which also watches the tallies of `pollId`. */
export async function openDeck(url: string, secret: string, pollId: string): Promise<Deck> {
  const client = connect(url, { role: 'deck', secret })
  const sync = await synced(client)
  if (!sync.presenter) throw new Error('the deck socket was not recognised as the presenter')
  const tallies: TallySeen[] = []
  let lastTallyAt = 0
  client.on('tally', (list) => {
    const at = now()
    lastTallyAt = at
    const tally = list.find((t) => t.pollId === pollId)
    if (tally) tallies.push({ at, total: tally.total, counts: tally.counts })
  })
  let disconnected = false
  client.on('disconnect', (reason) => {
    if (reason !== 'io client disconnect') disconnected = true
  })
  return {
    client,
    tallies,
    disconnected: () => disconnected,
    async settle() {
      await new Promise((resolve) => setTimeout(resolve, TALLY_SETTLE_MS))
      await holdsWithin(() => now() - lastTallyAt >= TALLY_SETTLE_MS, TALLY_SETTLE_MAX_MS - TALLY_SETTLE_MS)
    },
  }
}
