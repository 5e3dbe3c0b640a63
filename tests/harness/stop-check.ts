// Stopping a server in the middle of a vote burst, for the SQLite (tests/stop.test.ts) and the
// Redis (tests/scale/stop-redis.test.ts) stop tests: phones vote round after round, the server
// gets SIGTERM, and afterwards the store must hold, for every phone, its last acknowledged answer
// or a later one it sent (never an older one: an acknowledged vote is never lost).
import { expect } from 'vitest'
import type { Vote } from '../../server/store.ts'
import { connect, synced } from './clients.ts'
import type { RunningProcess } from './server-process.ts'

export const STOP_SECRET = 'stop-presenter-secret'
const POLL = 'hat-start'

export interface Burst {
  /** Per phone: the round of its last acknowledged vote. */
  acked: Map<string, number>
  /** Why votes were refused (while stopping, or once gone). */
  refusals: Set<string>
}

/** Opens the poll, then phones vote every round until the server is gone. */
export async function voteUntilStopped(server: RunningProcess, phones: number, stop: () => void): Promise<Burst> {
  const deck = connect(server.url, { role: 'deck', secret: STOP_SECRET })
  await synced(deck)
  expect(await deck.timeout(10_000).emitWithAck('control', { pollId: POLL, action: 'open' })).toEqual({ ok: true })
  const { options } = (await (await fetch(`${server.url}/api/polls/${POLL}`)).json()) as { options: { id: string }[] }
  const clients = Array.from({ length: phones }, (_, i) =>
    connect(server.url, { role: 'voter', participantId: `stopping-phone-${i}` }),
  )
  await Promise.all(clients.map((client) => synced(client)))
  const burst: Burst = { acked: new Map(), refusals: new Set() }
  let stopped = false
  const voting = clients.map(async (client, i) => {
    for (let round = 0; round < 10_000 && client.connected; round++) {
      const answer = options[(i + round) % options.length]?.id as string
      try {
        const result = await client
          .timeout(3000)
          .emitWithAck('vote', { pollId: POLL, answer, voteId: `stop-${i}-${round}` })
        if (result.ok) burst.acked.set(`stopping-phone-${i}`, round)
        else burst.refusals.add(result.error)
      } catch {
        burst.refusals.add('no answer')
      }
      // The stop comes once every phone has a few votes acknowledged.
      if (!stopped && burst.acked.size === phones && round >= 3) {
        stopped = true
        stop()
      }
    }
  })
  await Promise.all(voting)
  return burst
}

/** Every phone's stored vote is its last acknowledged one or a later one. */
export function expectNothingAcknowledgedLost(burst: Burst, stored: readonly Vote[]): void {
  expect(burst.acked.size).toBeGreaterThan(0)
  for (const [participantId, round] of burst.acked) {
    const vote = stored.find((candidate) => candidate.pollId === POLL && candidate.participantId === participantId)
    const storedRound = Number(vote?.voteId.split('-').at(-1))
    expect(storedRound, `${participantId}: acknowledged round ${round}, stored ${vote?.voteId}`).toBeGreaterThanOrEqual(
      round,
    )
  }
  // Refused votes were told why, in words a phone shows (or got no answer as the server went).
  for (const reason of burst.refusals) {
    expect(reason).toMatch(/stopping|could not be saved|no answer|closed/)
  }
}

/** Resolves with the exit, or fails if the process is still running after `ms`. */
export async function exitsWithin(server: RunningProcess, ms: number): Promise<{ code: number | null }> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running ${ms} ms after SIGTERM:\n${server.stderr()}`)), ms)
  })
  try {
    return await Promise.race([server.exited, late])
  } finally {
    clearTimeout(timer)
  }
}
