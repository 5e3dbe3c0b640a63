// One complete run against one kind of server (ours or the floor), or against N server processes
// on one Redis: start them, connect the room, then the phases (see bench/run.ts), the checks, and
// the figures of the run.
import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { pollResults } from '../tests/harness/clients.ts'
import { holdsWithin, until } from '../tests/harness/system.ts'
import {
  appearances,
  checkVotes,
  combine,
  commandsBetween,
  distribution,
  latencyByNode,
  mergeLogs,
  type PhaseResult,
  type PhoneFinal,
  phaseResult,
  sameTally,
  type VoteLog,
} from './analysis.ts'
import { type Message, now, progress, request } from './common.ts'
import { commandStats, type Kind, type Node, processUsage, type ServerStats, startNodes, stopChild } from './nodes.ts'
import { connectPhones, openDeck, startPhones } from './room.ts'

export const POLL_ID = 'hat-start'
/** Several nodes: how long their final tallies may take to agree before it counts as a failure. */
const NODES_AGREE_MAX_MS = 5_000

export interface BenchSettings {
  voters: number
  workers: number
  nodes: number
  durationMs: number
  spreadMs: number
  concurrency: number
  window: number
}

export type Result = Awaited<ReturnType<typeof runAgainst>>

/** `profileDir`: run our server under `node --cpu-prof`, its profiles written there. */
export async function runAgainst(kind: Kind, settings: BenchSettings, profileDir?: string) {
  const label = `[${kind}]`
  // Not choices but names: the secret must not be guessable, and the tag keeps this run's phones
  // apart from any earlier run's in a REDIS_URL passed through from the environment.
  const secret = randomBytes(18).toString('base64url')
  const tag = randomBytes(3).toString('hex')
  const nodeCount = settings.nodes
  const execArgv: string[] = []
  if (kind === 'ours' && profileDir) {
    mkdirSync(resolve(profileDir), { recursive: true })
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${resolve(profileDir)}`)
  }
  const nodes = await startNodes(kind, { count: nodeCount, secret, execArgv })
  const { redis } = nodes
  const node0 = nodes.list[0] as Node
  const url = node0.url
  const redisUsage = () => (redis ? processUsage(redis.pid) : undefined)

  const poll = await pollResults(url, POLL_ID)
  const options = poll.options.map((o) => o.id)
  if (options.length < 2) throw new Error(`poll ${POLL_ID} needs at least two options`)
  const changeTo = options[options.length - 1] as string
  const firstOptions = options.slice(0, -1)

  const phones = await startPhones(nodes.list, { ...settings, pollId: POLL_ID, tag })
  if (nodeCount > 1) {
    progress(
      `${label} phones per node: ${phones.perNode.map((n, i) => `node ${i}: ${n} (${phones.workersPerNode[i]} workers)`).join(', ')}; the deck is on node 0`,
    )
  }
  const deck = await openDeck(url, secret, POLL_ID)

  await nodes.stats({ type: 'stats', reset: 'run' })
  const redisAtStart = redisUsage()
  if (redis) await commandStats(redis.url, true)

  // 1. Connect.
  progress(`${label} connecting ${settings.voters} phones from ${phones.workers.length} workers…`)
  const connectStarted = now()
  const connected = await connectPhones(phones, label)
  const connectMs = Math.max(...connected.map((c) => c.endedAt)) - connectStarted
  const connectedCount = connected.reduce((a, c) => a + c.connected, 0)
  const connectStats = combine(await nodes.stats({ type: 'stats', reset: 'phase' }))
  const perConnection = distribution(connected.flatMap((c) => c.connectTimes))
  progress(
    `${label} ${connectedCount}/${settings.voters} connected in ${(connectMs / 1000).toFixed(1)} s` +
      ` (one connection p50 ${perConnection.p50} ms, p99 ${perConnection.p99} ms)`,
  )

  // 2. Open the poll (on node 0; the other nodes hear of it through Redis).
  const opened = await deck.client.timeout(30_000).emitWithAck('control', { pollId: POLL_ID, action: 'open' })
  if (!opened.ok) throw new Error(`opening ${POLL_ID} failed: ${opened.error}`)
  // Let the poll:state broadcast to every phone drain before the burst starts.
  await new Promise((r) => setTimeout(r, 500))
  for (const node of nodes.list.slice(1)) {
    const open = async () => (await pollResults(node.url, POLL_ID)).state === 'open'
    await until(open, 10_000, `node ${node.index} seeing ${POLL_ID} open`)
  }
  await nodes.stats({ type: 'stats', reset: 'phase', order: true })
  deck.tallies.length = 0
  const redisAtBurst = redisUsage()
  const commandsAtBurst = redis ? await commandStats(redis.url) : {}

  // 3. Burst.
  progress(`${label} burst: every phone votes once, every 10th changes its vote…`)
  const burstLogs = await phones.all<Message & { log: VoteLog; unexpectedDisconnects: number }>(
    { type: 'burst', firstOptions, changeTo, changeEvery: 10, spreadMs: settings.spreadMs },
    'burst-done',
    300_000,
  )
  await deck.settle()
  const burstNodeStats = await nodes.stats({ type: 'stats', reset: 'phase', order: true })
  const burstStats = combine(burstNodeStats)
  const redisAfterBurst = redisUsage()
  const commandsAfterBurst = redis ? await commandStats(redis.url) : {}
  const burstLog = mergeLogs(burstLogs.map((b) => b.log))
  const burstTallies = deck.tallies.splice(0)
  const burstOrder = burstStats.order ?? []
  const burstSeen = appearances(burstOrder, burstLog, burstTallies, options)
  const burst = phaseResult(burstLog, burstSeen.appearedAt, burstStats)
  const burstByNode = latencyByNode(burstLog, burstSeen.appearedAt, phones.nodeOf, nodeCount)
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
    const sustainLogs = await phones.all<Message & { log: VoteLog }>(
      { type: 'sustain', durationMs: settings.durationMs, window: settings.window, allOptions: options },
      'sustain-done',
      settings.durationMs + 120_000,
    )
    await deck.settle()
    sustainedStats = combine(await nodes.stats({ type: 'stats', reset: 'phase', order: true }))
    const log = mergeLogs(sustainLogs.map((s) => s.log))
    // Replay from the start so the state carries over from the burst.
    const both = mergeLogs([burstLog, log])
    sustainedSeen = appearances(
      [...burstOrder, ...(sustainedStats.order ?? [])],
      both,
      [...burstTallies, ...deck.tallies.splice(0)],
      options,
    )
    sustained = phaseResult(log, sustainedSeen.appearedAt, sustainedStats, settings.durationMs)
    progress(`${label} sustained: ${sustained.votesPerSecond} votes/s, latency p99 ${sustained.latencyMs.p99} ms`)
  }
  const endNodeStats = await nodes.stats({ type: 'stats' })
  const endStats = combine(endNodeStats)
  const redisAtEnd = redisUsage()
  const commandsAtEnd = redis ? await commandStats(redis.url) : {}

  // Lost votes and the final tallies (see bench/analysis.ts). The stored answers are read
  // through node 0 (with several nodes the store is the one Redis); the tally from EVERY node,
  // which get up to NODES_AGREE_MAX_MS to agree.
  const readAll = () => Promise.all(nodes.list.map((node) => pollResults(node.url, POLL_ID)))
  let finalTallies = await readAll()
  const agreeStarted = now()
  const agree = () => finalTallies.every((t) => sameTally(t, finalTallies[0] as typeof t, options))
  const nodesAgree =
    agree() ||
    (await holdsWithin(async () => {
      finalTallies = await readAll()
      return agree()
    }, NODES_AGREE_MAX_MS))
  const nodesAgreeAfterMs = Math.round(now() - agreeStarted)
  const finalTally = finalTallies[0] as (typeof finalTallies)[number]
  const finals = await phones.all<Message & { finals: PhoneFinal[] }>({ type: 'finals' }, 'finals')
  const { answers } = await request<Message & { answers: [string, string | null][] }>(
    node0.child,
    { type: 'answers', pollId: POLL_ID },
    'answers',
  )
  const checked = checkVotes(
    finals.flatMap((f) => f.finals),
    answers,
    finalTallies,
    options,
  )
  const { tallyMatchesStoreByNode, shortfallByNode } = checked

  // Shut down: phones, deck, workers, servers, Redis.
  const closed = await phones.all<Message & { cpu: NodeJS.CpuUsage }>({ type: 'close' }, 'closed')
  const clientCpuSeconds = closed.reduce((a, c) => a + (c.cpu.user + c.cpu.system) / 1e6, 0)
  deck.client.close()
  await Promise.all(phones.workers.map((worker) => stopChild(worker, 5000)))
  await nodes.stop(kind === 'ours' && profileDir ? 30_000 : 10_000)

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
  const perNode = nodes.list.map((node) => {
    const i = node.index
    const end = endNodeStats[i] as ServerStats
    const b = burstNodeStats[i] as ServerStats
    return {
      node: node.index,
      phones: phones.perNode[i],
      workers: phones.workersPerNode[i],
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
    lostVotes: checked.lostVotes,
    tallyShortfall: Math.max(...shortfallByNode),
    tallyMatchesStore: tallyMatchesStoreByNode.every(Boolean),
    nodesAgree,
    nodesAgreeAfterMs,
    phonesWithUnconfirmedVotes: checked.unconfirmedPhones,
    finalTally: { total: finalTally.total, counts: finalTally.counts },
    storedAnswers: checked.storedAnswers,
    acknowledgedFinals: checked.acknowledgedFinals,
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
    deckDisconnected: deck.disconnected(),
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
