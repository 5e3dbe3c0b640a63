// The live loop over real sockets: voters vote, the deck sees coalesced tallies, the presenter
// controls polls, and bad messages are refused with a reason and change nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Client, nextEvent, voteId } from './harness/clients.ts'
import { SECRET, startTestServer } from './harness/kit.ts'
import { tempDir } from './harness/system.ts'

type Server = Awaited<ReturnType<typeof startTestServer>>
let dir: ReturnType<typeof tempDir>
let server: Server

beforeEach(async () => {
  dir = tempDir()
  server = await startTestServer({ dataDir: dir.path })
})
afterEach(async () => {
  await server.close()
  dir.remove()
})

async function presenter(s: Server = server): Promise<Client> {
  const socket = s.connect({ role: 'deck', secret: SECRET })
  const state = await nextEvent(socket, 'sync')
  expect(state.presenter).toBe(true)
  return socket
}

async function voter(participantId: string, s: Server = server): Promise<Client> {
  const socket = s.connect({ role: 'voter', participantId })
  await nextEvent(socket, 'sync')
  return socket
}

const open = (socket: Client, pollId = 'hat') => socket.emitWithAck('control', { pollId, action: 'open' })

describe('voting', () => {
  it('counts votes from two phones and shows them on the deck', async () => {
    const deck = await presenter()
    expect(await open(deck)).toEqual({ ok: true })
    const alice = await voter('participant-alice')
    const bob = await voter('participant-bob')

    const tally = nextEvent(deck, 'tally', (tallies) => tallies.some((t) => t.pollId === 'hat' && t.total === 2))
    expect(await alice.emitWithAck('vote', { pollId: 'hat', answer: 'leading', voteId: voteId() })).toEqual({
      ok: true,
      answer: ['leading'],
    })
    expect((await bob.emitWithAck('vote', { pollId: 'hat', answer: 'managing', voteId: voteId() })).ok).toBe(true)
    const [hat] = (await tally).filter((t) => t.pollId === 'hat')
    expect(hat?.counts).toEqual({ leading: 1, managing: 1, 'not-sure': 0 })
  })

  it('moves a changed vote instead of adding one', async () => {
    const deck = await presenter()
    await open(deck)
    const alice = await voter('participant-alice')
    await alice.emitWithAck('vote', { pollId: 'hat', answer: 'leading', voteId: voteId() })
    await alice.emitWithAck('vote', { pollId: 'hat', answer: 'managing', voteId: voteId() })
    expect(server.engine.tally('hat')).toEqual({
      pollId: 'hat',
      counts: { leading: 0, managing: 1, 'not-sure': 0 },
      total: 1,
    })
  })

  it('counts a retried vote (same vote id) once, even from two connections', async () => {
    const deck = await presenter()
    await open(deck)
    const first = await voter('participant-carol')
    const second = await voter('participant-carol')
    const id = voteId()
    const results = await Promise.all([
      first.emitWithAck('vote', { pollId: 'hat', answer: 'leading', voteId: id }),
      first.emitWithAck('vote', { pollId: 'hat', answer: 'leading', voteId: id }),
      second.emitWithAck('vote', { pollId: 'hat', answer: 'leading', voteId: id }),
    ])
    expect(results.every((r) => r.ok)).toBe(true)
    expect(server.engine.tally('hat')?.total).toBe(1)
  })

  it('tells a reconnecting phone what it chose', async () => {
    const deck = await presenter()
    await open(deck)
    const phone = await voter('participant-dave')
    await phone.emitWithAck('vote', { pollId: 'hat', answer: 'not-sure', voteId: voteId() })
    phone.disconnect()
    const again = server.connect({ role: 'voter', participantId: 'participant-dave' })
    const state = await nextEvent(again, 'sync')
    expect(state.mine).toEqual({ hat: ['not-sure'] })
    expect(state.polls.find((p) => p.id === 'hat')?.state).toBe('open')
  })
})

describe('refusals change nothing', () => {
  it('refuses a vote on a closed poll', async () => {
    const alice = await voter('participant-alice')
    const result = await alice.emitWithAck('vote', {
      pollId: 'hat',
      answer: 'leading',
      voteId: voteId(),
    })
    expect(result).toEqual({ ok: false, error: 'This poll is closed.' })
    expect(server.engine.tally('hat')?.total).toBe(0)
  })

  it('refuses an unknown poll and an unknown option', async () => {
    const deck = await presenter()
    await open(deck)
    const alice = await voter('participant-alice')
    expect(await alice.emitWithAck('vote', { pollId: 'nope', answer: 'leading', voteId: voteId() })).toEqual({
      ok: false,
      error: 'There is no poll "nope".',
    })
    const wrong = await alice.emitWithAck('vote', {
      pollId: 'hat',
      answer: 'juggling',
      voteId: voteId(),
    })
    expect(wrong.ok).toBe(false)
    expect(server.engine.tally('hat')?.total).toBe(0)
  })

  it('refuses malformed votes with the field at fault', async () => {
    const deck = await presenter()
    await open(deck)
    const alice = await voter('participant-alice')
    const bad = [
      null,
      'leading',
      { pollId: 'hat' },
      { pollId: 'hat', answer: { nested: true }, voteId: voteId() },
      { pollId: 'hat', answer: 'leading', voteId: voteId(), extra: true },
      { pollId: 'HAT!', answer: 'leading', voteId: voteId() },
      { pollId: 'hat', answer: ['x'.repeat(500)], voteId: voteId() },
    ]
    for (const payload of bad) {
      const result = await alice.emitWithAck('vote', payload as never)
      expect(result.ok).toBe(false)
      expect(result.ok ? '' : result.error).toMatch(/^Invalid message/)
    }
    expect(server.engine.tally('hat')?.total).toBe(0)
  })

  it('refuses presenter actions without the secret', async () => {
    const guest = server.connect({ role: 'deck' })
    expect((await nextEvent(guest, 'sync')).presenter).toBe(false)
    const wrong = server.connect({ role: 'deck', secret: 'guess' })
    expect((await nextEvent(wrong, 'sync')).presenter).toBe(false)
    const phone = await voter('participant-eve')
    for (const socket of [guest, wrong, phone]) {
      for (const action of ['open', 'close', 'reset'] as const) {
        const result = await socket.emitWithAck('control', { pollId: 'hat', action })
        expect(result).toEqual({ ok: false, error: 'Only the presenter can do that.' })
      }
    }
    expect(server.engine.view('hat')?.state).toBe('closed')
  })

  it('answers unknown events and oversized messages with a reason, and stays up', async () => {
    const phone = await voter('participant-frank')
    const rejected = nextEvent(phone, 'rejected')
    ;(phone as unknown as { emit: (event: string, ...args: unknown[]) => void }).emit('shout', 'hello')
    expect(await rejected).toEqual({ event: 'shout', error: 'Unknown event.' })

    const big = server.connect({ role: 'voter', participantId: 'participant-big' })
    await nextEvent(big, 'sync')
    const dropped = new Promise((resolve) => big.on('disconnect', resolve))
    big.emit('vote', { pollId: 'hat', answer: 'x'.repeat(10_000), voteId: voteId() } as never, () => undefined)
    expect(await dropped).toBe('transport close')

    const health = await fetch(`${server.url}/healthz`)
    expect(health.status).toBe(200)
  })

  it('refuses a voter without a participant id at the handshake', async () => {
    const socket = server.connect({ role: 'voter' })
    const error = await new Promise<Error>((resolve) => socket.on('connect_error', resolve))
    expect(error.message).toBe('A voter must send a participant id.')
  })
})

describe('presenter controls', () => {
  it('opens and closes a poll for every phone, and reset clears the votes', async () => {
    const deck = await presenter()
    const phone = await voter('participant-gina')
    const opened = nextEvent(phone, 'poll:state', (p) => p.state === 'open')
    await open(deck)
    expect((await opened).id).toBe('hat')
    await phone.emitWithAck('vote', { pollId: 'hat', answer: 'leading', voteId: voteId() })

    const closed = nextEvent(phone, 'poll:state', (p) => p.state === 'closed')
    expect(await deck.emitWithAck('control', { pollId: 'hat', action: 'close' })).toEqual({
      ok: true,
    })
    await closed

    const resynced = nextEvent(phone, 'sync', (state) => !state.mine?.hat)
    expect(await deck.emitWithAck('control', { pollId: 'hat', action: 'reset' })).toEqual({
      ok: true,
    })
    await resynced
    expect(server.engine.tally('hat')?.total).toBe(0)
  })
})

describe('durability', () => {
  it('keeps results and poll state across a restart on the same data folder', async () => {
    const deck = await presenter()
    await open(deck)
    for (const name of ['one', 'two', 'three']) {
      const phone = await voter(`participant-${name}`)
      const result = await phone.emitWithAck('vote', {
        pollId: 'hat',
        answer: 'managing',
        voteId: voteId(),
      })
      expect(result.ok).toBe(true)
    }
    await server.close()

    server = await startTestServer({ dataDir: dir.path })
    const again = server.connect({ role: 'deck' })
    const state = await nextEvent(again, 'sync')
    expect(state.tallies?.find((t) => t.pollId === 'hat')).toEqual({
      pollId: 'hat',
      counts: { leading: 0, managing: 3, 'not-sure': 0 },
      total: 3,
    })
    expect(state.polls.find((p) => p.id === 'hat')?.state).toBe('open')
  })
})
