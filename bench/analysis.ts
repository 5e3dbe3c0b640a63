// What the measurements say: when each vote showed on the deck, latency distributions, phase
// figures, several nodes' figures as one and per node, lost votes and whether the nodes agree.
//
// HOW LATENCY IS MEASURED (vote sent on a phone → tally that includes it received on the deck)
//   * Every process stamps events with performance.timeOrigin + performance.now(): the same
//     system clock on one machine, so a phone's send time and the deck's receive time compare.
//   * The server under test records the exact order in which votes became part of its tally
//     (tests/harness/server-main.ts listens to the engine's `counted` event: every vote enters a
//     tally by the engine applying the store's log of changes, this process's own batches right
//     after they are written and, with several nodes, other nodes' batches read from Redis; the
//     floor records the order as it counts). That gives each vote its rank k in the apply order.
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
//   * With several nodes the deck is on node 0, whose recorded order covers every vote its deck
//     can see (its own and those from the other nodes), so the matching works unchanged. A vote
//     made on node 1 is timed from its phone's send to node 0's deck: node 1's validation and
//     durable write, the change through Redis, node 0's engine, its 50 ms coalescing. Burst
//     latencies are also split by the node the vote was made on (node 0: the local path).
//
// LOST VOTES: each phone knows its last acknowledged answer (and any later votes whose
// acknowledgement never came). A vote is lost if the server's stored answer for that phone is
// neither. The tally from GET /api/polls/hat-start must also equal the stored answers and contain
// every acknowledged final choice (tallyShortfall); with several nodes on every node (the worst
// node's shortfall is reported), and all nodes must agree.
import type { Tally } from '../server/protocol.ts'
import { percentile } from './common.ts'
import type { CommandStats, ServerStats } from './nodes.ts'

/** One row per vote sent, in parallel arrays (as bench/worker.ts sends them). */
export interface VoteLog {
  voteIds: string[]
  participants: number[]
  options: string[]
  sentAt: number[]
  ackAt: number[]
  errors: string[]
}

export interface TallySeen {
  at: number
  total: number
  counts: Record<string, number>
}

export interface Distribution {
  p50: number
  p95: number
  p99: number
  max: number
  mean: number
  n: number
}

export function distribution(values: number[]): Distribution {
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

export function mergeLogs(logs: VoteLog[]): VoteLog {
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
export function appearances(order: string[], votes: VoteLog, tallies: TallySeen[], options: string[]) {
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

export interface PhaseResult {
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
export function latencyByNode(
  log: VoteLog,
  appearedAt: Map<string, number>,
  nodeOf: (phone: number) => number,
  n: number,
) {
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

export function phaseResult(
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

/**
 * Several nodes' stats as one: CPU time and memory summed (the machine pays for all of them),
 * event-loop delay the worst node's (each figure separately), durable writes summed, the apply
 * order node 0's (where the deck is).
 */
export function combine(list: ServerStats[]): ServerStats {
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

/** A tally's figures: from GET /api/polls/:id, or counted from the stored answers. */
export type TallyReading = Pick<Tally, 'total' | 'counts'>

export const sameTally = (a: TallyReading, b: TallyReading, options: string[]) =>
  a.total === b.total && options.every((o) => (a.counts[o] ?? 0) === (b.counts[o] ?? 0))

/** A phone's own view: its id, its last acknowledged answer, the answers it sent since without hearing back. */
export type PhoneFinal = [participantId: string, acked: string | null, later: string[]]

/**
 * Lost votes and tally checks (see the top of this file): the phones' own views against the
 * stored answers (participant → answer) and against each node's final tally.
 */
export function checkVotes(
  finals: PhoneFinal[],
  answers: [string, string | null][],
  finalTallies: TallyReading[],
  options: string[],
) {
  const stored = new Map(answers)
  const zero = () => Object.fromEntries(options.map((o) => [o, 0])) as Record<string, number>
  const expected = zero()
  let expectedTotal = 0
  let lostVotes = 0
  let unconfirmedPhones = 0
  for (const [participantId, acked, later] of finals) {
    if (later.length) unconfirmedPhones++
    if (acked === null) continue
    const answer = stored.get(participantId)
    if (answer === undefined || (answer !== acked && !later.includes(answer ?? ''))) lostVotes++
    if (later.length === 0) {
      expected[acked] = (expected[acked] ?? 0) + 1
      expectedTotal++
    }
  }
  const storedCounts = zero()
  for (const answer of stored.values()) if (answer) storedCounts[answer] = (storedCounts[answer] ?? 0) + 1
  const storedReading: TallyReading = { total: stored.size, counts: storedCounts }
  const tallyMatchesStoreByNode = finalTallies.map((t) => sameTally(t, storedReading, options))
  // Acknowledged final choices missing from the tally (phones with votes of unknown fate are
  // left out of the expectation; they can only add to the counts), per node.
  const shortfallByNode = finalTallies.map((t) =>
    options.reduce((a, option) => a + Math.max(0, (expected[option] ?? 0) - (t.counts[option] ?? 0)), 0),
  )
  return {
    lostVotes,
    unconfirmedPhones,
    acknowledgedFinals: { total: expectedTotal, counts: expected },
    storedAnswers: storedReading,
    tallyMatchesStoreByNode,
    shortfallByNode,
  }
}

/** Commands between two readings, busiest first (our own INFO/CONFIG calls left out). */
export function commandsBetween(before: CommandStats, after: CommandStats) {
  return Object.entries(after)
    .map(([command, { calls, usec }]) => ({
      command,
      calls: calls - (before[command]?.calls ?? 0),
      ms: Math.round((usec - (before[command]?.usec ?? 0)) / 100) / 10,
    }))
    .filter((c) => c.calls > 0 && !['info', 'config|resetstat', 'hello', 'client|setinfo'].includes(c.command))
    .sort((a, b) => b.ms - a.ms)
}
