// The report: the table (ours, the floor, ours / floor), the per-node lines, the targets
// (docs: DESIGN.md "Performance budgets") with notes on what missed, and the JSON report.
import { cpus, loadavg } from 'node:os'
import { type BenchSettings, POLL_ID, type Result } from './phases.ts'

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

/** A table row: its name, how a result reads in it, and the figure ours / floor compares (if any). */
type Row = [name: string, value: (r: Result) => string, figure?: (r: Result) => number | undefined]

function table(settings: BenchSettings, ours?: Result, floor?: Result): string {
  const several = ((ours ?? floor)?.nodes ?? 1) > 1
  const rows: Row[] = [
    ['nodes', (r) => (r.nodes > 1 ? `${r.nodes} + Redis` : '1')],
    ['phones connected', (r) => `${r.votersConnected}/${r.voters}`],
    ['connect time (s)', (r) => fixed(r.connectMs / 1000), (r) => r.connectMs],
    ['votes acknowledged (burst)', (r) => `${r.phases.burst.votesAcked}/${r.phases.burst.votesSent}`],
    ['votes per second (burst)', (r) => String(r.votesPerSecond), (r) => r.votesPerSecond],
    ['vote → deck p50 (ms)', (r) => fixed(r.latencyMs.p50), (r) => r.latencyMs.p50],
    ['vote → deck p95 (ms)', (r) => fixed(r.latencyMs.p95), (r) => r.latencyMs.p95],
    ['vote → deck p99 (ms)', (r) => fixed(r.latencyMs.p99), (r) => r.latencyMs.p99],
    ['vote → ack p99 (ms)', (r) => fixed(r.ackLatencyMs.p99), (r) => r.ackLatencyMs.p99],
    ['lost votes', (r) => String(r.lostVotes)],
    [several ? 'acked missing, worst node' : 'acked votes missing from tally', (r) => String(r.tallyShortfall)],
    [several ? 'tally = stored, every node' : 'tally = stored answers', (r) => (r.tallyMatchesStore ? 'yes' : 'NO')],
  ]
  if (several) rows.push(['nodes agree on final tally', (r) => (r.nodesAgree ? 'yes' : 'NO')])
  rows.push([several ? 'server RSS peak, sum (MB)' : 'server RSS peak (MB)', (r) => fixed(r.rssMb), (r) => r.rssMb])
  if (several) rows.push(['server RSS peak, largest (MB)', (r) => fixed(r.rssLargestNodeMb), (r) => r.rssLargestNodeMb])
  rows.push([several ? 'server CPU, sum (s)' : 'server CPU (s)', (r) => fixed(r.cpuSeconds, 2), (r) => r.cpuSeconds])
  if (several) rows.push(['redis-server CPU (s)', (r) => fixed(r.redis?.cpuSeconds, 2), (r) => r.redis?.cpuSeconds])
  rows.push(
    [
      several ? 'event-loop p99, worst (ms)' : 'event-loop delay p99 (ms)',
      (r) => fixed(r.eventLoopDelayP99Ms),
      (r) => r.eventLoopDelayP99Ms,
    ],
    [
      several ? 'event-loop max, worst (ms)' : 'event-loop delay max (ms)',
      (r) => fixed(r.eventLoopDelayMaxMs),
      (r) => r.eventLoopDelayMaxMs,
    ],
  )
  if (settings.durationMs > 0) {
    rows.push(
      ['sustained votes per second', (r) => String(r.sustainedVotesPerSecond ?? '–'), (r) => r.sustainedVotesPerSecond],
      ['sustained vote → deck p99 (ms)', (r) => fixed(r.sustainedLatencyMs?.p99), (r) => r.sustainedLatencyMs?.p99],
    )
  }
  const lines = [`${'metric'.padEnd(32)}${'ours'.padStart(14)}${'floor'.padStart(14)}${'ours/floor'.padStart(12)}`]
  lines.push('-'.repeat(lines[0]?.length ?? 72))
  for (const [name, value, figure] of rows) {
    const r = figure && ours && floor ? ratio(figure(ours), figure(floor)) : undefined
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

/** The report on stdout: the table, each node's figures, the targets and notes. */
export function printReport(settings: BenchSettings, loadBefore: number, ours?: Result, floor?: Result): void {
  const nodesNote =
    settings.nodes > 1
      ? `, ${settings.nodes} server processes on one Redis (appendonly, fsync always); phones spread evenly, the deck on node 0`
      : ''
  console.log(
    `\nLive-poll benchmark: ${settings.voters} phones, poll "${POLL_ID}", ${cpus().length} cores${nodesNote}\n`,
  )
  console.log(table(settings, ours, floor))
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
}

/** The JSON report (--json FILE): ours (or the floor alone), the floor, ratios, targets, settings. */
export function jsonReport(settings: BenchSettings, loadBefore: number, ours?: Result, floor?: Result) {
  return {
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
        ? 'vote send time on the phone (any node) → receive time on the deck (node 0) of the first tally that includes the vote; inclusion from the exact order in which node 0 applied votes to its tally, its own and those mirrored from other nodes through Redis (see bench/analysis.ts)'
        : 'vote send time on the phone → receive time on the deck of the first tally that includes the vote; inclusion from the exact order in which the server applied votes to its tally (see bench/analysis.ts)',
  }
}
