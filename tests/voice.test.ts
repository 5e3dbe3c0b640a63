// The room's own voice over real sockets: questions with upvotes and moderation, open answers,
// timed polls, ranking and the 2×2; their exports and takeaway. Real server, real SQLite.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { placedItems, roomOrder } from '../server/answers.ts'
import { LIMITS } from '../server/limits.ts'
import { ModerateSchema, PostSchema, parse, UpvoteSchema } from '../server/protocol.ts'
import { type Client, closeClients, nextEvent, voteId } from './harness/clients.ts'
import { SECRET, startTestServer, VOICE_POLLS } from './harness/kit.ts'
import { tempDir, until } from './harness/system.ts'

type Server = Awaited<ReturnType<typeof startTestServer>>
let dir: ReturnType<typeof tempDir>
let server: Server
let deck: Client
let posts = 0

async function start(): Promise<void> {
  server = await startTestServer({ dataDir: dir.path, polls: VOICE_POLLS })
  deck = server.connect({ role: 'deck', secret: SECRET })
  await nextEvent(deck, 'sync')
}

beforeEach(async () => {
  dir = tempDir()
  await start()
})
afterEach(async () => {
  closeClients()
  await server.close()
  dir.remove()
})

async function phone(name: string): Promise<Client> {
  const socket = server.connect({ role: 'voter', participantId: `participant-${name}` })
  await nextEvent(socket, 'sync')
  return socket
}
const ask = (socket: Client, text: string, extra: { pollId?: string; name?: string; postId?: string } = {}) =>
  socket.emitWithAck('post', { text, postId: `post-${++posts}`, ...extra })
const control = (pollId: string, action: string) =>
  deck.emitWithAck('control', { pollId, action } as Parameters<typeof deck.emitWithAck<'control'>>[1])
const vote = (socket: Client, pollId: string, answer: string | string[]) =>
  socket.emitWithAck('vote', { pollId, answer, voteId: voteId() })

describe('the protocol for the room’s voice', () => {
  it('accepts well-formed posts, upvotes and moderation, and refuses the rest with a reason', () => {
    expect(parse(PostSchema, { text: 'Why?', postId: 'abcdef' }).ok).toBe(true)
    expect(parse(PostSchema, { text: 'Why?', name: 'Ana', pollId: 'one-line', postId: 'abcdef' }).ok).toBe(true)
    for (const bad of [
      {},
      { text: 'Why?' },
      { text: 'Why?', postId: 'x' },
      { text: 42, postId: 'abcdef' },
      { text: 'x'.repeat(LIMITS.cardLength * 2 + 1), postId: 'abcdef' },
      { text: 'Why?', postId: 'abcdef', pollId: 'Not An Id' },
      { text: 'Why?', postId: 'abcdef', extra: true },
    ]) {
      expect(parse(PostSchema, bad)).toMatchObject({ ok: false, error: expect.stringMatching(/^Invalid message/) })
    }
    expect(parse(UpvoteSchema, { cardId: 'abcdef12', on: true }).ok).toBe(true)
    expect(parse(UpvoteSchema, { cardId: 'abcdef12', on: 'yes' }).ok).toBe(false)
    expect(parse(UpvoteSchema, { cardId: '../../etc', on: true }).ok).toBe(false)
    expect(parse(ModerateSchema, { cardId: 'abcdef12', action: 'pin' }).ok).toBe(true)
    expect(parse(ModerateSchema, { cardId: 'abcdef12', action: 'delete' }).ok).toBe(false)
  })
})

describe('questions from the room', () => {
  it('stores a question before acknowledging it, once per post id, as text', async () => {
    const a = await phone('a')
    const sent = await a.emitWithAck('post', { text: '  <b>Who</b>   decides? ', name: 'Ana', postId: 'retry-me' })
    expect(sent).toMatchObject({ ok: true, card: { text: '<b>Who</b> decides?', name: 'Ana', status: 'shown' } })
    // The retry of the same post (a reconnect) is the same card, stored once.
    const again = await a.emitWithAck('post', { text: '<b>Who</b> decides?', name: 'Ana', postId: 'retry-me' })
    expect(again).toEqual(sent)
    expect((await server.store.loadSession(server.engine.session.id)).cards).toHaveLength(1)
  })

  it('refuses empty, over-long and control-character questions, and floods, each with a reason', async () => {
    const a = await phone('a')
    expect(await ask(a, '   ')).toEqual({ ok: false, error: 'Write your question first.' })
    expect(await ask(a, 'x'.repeat(LIMITS.cardLength + 1))).toEqual({
      ok: false,
      error: `Keep it under ${LIMITS.cardLength} characters.`,
    })
    expect(await ask(a, 'Why\u0007?')).toEqual({ ok: false, error: 'Use letters, digits and punctuation only.' })
    expect(await ask(a, 'Why?', { name: 'n'.repeat(LIMITS.nameLength + 1) })).toMatchObject({ ok: false })
    for (let i = 0; i < LIMITS.postsPerWindow; i++) expect(await ask(a, `Question ${i}?`)).toMatchObject({ ok: true })
    expect(await ask(a, 'One more?')).toEqual({
      ok: false,
      error: 'Easy there: a few questions a minute. Try again shortly.',
    })
    // Another phone is not slowed down by the first one.
    expect(await ask(await phone('b'), 'Mine?')).toMatchObject({ ok: true })
  })

  it('counts one upvote per participant, takes it back, and every phone sees the new order', async () => {
    const [a, b, c] = [await phone('a'), await phone('b'), await phone('c')]
    const first = await ask(a, 'First question?')
    const second = await ask(b, 'Second question?')
    if (!first.ok || !second.ok) throw new Error('posting failed')
    const id = second.card.id
    expect(await c.emitWithAck('upvote', { cardId: id, on: true })).toEqual({ ok: true, upvotes: 1 })
    expect(await c.emitWithAck('upvote', { cardId: id, on: true })).toEqual({ ok: true, upvotes: 1 })
    expect(await a.emitWithAck('upvote', { cardId: id, on: true })).toEqual({ ok: true, upvotes: 2 })
    expect(await a.emitWithAck('upvote', { cardId: id, on: false })).toEqual({ ok: true, upvotes: 1 })
    expect(await a.emitWithAck('upvote', { cardId: 'no-such-card', on: true })).toEqual({
      ok: false,
      error: 'That question or answer is not on the wall.',
    })
    // The phones hear the change (coalesced) and a reconnecting phone is told what it upvoted.
    await nextEvent(b, 'cards', ({ cards }) => cards.some((card) => card.id === id && card.upvotes === 1))
    const again = server.connect({ role: 'voter', participantId: 'participant-c' })
    const state = await nextEvent(again, 'sync')
    expect(state.myUpvotes).toEqual([id])
    // In the room's order: the upvoted question first.
    expect(state.cards.map((card) => card.text)).toEqual(['Second question?', 'First question?'])
  })

  it('lets only the presenter hide, pin and mark answered; the room sees a hidden question only as a count', async () => {
    const a = await phone('a')
    const room = await phone('room')
    const posted = await ask(a, 'Is this rude?')
    if (!posted.ok) throw new Error('posting failed')
    const { id } = posted.card
    expect(await a.emitWithAck('moderate', { cardId: id, action: 'hide' })).toEqual({
      ok: false,
      error: 'Only the presenter can do that.',
    })
    expect(await a.emitWithAck('approval', { on: true })).toMatchObject({ ok: false })
    const heard = nextEvent(room, 'cards', ({ held }) => held.some((count) => count.hidden === 1))
    expect(await deck.emitWithAck('moderate', { cardId: id, action: 'hide' })).toEqual({ ok: true })
    const update = await heard
    // The room hears a count; the card itself, if it had reached the room, only without its text.
    expect(JSON.stringify(update)).not.toContain('rude')
    expect(update.held).toEqual([{ pollId: null, hidden: 1, waiting: 0 }])
    // A new phone reads no text of it; the presenter reads all of it.
    const b = server.connect({ role: 'voter', participantId: 'participant-b' })
    expect((await nextEvent(b, 'sync')).cards).toEqual([])
    expect(JSON.stringify(await (await fetch(`${server.url}/api/cards`)).json())).not.toContain('rude')
    expect(await deck.emitWithAck('moderate', { cardId: id, action: 'show' })).toEqual({ ok: true })
    expect(await deck.emitWithAck('moderate', { cardId: id, action: 'pin' })).toEqual({ ok: true })
    expect(await deck.emitWithAck('moderate', { cardId: id, action: 'answered' })).toEqual({ ok: true })
    expect(server.engine.card(id, 'room')).toMatchObject({ text: 'Is this rude?', pinned: true, answered: true })
  })

  it('holds new questions in approve-first mode: the author sees theirs waiting, the room a count', async () => {
    const [a, b] = [await phone('a'), await phone('b')]
    expect(await deck.emitWithAck('approval', { on: true })).toEqual({ ok: true })
    const posted = await ask(a, 'Waiting one?')
    expect(posted).toMatchObject({ ok: true, card: { status: 'waiting', text: 'Waiting one?' } })
    if (!posted.ok) throw new Error('posting failed')
    await nextEvent(b, 'cards', ({ held }) => held.some((count) => count.waiting === 1))
    expect(await b.emitWithAck('upvote', { cardId: posted.card.id, on: true })).toMatchObject({ ok: false })
    const author = server.connect({ role: 'voter', participantId: 'participant-a' })
    const mine = await nextEvent(author, 'sync')
    expect(mine.cards.map((card) => [card.text, card.status])).toEqual([['Waiting one?', 'waiting']])
    expect(mine.approveQuestions).toBe(true)
    const other = server.connect({ role: 'voter', participantId: 'participant-d' })
    expect((await nextEvent(other, 'sync')).cards).toEqual([])
    const approved = nextEvent(b, 'cards', ({ cards }) => cards.some((card) => card.text === 'Waiting one?'))
    expect(await deck.emitWithAck('moderate', { cardId: posted.card.id, action: 'show' })).toEqual({ ok: true })
    await approved
  })
})

describe('open answers', () => {
  it('takes up to the poll’s count per person while open, likes once per person, and resets', async () => {
    const [a, b] = [await phone('a'), await phone('b')]
    expect(await ask(a, 'Too early', { pollId: 'one-line' })).toEqual({ ok: false, error: 'This poll is closed.' })
    await control('one-line', 'open')
    const posted = await ask(a, '=HYPERLINK("x") on Monday', { pollId: 'one-line' })
    expect(posted).toMatchObject({ ok: true, card: { pollId: 'one-line', status: 'shown' } })
    expect(await ask(a, 'A second one', { pollId: 'one-line' })).toEqual({
      ok: false,
      error: 'You have answered already.',
    })
    expect(await ask(a, 'Not a text poll', { pollId: 'hardest' })).toMatchObject({ ok: false })
    expect(await vote(a, 'one-line', 'Voted instead')).toEqual({
      ok: false,
      error: 'Open answers are posted, not voted.',
    })
    if (!posted.ok) throw new Error('posting failed')
    expect(await b.emitWithAck('upvote', { cardId: posted.card.id, on: true })).toEqual({ ok: true, upvotes: 1 })
    expect(server.engine.tally('one-line')).toMatchObject({ total: 1 })
    expect(await deck.emitWithAck('moderate', { cardId: posted.card.id, action: 'hide' })).toEqual({ ok: true })
    expect(server.engine.tally('one-line')).toMatchObject({ total: 0 })
    // A reset clears the wall (and lets everyone answer again).
    await control('one-line', 'reset')
    expect(server.engine.cards('presenter')).toEqual([])
    expect(await ask(a, 'Again', { pollId: 'one-line' })).toMatchObject({ ok: true })
  })
})

describe('timed polls', () => {
  it('counts down from opening, pauses, extends, turns off, and refuses controls that do not apply', async () => {
    await control('long', 'open')
    const running = server.engine.view('long')?.countdown
    expect(running?.running).toBe(true)
    expect(running?.leftMs).toBeGreaterThan(590_000)
    expect(running?.leftMs).toBeLessThanOrEqual(600_000)
    expect(await control('long', 'resume')).toEqual({ ok: false, error: 'The countdown is already running.' })
    expect(await control('long', 'pause')).toEqual({ ok: true })
    const paused = server.engine.view('long')?.countdown
    expect(paused?.running).toBe(false)
    expect(await control('long', 'extend')).toEqual({ ok: true })
    expect(server.engine.view('long')?.countdown?.leftMs).toBe((paused?.leftMs ?? 0) + LIMITS.timerExtendSeconds * 1000)
    expect(await control('long', 'resume')).toEqual({ ok: true })
    expect(await control('long', 'timer-off')).toEqual({ ok: true })
    expect(server.engine.view('long')).toMatchObject({ state: 'open', countdown: null })
    expect(await control('long', 'extend')).toEqual({ ok: false, error: 'This poll has no countdown running.' })
    expect(await control('hardest', 'pause')).toEqual({ ok: false, error: 'The poll is not open.' })
  })

  it('closes by itself at zero, tells phones and decks, and refuses later answers', async () => {
    const a = await phone('a')
    const opened = nextEvent(a, 'poll:state', (poll) => poll.id === 'quick' && poll.state === 'open')
    await control('quick', 'open')
    expect((await opened).countdown?.running).toBe(true)
    expect(await vote(a, 'quick', 'leader')).toMatchObject({ ok: true })
    const closed = (poll: { id: string; state: string }) => poll.id === 'quick' && poll.state === 'closed'
    await Promise.all([nextEvent(a, 'poll:state', closed, 10_000), nextEvent(deck, 'poll:state', closed, 10_000)])
    expect(await vote(a, 'quick', 'manager')).toEqual({ ok: false, error: 'This poll is closed.' })
    expect(server.engine.view('quick')).toMatchObject({ state: 'closed', countdown: null })
    // Opening it again starts a new countdown.
    await control('quick', 'open')
    expect(server.engine.view('quick')?.countdown?.running).toBe(true)
  })

  it('does not reopen a timed poll that ran out when a reconnecting deck reports the same slide', async () => {
    expect(await deck.emitWithAck('follow', { on: true })).toEqual({ ok: true })
    expect(await deck.emitWithAck('slide', { pollId: 'quick' })).toEqual({ ok: true })
    expect(server.engine.view('quick')?.countdown?.running).toBe(true)
    await until(() => server.engine.view('quick')?.state === 'closed', 10_000, 'the quick poll closing')
    // The deck reconnects (a network blip, a restart) and says which slide it shows, again.
    expect(await deck.emitWithAck('slide', { pollId: 'quick' })).toEqual({ ok: true })
    expect(server.engine.view('quick')?.state).toBe('closed')
    // Moving on and coming back opens it for a new round.
    expect(await deck.emitWithAck('slide', { pollId: 'hardest' })).toEqual({ ok: true })
    expect(await deck.emitWithAck('slide', { pollId: 'quick' })).toEqual({ ok: true })
    expect(server.engine.view('quick')).toMatchObject({ state: 'open', countdown: { running: true } })
  })

  it('keeps counting down across a restart of the server: it is state, not a browser timer', async () => {
    await control('long', 'open')
    await control('long', 'pause')
    const left = server.engine.view('long')?.countdown?.leftMs
    await control('quick', 'open')
    await server.close()
    await start()
    expect(server.engine.view('long')).toMatchObject({ state: 'open', countdown: { leftMs: left, running: false } })
    // The quick one ran out while the server was down, or runs out now.
    await until(() => server.engine.view('quick')?.state === 'closed', 10_000, 'the quick poll closing')
  })
})

describe('ranking and the 2×2', () => {
  it('counts each option’s place, gives the room’s order by Borda points, and refuses incomplete orders', async () => {
    await control('hardest', 'open')
    const [a, b] = [await phone('a'), await phone('b')]
    expect(await vote(a, 'hardest', ['feedback', 'vision', 'planning'])).toMatchObject({ ok: true })
    expect(await vote(b, 'hardest', ['feedback', 'planning', 'vision'])).toMatchObject({ ok: true })
    for (const bad of [
      ['feedback', 'vision'],
      ['feedback', 'feedback', 'vision'],
      ['feedback', 'vision', 'nope'],
    ]) {
      expect(await vote(a, 'hardest', bad)).toEqual({ ok: false, error: 'Put every option in order, each once.' })
    }
    const tally = server.engine.tally('hardest')
    expect(tally?.total).toBe(2)
    const order = roomOrder(VOICE_POLLS[2]?.options ?? [], tally?.counts ?? {})
    expect(order.map((option) => [option.id, option.points, option.averagePlace, option.byPlace])).toEqual([
      ['feedback', 4, 1, [2, 0, 0]],
      ['vision', 1, 2.5, [0, 1, 1]],
      ['planning', 1, 2.5, [0, 1, 1]],
    ])
  })

  it('places each item on both scales, gives the scatter and the average, and refuses points off the grid', async () => {
    await control('week-map', 'open')
    const [a, b] = [await phone('a'), await phone('b')]
    expect(await vote(a, 'week-map', ['the-roadmap@8,2', 'a-1-1@1,9'])).toMatchObject({ ok: true })
    expect(await vote(b, 'week-map', ['the-roadmap@6,4', 'a-1-1@1,9'])).toMatchObject({ ok: true })
    for (const bad of [
      ['the-roadmap@8,2'],
      ['the-roadmap@11,2', 'a-1-1@1,9'],
      ['the-roadmap@8,2', 'the-roadmap@1,1'],
    ]) {
      expect(await vote(a, 'week-map', bad)).toMatchObject({ ok: false })
    }
    const items = placedItems(VOICE_POLLS[3]?.options ?? [], server.engine.tally('week-map')?.counts ?? {})
    expect(items.map((item) => [item.id, item.people, item.average])).toEqual([
      ['the-roadmap', 2, { x: 7, y: 3 }],
      ['a-1-1', 2, { x: 1, y: 9 }],
    ])
    expect(items[1]?.points).toEqual([{ x: 1, y: 9, count: 2 }])
  })
})

describe('what the room reads of a long list', () => {
  it('gets the top of the wall; a question pushed off it arrives without text, and phones drop it', async () => {
    const askers = await Promise.all(Array.from({ length: 14 }, (_, i) => phone(`asker-${i}`)))
    const posted: string[] = []
    for (const [i, asker] of askers.entries()) {
      for (let k = 0; k < 3 && posted.length < LIMITS.roomCards + 1; k++) {
        const result = await ask(asker, `Question ${i}-${k}?`)
        if (result.ok) posted.push(result.card.id)
      }
    }
    expect(posted).toHaveLength(LIMITS.roomCards + 1)
    const reader = server.connect({ role: 'voter', participantId: 'participant-reader' })
    const first = await nextEvent(reader, 'sync')
    // The room's top 40: the oldest first while no question has a vote; the newest is not in it.
    expect(first.cards.map((card) => card.id)).toEqual(posted.slice(0, LIMITS.roomCards))
    const newest = posted.at(-1) as string
    const dropped = posted[LIMITS.roomCards - 1] as string
    const heard = nextEvent(reader, 'cards', ({ cards }) => cards.some((card) => card.id === dropped))
    expect(await reader.emitWithAck('upvote', { cardId: newest, on: true })).toEqual({ ok: true, upvotes: 1 })
    const update = await heard
    expect(update.cards.find((card) => card.id === newest)?.text).toBe('Question 13-1?')
    expect(update.cards.find((card) => card.id === dropped)).toMatchObject({ text: '', status: 'shown' })
    const api = (await (await fetch(`${server.url}/api/cards`)).json()) as { cards: { id: string }[] }
    expect(api.cards).toHaveLength(LIMITS.roomCards)
    expect(api.cards[0]?.id).toBe(newest)
  })
})

describe('exports and the takeaway', () => {
  it('exports questions and open answers with their votes and state, hidden ones marked, formulas defused', async () => {
    const [a, b] = [await phone('a'), await phone('b')]
    const shown = await ask(a, '=cmd|calc: who decides?', { name: 'Ana' })
    const hidden = await ask(b, 'Something rude')
    if (!shown.ok || !hidden.ok) throw new Error('posting failed')
    await b.emitWithAck('upvote', { cardId: shown.card.id, on: true })
    await deck.emitWithAck('moderate', { cardId: hidden.card.id, action: 'hide' })
    await deck.emitWithAck('moderate', { cardId: shown.card.id, action: 'answered' })
    await control('one-line', 'open')
    await ask(b, 'Monday’s stand-up', { pollId: 'one-line' })
    const auth = { Authorization: `Bearer ${SECRET}` }
    const json = await (await fetch(`${server.url}/api/sessions/current/results.json`, { headers: auth })).json()
    // In the room's order: open questions first, answered ones last.
    expect(json.questions.map((card: { text: string; status: string }) => [card.text, card.status])).toEqual([
      ['Something rude', 'hidden'],
      ['=cmd|calc: who decides?', 'shown'],
    ])
    const csv = await (await fetch(`${server.url}/api/sessions/current/results.csv`, { headers: auth })).text()
    const lines = csv.trimEnd().split('\r\n')
    expect(lines).toContain(
      `1,First session,questions,question,Questions from the room,${shown.card.id},'=cmd|calc: who decides?,1,2,,,shown answered,Ana`,
    )
    expect(lines.some((line) => line.includes('one-line,text') && line.includes('Monday’s stand-up'))).toBe(true)
  })

  it('exports only what the room may read when results are public (RESULTS_PUBLIC)', async () => {
    await server.close()
    server = await startTestServer({ dataDir: dir.path, polls: VOICE_POLLS, resultsPublic: true })
    deck = server.connect({ role: 'deck', secret: SECRET })
    await nextEvent(deck, 'sync')
    const a = await phone('a')
    const rude = await ask(a, 'Something rude', { name: 'Ana' })
    await ask(a, 'A fair question?')
    if (!rude.ok) throw new Error('posting failed')
    await deck.emitWithAck('moderate', { cardId: rude.card.id, action: 'hide' })
    const open = await (await fetch(`${server.url}/api/sessions/current/results.json`)).text()
    expect(open).toContain('A fair question?')
    expect(open).not.toContain('rude')
    expect(open).not.toContain('Ana')
    const auth = { Authorization: `Bearer ${SECRET}` }
    expect(await (await fetch(`${server.url}/api/sessions/current/results.json`, { headers: auth })).text()).toContain(
      'Something rude',
    )
  })

  it('gives each phone the room’s shown cards and its own, never hidden ones', async () => {
    const [a, b] = [await phone('a'), await phone('b')]
    const mine = await ask(a, 'Mine?')
    const rude = await ask(b, 'Rude?')
    if (!mine.ok || !rude.ok) throw new Error('posting failed')
    await deck.emitWithAck('moderate', { cardId: rude.card.id, action: 'hide' })
    const takeaway = await a.emitWithAck('takeaway')
    if (!takeaway.ok) throw new Error(takeaway.error)
    expect(takeaway.cards.map((card) => card.text)).toEqual(['Mine?'])
    expect(takeaway.myCards).toEqual([mine.card.id])
  })
})
