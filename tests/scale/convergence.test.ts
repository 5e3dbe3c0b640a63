// Every process agrees: three server processes on one Redis, phones and a presenter's deck on
// each, and every presenter action issued on one process in turn. After each action, what every
// process's API says, what every deck shows and what every phone shows are the same, and a
// process started afterwards reads the same from Redis. A reset races votes from the others.
import { describe, expect, it } from 'vitest'
import type { PollResults, PollView, SessionView, Tally } from '../../server/protocol.ts'
import { type Client, connect, synced } from '../harness/clients.ts'
import { type RunningProcess, startServerProcess } from '../harness/server-process.ts'
import { redisPerTest } from './cluster.ts'

const SECRET = 'convergence-presenter-secret'

const cluster = redisPerTest(SECRET)

const serverEnv = cluster.env

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
  phones: { id: string; client: Client; sees: ReturnType<typeof phoneView> }[]
}

async function startNode(name: string): Promise<Node> {
  const server = await startServerProcess(serverEnv())
  const deck = connect(server.url, { role: 'deck', secret: SECRET })
  const deckSees = deckView(deck)
  const phones = Array.from({ length: 4 }, (_, i) => {
    const id = `phone-${name}-${i}`
    const client = connect(server.url, { role: 'voter', participantId: id })
    return { id, client, sees: phoneView(client) }
  })
  await Promise.all([synced(deck), ...phones.map((phone) => synced(phone.client))])
  return { server, deck, deckSees, phones }
}

/** Everything one process shows, in one comparable value. */
async function everyView(node: Node) {
  const api = (await (await fetch(`${node.server.url}/api/polls`)).json()) as {
    session: SessionView
    followSlides: boolean
    polls: PollResults[]
  }
  const deck = {
    session: node.deckSees.session,
    follow: node.deckSees.follow,
    polls: api.polls.map((poll) => ({ ...node.deckSees.polls[poll.id], ...node.deckSees.tallies[poll.id] })),
  }
  const phones = node.phones.map(({ sees }) => ({ session: sees.session, follow: sees.follow, polls: sees.polls }))
  return { api, deck, phones }
}

/** Waits until every view of every node is the same; returns it. */
async function agreed(nodes: Node[], what: string) {
  const deadline = Date.now() + 10_000
  for (;;) {
    const views = await Promise.all(nodes.map(everyView))
    const first = views[0] as Awaited<ReturnType<typeof everyView>>
    // A deck shows what the API says (the API holds the poll's view and its tally as one object).
    const deckMatchesApi = (view: typeof first) =>
      JSON.stringify(view.deck.polls.map(({ pollId: _, ...rest }) => rest)) === JSON.stringify(view.api.polls) &&
      view.deck.session?.name === view.api.session.name &&
      view.deck.follow === view.api.followSlides
    const phonesMatchApi = (view: typeof first) =>
      view.phones.every(
        (phone) =>
          phone.session?.id === view.api.session.id &&
          view.api.polls.every((poll) => phone.polls[poll.id]?.state === poll.state) &&
          view.api.polls.every((poll) => phone.polls[poll.id]?.revealed === poll.revealed) &&
          phone.follow === view.api.followSlides,
      )
    const same = views.every(
      (view) =>
        JSON.stringify(view.api) === JSON.stringify(first.api) &&
        JSON.stringify(view.deck) === JSON.stringify(first.deck) &&
        JSON.stringify(view.phones.map((p) => p.polls)) === JSON.stringify(first.phones.map((p) => p.polls)) &&
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
    const nodes = await Promise.all(['a', 'b', 'c'].map(startNode))
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
    const late = await startNode('late')
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
})
