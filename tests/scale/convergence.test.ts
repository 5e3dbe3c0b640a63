// Every process agrees: three server processes on one Redis, phones and a presenter's deck on
// each, and every presenter action issued on one process in turn. After each action, what every
// process's API says, what every deck shows and what every phone shows are the same, and a
// process started afterwards reads the same from Redis. A reset races votes from the others.
import { describe, expect, it } from 'vitest'
import { orderQuestions } from '../../server/answers.ts'
import type { CardView, HeldCount, PollResults, PollView, SessionView, Tally } from '../../server/protocol.ts'
import { type Client, connect, synced } from '../harness/clients.ts'
import { type RunningProcess, startServerProcess } from '../harness/server-process.ts'
import { redisPerTest } from './cluster.ts'

const SECRET = 'convergence-presenter-secret'

const cluster = redisPerTest(SECRET)

/** Cards as a client has heard of them (a held card reaches the room as a status without text). */
function cardsView(client: Client) {
  const view = { cards: new Map<string, CardView>(), held: [] as HeldCount[], approve: false }
  client.on('sync', (state) => {
    view.cards = new Map(state.cards.map((card) => [card.id, card]))
    view.held = state.held
    view.approve = state.approveQuestions
  })
  client.on('cards', ({ cards, held }) => {
    for (const card of cards) view.cards.set(card.id, card)
    view.held = held
  })
  return {
    /** What the client lists: readable cards in the room's order, and the held counts. */
    read: () => ({
      cards: orderQuestions([...view.cards.values()].filter((card) => card.text !== '')),
      held: sortHeld(view.held),
      approve: view.approve,
    }),
  }
}

const sortHeld = (held: HeldCount[]) => [...held].sort((a, b) => String(a.pollId).localeCompare(String(b.pollId)))

/** JSON without the milliseconds left on countdowns: they differ by when each view was made. */
const steady = (value: unknown) => JSON.stringify(value, (key, inner) => (key === 'leftMs' ? undefined : inner))

/** What a deck shows, kept up to date from the events it receives. */
function deckView(client: Client) {
  const view = {
    session: null as SessionView | null,
    follow: false,
    polls: {} as Record<string, PollView>,
    tallies: {} as Record<string, Tally>,
  }
  client.on('sync', (state) => {
    view.session = state.session
    view.follow = state.followSlides
    view.polls = Object.fromEntries(state.polls.map((poll) => [poll.id, poll]))
    view.tallies = Object.fromEntries((state.tallies ?? []).map((tally) => [tally.pollId, tally]))
  })
  client.on('poll:state', (poll) => {
    view.polls[poll.id] = poll
  })
  client.on('tally', (tallies) => {
    for (const tally of tallies) view.tallies[tally.pollId] = tally
  })
  return view
}

/** What a phone shows: the polls and their states (a phone never sees tallies). */
function phoneView(client: Client) {
  const view = { session: null as SessionView | null, follow: false, polls: {} as Record<string, PollView> }
  client.on('sync', (state) => {
    view.session = state.session
    view.follow = state.followSlides
    view.polls = Object.fromEntries(state.polls.map((poll) => [poll.id, poll]))
  })
  client.on('poll:state', (poll) => {
    view.polls[poll.id] = poll
  })
  return view
}

interface Node {
  server: RunningProcess
  deck: Client
  deckSees: ReturnType<typeof deckView>
  deckCards: ReturnType<typeof cardsView>
  phones: { id: string; client: Client; sees: ReturnType<typeof phoneView>; cards: ReturnType<typeof cardsView> }[]
}

async function startNode(name: string, extra: Record<string, string> = {}): Promise<Node> {
  const server = await startServerProcess({ ...cluster.env(), ...extra })
  const deck = connect(server.url, { role: 'deck', secret: SECRET })
  const deckSees = deckView(deck)
  const deckCards = cardsView(deck)
  const phones = Array.from({ length: 4 }, (_, i) => {
    const id = `phone-${name}-${i}`
    const client = connect(server.url, { role: 'voter', participantId: id })
    return { id, client, sees: phoneView(client), cards: cardsView(client) }
  })
  await Promise.all([synced(deck), ...phones.map((phone) => synced(phone.client))])
  return { server, deck, deckSees, deckCards, phones }
}

/** Everything one process shows, in one comparable value. */
async function everyView(node: Node) {
  const api = (await (await fetch(`${node.server.url}/api/polls`)).json()) as {
    session: SessionView
    followSlides: boolean
    approveQuestions: boolean
    polls: PollResults[]
  }
  const cards = (await (await fetch(`${node.server.url}/api/cards`)).json()) as { cards: CardView[]; held: HeldCount[] }
  const room = { cards: orderQuestions(cards.cards), held: sortHeld(cards.held), approve: api.approveQuestions }
  const deck = {
    session: node.deckSees.session,
    follow: node.deckSees.follow,
    polls: api.polls.map((poll) => ({ ...node.deckSees.polls[poll.id], ...node.deckSees.tallies[poll.id] })),
  }
  const phones = node.phones.map(({ sees, cards: heard }) => ({
    session: sees.session,
    follow: sees.follow,
    polls: sees.polls,
    // The room's cards as this phone lists them, less its own held ones (only it sees those).
    cards: { ...heard.read(), cards: heard.read().cards.filter((card) => card.status === 'shown') },
  }))
  return { api, room, presenter: node.deckCards.read(), deck, phones }
}

/** Waits until every view of every node is the same; returns it. */
async function agreed(nodes: Node[], what: string) {
  const deadline = Date.now() + 10_000
  for (;;) {
    const views = await Promise.all(nodes.map(everyView))
    const first = views[0] as Awaited<ReturnType<typeof everyView>>
    // A deck shows what the API says (the API holds the poll's view and its tally as one object).
    const deckMatchesApi = (view: typeof first) =>
      steady(view.deck.polls.map(({ pollId: _, ...rest }) => rest)) === steady(view.api.polls) &&
      view.deck.session?.name === view.api.session.name &&
      view.deck.follow === view.api.followSlides
    const phonesMatchApi = (view: typeof first) =>
      view.phones.every(
        (phone) =>
          phone.session?.id === view.api.session.id &&
          view.api.polls.every((poll) => phone.polls[poll.id]?.state === poll.state) &&
          view.api.polls.every((poll) => phone.polls[poll.id]?.revealed === poll.revealed) &&
          phone.follow === view.api.followSlides &&
          steady(phone.cards) === steady(view.room),
      )
    const same = views.every(
      (view) =>
        steady(view.api) === steady(first.api) &&
        steady(view.room) === steady(first.room) &&
        steady(view.presenter) === steady(first.presenter) &&
        steady(view.deck) === steady(first.deck) &&
        steady(view.phones.map((p) => p.polls)) === steady(first.phones.map((p) => p.polls)) &&
        deckMatchesApi(view) &&
        phonesMatchApi(view),
    )
    if (same) return first
    if (Date.now() > deadline) {
      expect(views, `after ${what}, every process shows the same`).toEqual(views.map(() => first))
      throw new Error(`after ${what}: decks or phones differ from the API (${JSON.stringify(views)})`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe('three processes on one Redis', () => {
  it('show the same polls, tallies, sessions and modes after every presenter action', async () => {
    // Served as the kit's sample deck: its polls (a word cloud among them) beside the workshops'.
    const sample = { DECK: '_poll-kinds' }
    const nodes = await Promise.all(['a', 'b', 'c'].map((name) => startNode(name, sample)))
    const { polls } = (await (await fetch(`${nodes[0]?.server.url}/api/polls`)).json()) as { polls: PollResults[] }
    const quiz = polls.find((poll) => poll.kind === 'quiz') as PollResults
    const words = polls.find((poll) => poll.kind === 'words') as PollResults
    const single = polls.find((poll) => poll.kind === 'single') as PollResults
    expect(quiz && words && single).toBeTruthy()

    let turn = 0
    /** A presenter action, on the next process in turn. */
    const act = async (event: 'control' | 'session' | 'follow' | 'slide', payload: object) => {
      const node = nodes[turn++ % nodes.length] as Node
      const result = await node.deck.timeout(10_000).emitWithAck(event as 'control', payload as never)
      expect(result, `${event} ${JSON.stringify(payload)}`).toMatchObject({ ok: true })
      return agreed(nodes, `${event} ${JSON.stringify(payload)}`)
    }
    /** Every phone on every process answers (those refused while a poll closes are fine). */
    const everyoneVotes = (pollId: string, answer: (i: number) => unknown) =>
      Promise.all(
        nodes
          .flatMap((node) => node.phones)
          .map(({ client }, i) =>
            client
              .timeout(10_000)
              .emitWithAck('vote', { pollId, answer: answer(i) as string, voteId: `v-${Date.now()}-${i}` }),
          ),
      )

    await agreed(nodes, 'start-up')
    await act('control', { pollId: quiz.id, action: 'open' })
    await everyoneVotes(quiz.id, (i) => quiz.options[i % quiz.options.length]?.id)
    let seen = await agreed(nodes, 'the quiz answers')
    expect(seen.api.polls.find((poll) => poll.id === quiz.id)?.total).toBe(12)
    await act('control', { pollId: quiz.id, action: 'reveal' })
    seen = await act('control', { pollId: quiz.id, action: 'reset' })
    // The reset after a reveal hides the answer again everywhere, and every answer is gone.
    const afterReset = seen.api.polls.find((poll) => poll.id === quiz.id)
    expect(afterReset).toMatchObject({ revealed: false, total: 0 })
    expect(afterReset?.correct).toBeUndefined()
    expect(seen.phones.every((phone) => phone.polls[quiz.id]?.correct === undefined)).toBe(true)
    await act('control', { pollId: quiz.id, action: 'close' })

    await act('control', { pollId: words.id, action: 'open' })
    await everyoneVotes(words.id, (i) => (i % 3 === 0 ? 'clarity' : i % 3 === 1 ? 'trust' : 'rude word'))
    await agreed(nodes, 'the words')
    seen = await act('control', { pollId: words.id, action: 'hide', word: 'rude word' })
    expect(Object.keys(seen.api.polls.find((poll) => poll.id === words.id)?.counts ?? {}).sort()).toEqual([
      'clarity',
      'trust',
    ])

    // Follow mode: the slide shown in the presenter's window opens its poll, on every process.
    seen = await act('follow', { on: true })
    expect(seen.deck.follow).toBe(true)
    seen = await act('slide', { pollId: single.id })
    expect(seen.api.polls.filter((poll) => poll.state === 'open').map((poll) => poll.id)).toEqual([single.id])
    seen = await act('follow', { on: false })
    expect(seen.deck.follow).toBe(false)

    // A reset racing votes: the phones on b and c keep voting while a resets.
    const racing = everyoneVotes(single.id, (i) => single.options[i % single.options.length]?.id)
    await act('control', { pollId: single.id, action: 'reset' })
    await racing
    const raced = await agreed(nodes, 'a reset racing votes')

    seen = await act('session', { action: 'rename', name: 'Berlin, March cohort' })
    expect(seen.api.session.name).toBe('Berlin, March cohort')
    seen = await act('session', { action: 'start', name: 'Afternoon group' })
    expect(seen.api.session.name).toBe('Afternoon group')
    expect(seen.api.polls.every((poll) => poll.total === 0 && poll.state === 'closed')).toBe(true)

    // A process started now reads the same from Redis, for this session and the earlier one.
    const late = await startNode('late', sample)
    await agreed([...nodes, late], 'a late start')
    const earlier = raced.api.session.id
    const history = async (node: Node) =>
      (
        await fetch(`${node.server.url}/api/sessions/${earlier}/results.json`, {
          headers: { Authorization: `Bearer ${SECRET}` },
        })
      ).json()
    const fromLate = await history(late)
    expect(fromLate).toEqual(await history(nodes[0] as Node))
    expect(
      (fromLate as { polls: { id: string; total: number }[] }).polls.find((poll) => poll.id === single.id)?.total,
    ).toBe(raced.api.polls.find((poll) => poll.id === single.id)?.total)
  }, 180_000)

  it('show the same questions, upvotes, open answers, moderation and countdowns after every action', async () => {
    const voice = { TEST_POLLS: 'voice' }
    const nodes = await Promise.all(['a', 'b', 'c'].map((name) => startNode(name, voice)))
    const phones = nodes.flatMap((node) => node.phones)
    let turn = 0
    const act = async (event: 'control' | 'moderate' | 'approval', payload: object) => {
      const node = nodes[turn++ % nodes.length] as Node
      const result = await node.deck.timeout(10_000).emitWithAck(event as 'control', payload as never)
      expect(result, `${event} ${JSON.stringify(payload)}`).toMatchObject({ ok: true })
      return agreed(nodes, `${event} ${JSON.stringify(payload)}`)
    }
    await agreed(nodes, 'start-up')

    // Every phone asks one question on its own process; each then upvotes the questions of the
    // phones before it (taking one back), all at once, across the three processes.
    const asked = await Promise.all(
      phones.map(({ client }, i) =>
        client.timeout(10_000).emitWithAck('post', { text: `Question ${i}?`, postId: `ask-0${i}` }),
      ),
    )
    const ids = asked.map((result) => (result.ok ? result.card.id : ''))
    expect(asked.filter((result) => !result.ok)).toEqual([])
    await Promise.all(
      phones.flatMap(({ client }, i) =>
        ids.slice(0, i).map((cardId) => client.timeout(10_000).emitWithAck('upvote', { cardId, on: true })),
      ),
    )
    await Promise.all(
      phones
        .slice(1)
        .map(({ client }) => client.timeout(10_000).emitWithAck('upvote', { cardId: ids[0] as string, on: false })),
    )
    let seen = await agreed(nodes, 'questions and upvotes')
    // Question i got one upvote from each later phone; the first question lost all but none.
    expect(seen.room.cards.map((card) => [card.text, card.upvotes])).toEqual(
      ids
        .map((_, i) => [`Question ${i}?`, i === 0 ? 0 : phones.length - 1 - i])
        .sort((a, b) => (b[1] as number) - (a[1] as number)),
    )

    seen = await act('moderate', { cardId: ids[1], action: 'hide' })
    expect(seen.room.held).toEqual([{ pollId: null, hidden: 1, waiting: 0 }])
    expect(seen.presenter.cards).toHaveLength(phones.length)
    await act('moderate', { cardId: ids[2], action: 'pin' })
    seen = await act('moderate', { cardId: ids[3], action: 'answered' })
    expect(seen.room.cards[0]?.id).toBe(ids[2])
    expect(seen.room.cards.at(-1)?.id).toBe(ids[3])
    await act('approval', { on: true })
    const waiting = await phones[5]?.client.timeout(10_000).emitWithAck('post', { text: 'Held?', postId: 'held-1' })
    expect(waiting).toMatchObject({ ok: true, card: { status: 'waiting' } })
    seen = await agreed(nodes, 'a held question')
    expect(seen.room.held).toContainEqual({ pollId: null, hidden: 1, waiting: 1 })
    await act('moderate', { cardId: waiting?.ok ? waiting.card.id : '', action: 'show' })
    await act('approval', { on: false })

    // Open answers: posted on every process, liked across them, one hidden, then a reset.
    await act('control', { pollId: 'one-line', action: 'open' })
    const answers = await Promise.all(
      phones.map(({ client }, i) =>
        client.timeout(10_000).emitWithAck('post', { pollId: 'one-line', text: `Moment ${i}`, postId: `line-0${i}` }),
      ),
    )
    await Promise.all(
      phones.map(({ client }, i) =>
        client.timeout(10_000).emitWithAck('upvote', {
          cardId: (answers[(i + 1) % answers.length] as { card: CardView }).card.id,
          on: true,
        }),
      ),
    )
    seen = await agreed(nodes, 'open answers and likes')
    expect(seen.api.polls.find((poll) => poll.id === 'one-line')?.total).toBe(phones.length)
    await act('moderate', { cardId: (answers[0] as { card: CardView }).card.id, action: 'hide' })
    seen = await act('control', { pollId: 'one-line', action: 'reset' })
    expect(seen.room.cards.filter((card) => card.pollId === 'one-line')).toEqual([])

    // A countdown: opened, paused, extended, resumed and turned off, each on another process;
    // every process reads the same time left, give or take the moment each view was made.
    const leftOn = async () =>
      Promise.all(
        nodes.map(async (node) => {
          const polls = ((await (await fetch(`${node.server.url}/api/polls`)).json()) as { polls: PollResults[] }).polls
          return polls.find((poll) => poll.id === 'long')?.countdown
        }),
      )
    for (const action of ['open', 'pause', 'extend', 'resume', 'timer-off']) {
      await act('control', { pollId: 'long', action })
      const left = await leftOn()
      if (action === 'timer-off') expect(left).toEqual([null, null, null])
      else {
        const ms = left.map((countdown) => countdown?.leftMs ?? -1)
        expect(Math.max(...ms) - Math.min(...ms), `${action}: ${ms}`).toBeLessThan(2000)
        expect(left.every((countdown) => countdown?.running === (action === 'open' || action === 'resume'))).toBe(true)
      }
    }
    await act('control', { pollId: 'long', action: 'close' })

    // A process started now reads the same questions and votes from Redis.
    const late = await startNode('late', voice)
    await agreed([...nodes, late], 'a late start')
  }, 180_000)
})
