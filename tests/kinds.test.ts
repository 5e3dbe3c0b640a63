// Every poll kind and presenter control over real sockets, plus sessions and results exports.
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ROOT } from '../server/settings.ts'
import { type Client, nextEvent, voteId } from './harness/clients.ts'
import { KIND_POLLS, SECRET, startTestServer } from './harness/kit.ts'
import { tempDir } from './harness/system.ts'

const POLLS = KIND_POLLS

type Server = Awaited<ReturnType<typeof startTestServer>>
let dir: ReturnType<typeof tempDir>
let server: Server
let deck: Client

beforeEach(async () => {
  dir = tempDir()
  server = await startTestServer({ dataDir: dir.path, polls: POLLS })
  deck = server.connect({ role: 'deck', secret: SECRET })
  await nextEvent(deck, 'sync')
  for (const poll of POLLS)
    expect(await deck.emitWithAck('control', { pollId: poll.id, action: 'open' })).toEqual({
      ok: true,
    })
})
afterEach(async () => {
  await server.close()
  dir.remove()
})

async function phone(name: string): Promise<Client> {
  const socket = server.connect({ role: 'voter', participantId: `participant-${name}` })
  await nextEvent(socket, 'sync')
  return socket
}
const vote = (socket: Client, pollId: string, answer: string | number | string[]) =>
  socket.emitWithAck('vote', { pollId, answer, voteId: voteId() })

describe('multiple choice', () => {
  it('counts each pick and refuses more than the limit', async () => {
    const a = await phone('a')
    expect(await vote(a, 'seen', ['confusion', 'burnout'])).toEqual({
      ok: true,
      answer: ['confusion', 'burnout'],
    })
    expect(await vote(a, 'seen', ['confusion', 'burnout', 'misalignment'])).toEqual({
      ok: false,
      error: 'Pick at most 2.',
    })
    expect(await vote(a, 'seen', ['juggling'])).toMatchObject({ ok: false })
    expect(server.engine.tally('seen')).toEqual({
      pollId: 'seen',
      counts: { confusion: 1, misalignment: 0, burnout: 1 },
      total: 1,
    })
  })
})

describe('scale', () => {
  it('shows the distribution and the mean, and refuses values off the scale', async () => {
    for (const [name, value] of [
      ['a', 2],
      ['b', 8],
      ['c', 8],
    ] as const)
      expect((await vote(await phone(name), 'week', value)).ok).toBe(true)
    const tally = server.engine.tally('week')
    expect(tally?.counts).toMatchObject({ '2': 1, '8': 2, '0': 0 })
    expect(tally?.mean).toBe(6)
    const d = await phone('d')
    for (const bad of [11, -1, 2.5, '5'])
      expect(await vote(d, 'week', bad)).toMatchObject({
        ok: false,
        error: 'Choose a whole number from 0 to 10.',
      })
  })
})

describe('words', () => {
  it('folds case and spacing, refuses empty and over-long text, and hides a word for good', async () => {
    await vote(await phone('a'), 'word', 'Honest')
    await vote(await phone('b'), 'word', '  honest ')
    await vote(await phone('c'), 'word', '<script>alert(1)</script>')
    const d = await phone('d')
    expect(await vote(d, 'word', '   ')).toMatchObject({
      ok: false,
      error: 'Type a word or a few.',
    })
    expect(await vote(d, 'word', 'x'.repeat(31))).toMatchObject({
      ok: false,
      error: 'Keep it under 30 characters.',
    })
    expect(server.engine.tally('word')?.counts).toEqual({
      honest: 2,
      '<script>alert(1)</script>': 1,
    })

    expect(await d.emitWithAck('control', { pollId: 'word', action: 'hide', word: 'honest' })).toMatchObject({
      ok: false,
    })
    const hidden = nextEvent(deck, 'tally', (tallies) =>
      tallies.some((t) => t.pollId === 'word' && !('honest' in t.counts)),
    )
    expect(await deck.emitWithAck('control', { pollId: 'word', action: 'hide', word: 'HONEST' })).toEqual({ ok: true })
    await hidden
    await vote(await phone('e'), 'word', 'honest')
    expect(server.engine.tally('word')?.counts).toEqual({ '<script>alert(1)</script>': 1 })
  })
})

describe('quiz', () => {
  it('keeps the answer from everyone until the reveal, then tells the phones', async () => {
    const a = await phone('a')
    const state = await nextEvent(server.connect({ role: 'voter', participantId: 'participant-late' }), 'sync')
    expect(JSON.stringify(state)).not.toContain('correct')
    expect(JSON.stringify(state)).not.toContain('A bold move')
    expect(JSON.stringify(await (await fetch(`${server.url}/api/polls/scenario`)).json())).not.toContain('correct')
    await vote(a, 'scenario', 'manager-hat')
    expect(await a.emitWithAck('control', { pollId: 'scenario', action: 'reveal' })).toMatchObject({
      ok: false,
    })

    const told = nextEvent(a, 'poll:state', (poll) => poll.id === 'scenario' && poll.revealed)
    expect(await deck.emitWithAck('control', { pollId: 'scenario', action: 'reveal' })).toEqual({
      ok: true,
    })
    expect((await told).correct).toEqual(['leader-hat'])
    expect((await told).explain).toBe('A bold move: a new idea.')
  })
})

describe('reactions', () => {
  it('floats taps to the deck, counts them, and limits each participant', async () => {
    const a = await phone('a')
    const burst = nextEvent(deck, 'reactions', (bursts) => bursts.some((b) => b.pollId === 'vibe'))
    const results = []
    for (let i = 0; i < 7; i++) results.push(await a.emitWithAck('react', { pollId: 'vibe', emoji: '👏' }))
    expect(results.filter((r) => r.ok)).toHaveLength(5)
    expect(results.at(-1)).toEqual({ ok: false, error: 'Easy there: a few reactions at a time.' })
    expect((await burst).find((b) => b.pollId === 'vibe')?.counts['👏']).toBeGreaterThan(0)
    expect(server.engine.tally('vibe')?.counts['👏']).toBe(5)
    expect(await a.emitWithAck('react', { pollId: 'vibe', emoji: '💩' })).toMatchObject({
      ok: false,
      error: 'That reaction is not offered here.',
    })
    expect(await a.emitWithAck('react', { pollId: 'seen', emoji: '👏' })).toMatchObject({
      ok: false,
    })
  })
})

describe('results hidden until reveal', () => {
  it('shows the room only how many answered', async () => {
    await vote(await phone('a'), 'secret-ballot', 'yes')
    expect(server.engine.tally('secret-ballot')).toEqual({
      pollId: 'secret-ballot',
      counts: {},
      total: 1,
      hidden: true,
    })
    expect(await (await fetch(`${server.url}/api/polls/secret-ballot`)).json()).toMatchObject({
      counts: {},
      total: 1,
      hidden: true,
    })
    const shown = nextEvent(deck, 'tally', (tallies) =>
      tallies.some((t) => t.pollId === 'secret-ballot' && t.counts.yes === 1),
    )
    await deck.emitWithAck('control', { pollId: 'secret-ballot', action: 'reveal' })
    await shown
  })
})

describe('action steps and the takeaway', () => {
  it('keeps steps private to their author and gives each phone its own takeaway', async () => {
    const a = await phone('a')
    const b = await phone('b')
    const steps = ['Block Monday 9:00 for direction', '  Ask the team   what is unclear ']
    expect(await vote(a, 'my-steps', steps)).toEqual({
      ok: true,
      answer: ['Block Monday 9:00 for direction', 'Ask the team what is unclear'],
    })
    expect(await vote(b, 'my-steps', ['1', '2', '3', '4'])).toMatchObject({
      ok: false,
      error: 'Write at most 3 steps.',
    })
    expect(await vote(b, 'my-steps', ['', ' '])).toMatchObject({ ok: false, error: 'Write at least one step.' })
    expect(await vote(b, 'my-steps', ['x'.repeat(201)])).toMatchObject({ ok: false })
    await vote(b, 'seen', ['burnout'])

    // The room sees a count, never the text: not on the deck, not in the API, not in exports.
    expect(server.engine.tally('my-steps')).toEqual({ pollId: 'my-steps', counts: {}, total: 1 })
    const exported = await (
      await fetch(`${server.url}/api/sessions/current/results.csv`, { headers: { Authorization: `Bearer ${SECRET}` } })
    ).text()
    expect(exported).not.toContain('Block Monday')
    expect(JSON.stringify(await (await fetch(`${server.url}/api/polls`)).json())).not.toContain('Block Monday')

    const mine = await a.emitWithAck('takeaway')
    expect(mine.ok).toBe(true)
    if (!mine.ok) return
    expect(mine.mine['my-steps']).toEqual(['Block Monday 9:00 for direction', 'Ask the team what is unclear'])
    expect(mine.polls.map((p) => p.id)).not.toContain('my-steps')
    expect(mine.polls.find((p) => p.id === 'seen')?.tally.counts).toEqual({ confusion: 0, misalignment: 0, burnout: 1 })
    expect(mine.polls.find((p) => p.id === 'secret-ballot')?.tally.hidden).toBe(true)
    const theirs = await b.emitWithAck('takeaway')
    expect(JSON.stringify(theirs)).not.toContain('Block Monday')
    expect(await deck.emitWithAck('takeaway')).toMatchObject({ ok: false })
  })
})

describe('follow the slide', () => {
  it('opens the poll on screen and closes the others, only when switched on', async () => {
    expect(await deck.emitWithAck('slide', { pollId: 'week' })).toEqual({ ok: true })
    expect(server.engine.view('seen')?.state).toBe('open') // follow mode is off: nothing changed
    expect(await deck.emitWithAck('follow', { on: true })).toEqual({ ok: true })
    await deck.emitWithAck('slide', { pollId: 'week' })
    expect(
      server.engine
        .views()
        .filter((p) => p.state === 'open')
        .map((p) => p.id),
    ).toEqual(['week'])
    await deck.emitWithAck('slide', { pollId: null })
    expect(server.engine.views().filter((p) => p.state === 'open')).toEqual([])
    const a = await phone('a')
    expect(await a.emitWithAck('follow', { on: false })).toMatchObject({
      ok: false,
      error: 'Only the presenter can do that.',
    })
    expect(await a.emitWithAck('slide', { pollId: 'week' })).toMatchObject({ ok: false })
  })
})

describe('sessions and exports', () => {
  const auth = { Authorization: `Bearer ${SECRET}` }

  it('starts a named session, keeps the old one, and exports either', async () => {
    await vote(await phone('a'), 'seen', ['burnout'])
    const first = server.engine.session
    expect(await (await phone('b')).emitWithAck('session', { action: 'start', name: 'Hacked' })).toMatchObject({
      ok: false,
    })
    const started = await deck.emitWithAck('session', {
      action: 'start',
      name: 'Berlin, March cohort',
    })
    expect(started).toMatchObject({ ok: true, session: { name: 'Berlin, March cohort' } })
    expect(server.engine.tally('seen')?.total).toBe(0)
    expect(await deck.emitWithAck('session', { action: 'rename', name: 'Berlin, "March" cohort' })).toMatchObject({
      ok: true,
    })

    const list = await (await fetch(`${server.url}/api/sessions`, { headers: auth })).json()
    expect(list.sessions.map((s: { name: string }) => s.name)).toEqual(['First session', 'Berlin, "March" cohort'])

    const old = await (await fetch(`${server.url}/api/sessions/${first.id}/results.json`, { headers: auth })).json()
    expect(old.polls.find((p: { id: string }) => p.id === 'seen').counts).toEqual({
      confusion: 0,
      misalignment: 0,
      burnout: 1,
    })
    const current = await (await fetch(`${server.url}/api/sessions/current/results.json`, { headers: auth })).json()
    expect(current.session.name).toBe('Berlin, "March" cohort')
  })

  it('needs the presenter secret, and names unknown sessions', async () => {
    const anonymous = await fetch(`${server.url}/api/sessions/current/results.csv`)
    expect(anonymous.status).toBe(401)
    expect((await anonymous.json()).error).toMatch(/Bearer/)
    expect((await fetch(`${server.url}/api/sessions`, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401)
    for (const bad of ['42', 'latest', '-1', '1e3']) {
      const response = await fetch(`${server.url}/api/sessions/${bad}/results.json`, {
        headers: auth,
      })
      expect(response.status).toBe(404)
      expect((await response.json()).error).toMatch(/There is no session/)
    }
  })

  it('writes a CSV a spreadsheet opens cleanly', async () => {
    await vote(await phone('a'), 'word', '=cmd|calc')
    await vote(await phone('b'), 'word', 'kind, "fair"')
    await vote(await phone('c'), 'week', 7)
    const response = await fetch(`${server.url}/api/sessions/current/results.csv`, {
      headers: auth,
    })
    expect(response.headers.get('content-type')).toMatch(/text\/csv/)
    const csv = (await response.text()).replace(/^\uFEFF/, '')
    const lines = csv.trimEnd().split('\r\n')
    expect(lines[0]).toBe(
      'session_id,session_name,poll_id,kind,question,answer_id,answer,count,poll_total,poll_mean,correct,status,name',
    )
    expect(lines).toContain(
      `1,First session,word,words,One word for the leader you would follow,'=cmd|calc,'=cmd|calc,1,2,,,,`,
    )
    expect(lines).toContain(
      `1,First session,word,words,One word for the leader you would follow,"kind, ""fair""","kind, ""fair""",1,2,,,,`,
    )
    expect(lines).toContain('1,First session,week,scale,Your week?,7,7,1,1,7,,,')
    expect(lines).toContain('1,First session,scenario,quiz,Launching a new idea?,leader-hat,Leader hat,0,0,,yes,,')
  })
})

describe('npm run results', () => {
  it('exports a session from the data folder as CSV or JSON', async () => {
    await vote(await phone('a'), 'seen', ['confusion'])
    // The command reads the polls from slides/, so it knows only the deck's polls; ours are
    // test polls, and the export of an unknown poll is simply absent. Check the session header.
    const csv = execFileSync(
      join(ROOT, 'node_modules', '.bin', 'tsx'),
      ['server/cli.ts', 'results', '--session', 'current', '--format', 'csv', '--data-dir', dir.path],
      { cwd: ROOT, encoding: 'utf8' },
    )
    expect(csv.split('\r\n')[0]).toMatch(/^session_id,session_name,poll_id/)
    const json = JSON.parse(
      execFileSync(
        join(ROOT, 'node_modules', '.bin', 'tsx'),
        ['server/cli.ts', 'results', '--format', 'json', '--data-dir', dir.path],
        { cwd: ROOT, encoding: 'utf8' },
      ),
    )
    expect(json.session).toMatchObject({ id: 1, name: 'First session' })
  })
})
