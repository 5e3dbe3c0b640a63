// Several server processes sharing one Redis (`npm run test:scale`): decks on either process see
// the same tallies; a killed process's phones reconnect to another and lose no acknowledged
// vote; Redis restarting mid-vote loses no acknowledged vote either.
import { describe, expect, it } from 'vitest'
import type { Tally } from '../../server/protocol.ts'
import { type Client, connect as connectClient, synced } from '../harness/clients.ts'
import { type RunningProcess, startServerProcess } from '../harness/server-process.ts'
import { freePort, until } from '../harness/system.ts'
import { redisPerTest } from './cluster.ts'
import { startForwarder } from './forwarder.ts'

const SECRET = 'scale-presenter-secret'
const POLL = 'hat-start'
const OPTIONS = ['leading', 'managing', 'switching-all-day', 'not-sure']

const cluster = redisPerTest(SECRET)

const serverEnv = cluster.env

const connect = (url: string, auth: Record<string, unknown>, reconnection = false): Client =>
  connectClient(url, auth, { reconnection })

async function deckOn(server: RunningProcess): Promise<{ client: Client; latest: () => Tally | undefined }> {
  const client = connect(server.url, { role: 'deck', secret: SECRET })
  let latest: Tally | undefined
  client.on('sync', (state) => (latest = state.tallies?.find((t) => t.pollId === POLL) ?? latest))
  client.on('tally', (tallies) => (latest = tallies.find((t) => t.pollId === POLL) ?? latest))
  await synced(client)
  return { client, latest: () => latest }
}

async function finalTally(url: string): Promise<Tally & { counts: Record<string, number> }> {
  return (await (await fetch(`${url}/api/polls/${POLL}`)).json()) as Tally
}

/** Expected counts from the last acknowledged answer of each participant. */
function countsOf(acked: Map<string, string>): Record<string, number> {
  const counts = Object.fromEntries(OPTIONS.map((option) => [option, 0]))
  for (const answer of acked.values()) counts[answer] = (counts[answer] ?? 0) + 1
  return counts
}

describe('two processes on one Redis', () => {
  it('shows the same tallies on a deck on each process', async () => {
    const [a, b] = await Promise.all([startServerProcess(serverEnv()), startServerProcess(serverEnv())])
    const [deckA, deckB] = await Promise.all([deckOn(a), deckOn(b)])
    const acked = new Map<string, string>()
    const voters = Array.from({ length: 40 }, (_, i) => ({
      id: `participant-${i}`,
      client: connect(i % 2 ? b.url : a.url, { role: 'voter', participantId: `participant-${i}` }),
    }))
    await Promise.all(voters.map(({ client }) => synced(client)))
    // Opened on A, the poll reaches the phones on B through Redis; they vote once they see it.
    const opened = voters.map(({ client }) => new Promise((resolve) => client.once('poll:state', resolve)))
    expect(await deckA.client.emitWithAck('control', { pollId: POLL, action: 'open' })).toEqual({ ok: true })
    await Promise.all(opened)
    await Promise.all(
      voters.map(async ({ id, client }, i) => {
        const answer = OPTIONS[i % OPTIONS.length] as string
        const result = await client.emitWithAck('vote', { pollId: POLL, answer, voteId: `vote-${i}-a` })
        if (result.ok) acked.set(id, answer)
      }),
    )
    expect(acked.size).toBe(40)
    const expected = countsOf(acked)
    await until(() => deckA.latest()?.total === 40 && deckB.latest()?.total === 40)
    expect(deckA.latest()?.counts).toEqual(expected)
    expect(deckB.latest()?.counts).toEqual(expected)
    // Closing on B reaches a phone on A, which is then refused.
    const phoneOnA = voters[0]?.client as Client
    const closed = new Promise((resolve) =>
      phoneOnA.on('poll:state', (poll) => poll.state === 'closed' && resolve(poll)),
    )
    await deckB.client.emitWithAck('control', { pollId: POLL, action: 'close' })
    await closed
    const late = await phoneOnA.emitWithAck('vote', { pollId: POLL, answer: 'managing', voteId: 'vote-late' })
    expect(late).toEqual({ ok: false, error: 'This poll is closed.' })
  }, 120_000)

  it('moves the phones of a killed process to the other, losing no acknowledged vote', async () => {
    const a = await startServerProcess(serverEnv())
    const b = await startServerProcess(serverEnv())
    let alive = [a.port, b.port]
    const front = await startForwarder(() => alive)
    const deck = await deckOn(b)

    // Every phone goes through the front address; while A is alive it takes them all.
    const phones = Array.from({ length: 30 }, (_, i) => ({
      id: `participant-${i}`,
      client: connect(front.url, { role: 'voter', participantId: `participant-${i}` }, true),
    }))
    await Promise.all(phones.map(({ client }) => synced(client)))
    // Opened on B, the poll reaches the phones on A through Redis, as a real phone sees it.
    const opened = phones.map(({ client }) => new Promise((resolve) => client.once('poll:state', resolve)))
    await deck.client.emitWithAck('control', { pollId: POLL, action: 'open' })
    await Promise.all(opened)
    const acked = new Map<string, string>()
    let round = 0
    const voteRound = () =>
      Promise.all(
        phones.map(async ({ id, client }, i) => {
          const answer = OPTIONS[(i + round) % OPTIONS.length] as string
          try {
            const result = await client
              .timeout(3000)
              .emitWithAck('vote', { pollId: POLL, answer, voteId: `vote-${round}-${i}` })
            if (result.ok) acked.set(id, answer)
          } catch {
            // not acknowledged: the phone would retry; it may or may not be counted
          }
        }),
      )
    await voteRound()
    expect(acked.size).toBe(30)

    round = 1
    const burst = voteRound()
    await a.kill() // in the middle of the burst
    alive = [b.port]
    await burst
    // The phones reconnect by themselves (to B, through the front) and vote again.
    await until(() => phones.every(({ client }) => client.connected), 15_000)
    round = 2
    await voteRound()
    const tally = await finalTally(b.url)
    // Every acknowledged answer is there, the latest per participant.
    expect(tally.counts).toEqual(countsOf(acked))
    expect(tally.total).toBe(30)
    front.server.close()
  }, 150_000)

  it('keeps every acknowledged vote when Redis restarts during voting', async () => {
    const a = await startServerProcess(serverEnv())
    const deck = await deckOn(a)
    await deck.client.emitWithAck('control', { pollId: POLL, action: 'open' })
    const phones = Array.from({ length: 20 }, (_, i) => ({
      id: `participant-${i}`,
      client: connect(a.url, { role: 'voter', participantId: `participant-${i}` }),
    }))
    await Promise.all(phones.map(({ client }) => synced(client)))

    const acked = new Map<string, string>()
    const refusals = new Set<string>()
    let stop = false
    const voting = (async () => {
      for (let round = 0; !stop && round < 400; round++) {
        await Promise.all(
          phones.map(async ({ id, client }, i) => {
            const answer = OPTIONS[(i + round) % OPTIONS.length] as string
            try {
              const result = await client
                .timeout(3000)
                .emitWithAck('vote', { pollId: POLL, answer, voteId: `vote-r${round}-${i}` })
              if (result.ok) acked.set(id, answer)
              else refusals.add(result.error)
            } catch {
              refusals.add('timeout')
            }
          }),
        )
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    })()
    await until(() => acked.size === 20).catch((error) => {
      throw new Error(`${error.message}: ${acked.size} acknowledged; refusals: ${[...refusals].join(' | ')}`)
    })
    await cluster.redis.kill()
    await new Promise((resolve) => setTimeout(resolve, 700))
    await cluster.redis.restart() // same port, same append-only file
    await new Promise((resolve) => setTimeout(resolve, 1500))
    stop = true
    await voting
    // While Redis was away, phones were told so (never a silent success).
    expect(
      [...refusals].every(
        (reason) => reason === 'The change could not be saved; please try again.' || reason === 'timeout',
      ),
    ).toBe(true)
    expect(refusals.size).toBeGreaterThan(0)

    // A fresh process reads everything back from Redis: every acknowledged answer is there.
    const fresh = await startServerProcess(serverEnv())
    const tally = await finalTally(fresh.url)
    expect(tally.counts).toEqual(countsOf(acked))
    expect(tally.total).toBe(20)
  }, 150_000)

  it('refuses to start without Redis, in one sentence', async () => {
    const nobody = await freePort()
    const failed = startServerProcess({ ...serverEnv(), REDIS_URL: `redis://127.0.0.1:${nobody}` })
    await expect(failed).rejects.toThrow(
      new RegExp(
        `server exited \\(1\\):\\s+Cannot reach Redis at redis://127.0.0.1:${nobody} .*start Redis, or unset REDIS_URL`,
      ),
    )
  }, 60_000)
})
