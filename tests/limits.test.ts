// Per-address limits against the real server: the connection cap counts connections that never
// finish the Socket.IO handshake and connections resumed by connection-state recovery; a script
// that invents participant ids on one address is held to a steady rate of identities, votes,
// posts and upvotes; a room of 500 phones behind one venue NAT still joins and answers with the
// defaults (the time it takes is reported, not asserted); X-Forwarded-For counts only from the
// configured proxy. Every client here comes from 127.0.0.1: one address, like a venue's NAT.
import { afterEach, describe, expect, it } from 'vitest'
import { addressKey } from '../server/address.ts'
import { AddressLimits, addressRates } from '../server/address-limits.ts'
import type { PollDefinition } from '../server/poll-definition.ts'
import type { Ack } from '../server/protocol.ts'
import { type Client, closeClients, joinLikeAPhone, synced, voteId } from './harness/clients.ts'
import { HAT_POLL, SECRET, startTestServer, VOICE_POLLS } from './harness/kit.ts'
import { tempDir } from './harness/system.ts'

const servers: { close(): Promise<void> }[] = []
const dirs: ReturnType<typeof tempDir>[] = []
afterEach(async () => {
  closeClients()
  for (const server of servers.splice(0)) await server.close()
  for (const dir of dirs.splice(0)) dir.remove()
})

async function start(env: Record<string, string>, polls: PollDefinition[] = [HAT_POLL]) {
  const dir = tempDir()
  dirs.push(dir)
  const server = await startTestServer({ dataDir: dir.path, env, polls })
  servers.push(server)
  return server
}

/** A connection's outcome: connected, or refused with the server's reason. */
const outcome = (client: Client) =>
  new Promise<string>((resolve) => {
    client.once('connect', () => resolve('connected'))
    client.once('connect_error', (error) => resolve(error.message))
  })

const BUSY = 'Many answers from this network right now: please try again in a few seconds.'

describe('the per-address limits (unit)', () => {
  it('give a burst, then a steady rate with a bounded wait, per address; IPv6 counts by /64', () => {
    const limits = new AddressLimits(2, { ...addressRates(40), votes: { burst: 3, perSecond: 1 } })
    expect([1, 2, 3].map(() => limits.take('10.0.0.1', 'votes', 5000))).toEqual([0, 0, 0])
    const wait = limits.take('10.0.0.1', 'votes', 5000) ?? -1
    expect(wait).toBeGreaterThan(900) // its turn, about a second later
    expect(wait).toBeLessThanOrEqual(1000)
    for (let i = 0; i < 4; i++) limits.take('10.0.0.1', 'votes', 5000)
    expect(limits.take('10.0.0.1', 'votes', 5000)).toBeNull() // more than five seconds away: refused
    expect(limits.take('10.0.0.2', 'votes', 5000)).toBe(0) // another address has its own
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe(addressKey('2001:db8:1:2:ffff:1:2:3'))
    expect(addressKey('2001:db8:1:2::1')).not.toBe(addressKey('2001:db8:1:3::1'))
    expect(addressKey('::ffff:192.0.2.7')).toBe('192.0.2.7')
    const close = limits.connected('10.0.0.1')
    limits.connected('10.0.0.1')
    expect(limits.canConnect('10.0.0.1')).toBe(false)
    close()
    close() // twice is once
    expect(limits.canConnect('10.0.0.1')).toBe(true)
    limits.close()
  })
})

describe('the connection cap', () => {
  it('counts connections that never finish the Socket.IO handshake', async () => {
    const server = await start({ MAX_CONNECTIONS_PER_ADDRESS: '4' })
    // Four engine.io connections, opened by hand, that never join Socket.IO.
    const sids: string[] = []
    for (let i = 0; i < 4; i++) {
      const response = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`)
      expect(response.status).toBe(200)
      sids.push(/"sid":"([^"]+)"/.exec(await response.text())?.[1] ?? '')
    }
    expect(await outcome(server.connect({ role: 'voter', participantId: 'after-half-open' }))).toMatch(
      /websocket error|Too many connections/,
    )
    // Closing one (engine.io's close packet) frees its place.
    await fetch(`${server.url}/socket.io/?EIO=4&transport=polling&sid=${sids[0]}`, { method: 'POST', body: '1' })
    await expect
      .poll(() => outcome(server.connect({ role: 'voter', participantId: 'after-one-closed' })))
      .toBe('connected')
  })

  it('counts connections resumed by connection-state recovery', async () => {
    const server = await start({ MAX_CONNECTIONS_PER_ADDRESS: '3' })
    const resumable = server.connect(
      { role: 'voter', participantId: 'resumes-later' },
      { reconnection: true, reconnectionAttempts: 3 },
    )
    await synced(resumable)
    for (const id of ['second-phone', 'third-phone']) {
      expect(await outcome(server.connect({ role: 'voter', participantId: id }))).toBe('connected')
    }
    // Its network drops; another phone takes the free place before it comes back.
    const refused = new Promise<string>((resolve) => resumable.io.on('reconnect_failed', () => resolve('gave up')))
    resumable.io.engine.close()
    await expect
      .poll(() => outcome(server.connect({ role: 'voter', participantId: 'takes-the-place' })))
      .toBe('connected')
    expect(await refused).toBe('gave up')
    expect(resumable.connected).toBe(false)
    expect(server.io.engine.clientsCount).toBe(3)
    // Three reconnection attempts with Socket.IO's own backoff take about seven seconds alone.
  }, 30_000)
})

describe('a script on one address that invents participant ids', () => {
  it('gets a burst of identities, then a steady rate; its votes, posts and upvotes too', async () => {
    // A room of 40 behind one address: 10 new phones at once, then 40 a minute.
    const server = await start({ PHONES_PER_ADDRESS: '40' }, [HAT_POLL, ...VOICE_POLLS])
    const rates = addressRates(40)
    const started = Date.now()
    const clients = Array.from({ length: 40 }, (_, i) =>
      server.connect({ role: 'voter', participantId: `bot-${i}-xxxx` }),
    )
    const joined: Client[] = []
    const told: string[] = []
    for (const client of clients) {
      client.once('connect', () => joined.push(client))
      client.once('connect_error', (error) => told.push(error.message))
    }
    await new Promise((resolve) => setTimeout(resolve, 1500))
    const inTheFirstSecond = joined.length
    expect(inTheFirstSecond).toBeGreaterThanOrEqual(rates.identities.burst)
    expect(inTheFirstSecond).toBeLessThanOrEqual(rates.identities.burst + Math.ceil(rates.identities.perSecond * 2))
    // More than 30 s of waiting ahead: told to come back later, with a reason.
    expect(told.length).toBeGreaterThan(0)
    expect(new Set(told)).toEqual(new Set(['Many phones are joining from this network: yours joins in a moment.']))

    const bots = joined.slice(0, rates.identities.burst)
    const presenter = server.connect({ role: 'deck', secret: SECRET })
    await synced(presenter)
    for (const pollId of ['hat', 'ideas'])
      expect(await presenter.emitWithAck('control', { pollId, action: 'open' })).toEqual({ ok: true })
    const count = (results: Ack[]) => ({
      ok: results.filter((result) => result.ok).length,
      busy: results.filter((result) => !result.ok && result.error === BUSY).length,
    })
    const answers = ['leading', 'managing', 'not-sure']
    // Every bot changes its vote fifteen times (each change is a vote): 150 at once.
    const votes = count(
      await Promise.all(
        bots.flatMap((bot, b) =>
          Array.from({ length: 15 }, (_, i) =>
            bot
              .timeout(15_000)
              .emitWithAck('vote', { pollId: 'hat', answer: answers[(b + i) % 3] ?? '', voteId: voteId() }),
          ),
        ),
      ),
    )
    // Two open answers each, and three questions each (the per-phone limits allow these).
    const posts = await Promise.all(
      bots.flatMap((bot, b) => [
        ...[1, 2].map((i) =>
          bot
            .timeout(15_000)
            .emitWithAck('post', { pollId: 'ideas', text: `Idea ${i} from bot ${b}`, postId: voteId() }),
        ),
        ...[1, 2, 3].map((i) =>
          bot.timeout(15_000).emitWithAck('post', { text: `Question ${i} from bot ${b}?`, postId: voteId() }),
        ),
      ]),
    )
    const cards = posts.flatMap((result) => (result.ok && 'card' in result ? [result.card.id] : []))
    const upvotes = count(
      await Promise.all(
        bots.flatMap((bot) => cards.map((cardId) => bot.timeout(15_000).emitWithAck('upvote', { cardId, on: true }))),
      ),
    )
    const seconds = (Date.now() - started) / 1000
    const allowed = (rate: { burst: number; perSecond: number }) => rate.burst + rate.perSecond * (seconds + 5) + 1
    const postCount = count(posts)
    console.log(
      `one address, ${clients.length} invented ids: ${inTheFirstSecond} joined in the first 1.5 s, ${told.length} told to come back; ` +
        `in ${seconds.toFixed(1)} s: votes ${votes.ok} taken / ${votes.busy} refused, posts ${postCount.ok} / ${postCount.busy}, ` +
        `upvotes ${upvotes.ok} / ${upvotes.busy}`,
    )
    expect(votes.ok).toBeLessThanOrEqual(allowed(rates.votes))
    expect(votes.busy).toBeGreaterThan(0)
    expect(postCount.ok).toBeLessThanOrEqual(allowed(rates.posts))
    expect(postCount.busy).toBeGreaterThan(0)
    expect(upvotes.ok).toBeLessThanOrEqual(allowed(rates.upvotes))
    expect(upvotes.busy).toBeGreaterThan(0)
    // However many ids it made up, the poll counts the phones that got in, once each.
    const tally = (await (await fetch(`${server.url}/api/polls/hat`)).json()) as { total: number }
    expect(tally.total).toBeLessThanOrEqual(joined.length)
  }, 60_000)
})

describe('a room of 500 phones behind one venue NAT, with the default limits', () => {
  it('joins, votes, asks and upvotes: everything acknowledged (the time it takes is reported)', async () => {
    const server = await start({}, [HAT_POLL])
    const presenter = server.connect({ role: 'deck', secret: SECRET })
    await synced(presenter)
    expect(await presenter.emitWithAck('control', { pollId: 'hat', action: 'open' })).toEqual({ ok: true })
    const started = Date.now()
    // Everyone scans the QR code in the same moment: the worst case for the identity limit.
    const phones = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        joinLikeAPhone(server.url, { role: 'voter', participantId: `nat-phone-${i}` }),
      ),
    )
    const joinedAfter = (Date.now() - started) / 1000
    const waited = phones.filter((phone) => phone.retries > 0).length
    const votes = await Promise.all(
      phones.map(({ client }, i) =>
        client
          .timeout(20_000)
          .emitWithAck('vote', { pollId: 'hat', answer: ['leading', 'managing'][i % 2] ?? '', voteId: voteId() }),
      ),
    )
    const asked = await Promise.all(
      phones
        .slice(0, 100)
        .map(({ client }, i) =>
          client.timeout(20_000).emitWithAck('post', { text: `Question ${i} from the room?`, postId: voteId() }),
        ),
    )
    const cards = asked.flatMap((result) => (result.ok ? [result.card.id] : []))
    const upvotes = await Promise.all(
      phones.flatMap(({ client }, i) =>
        [cards[i % cards.length], cards[(i * 7 + 3) % cards.length]].map((cardId) =>
          client.timeout(20_000).emitWithAck('upvote', { cardId: cardId ?? '', on: true }),
        ),
      ),
    )
    const answeredAfter = (Date.now() - started) / 1000
    console.log(
      `500 phones on one address, all at once, default limits: every phone joined after ${joinedAfter.toFixed(1)} s ` +
        `(${waited} were told to come back, once or more); 500 votes, 100 questions and 1,000 upvotes acknowledged ` +
        `${answeredAfter.toFixed(1)} s after the first phone arrived`,
    )
    expect(phones).toHaveLength(500)
    expect(votes.filter((result) => !result.ok)).toEqual([])
    expect(asked.filter((result) => !result.ok)).toEqual([])
    expect(upvotes.filter((result) => !result.ok)).toEqual([])
    expect(((await (await fetch(`${server.url}/api/polls/hat`)).json()) as { total: number }).total).toBe(500)
  }, 180_000)
})

describe('X-Forwarded-For', () => {
  const spoofed = (server: Awaited<ReturnType<typeof start>>, i: number) =>
    outcome(
      server.connect(
        { role: 'voter', participantId: `forwarded-${i}` },
        { extraHeaders: { 'x-forwarded-for': `198.51.100.${i}` } },
      ),
    )

  it('counts for nothing unless it comes from the configured proxy', async () => {
    // The proxy is another machine: this client's own header is not believed.
    const server = await start({ MAX_CONNECTIONS_PER_ADDRESS: '2', TRUST_PROXY: '10.0.0.5' })
    expect([await spoofed(server, 1), await spoofed(server, 2)]).toEqual(['connected', 'connected'])
    expect(await spoofed(server, 3)).toMatch(/websocket error|Too many connections/)
  })

  it('gives each client behind the configured proxy its own count', async () => {
    // This test is the proxy (loopback): the addresses it forwards are the clients'.
    const server = await start({ MAX_CONNECTIONS_PER_ADDRESS: '2', TRUST_PROXY: 'loopback' })
    expect(await Promise.all([1, 2, 3, 4].map((i) => spoofed(server, i)))).toEqual(Array(4).fill('connected'))
  })
})
