// Before and after the room over real sockets and real SQLite: a questionnaire opens and closes,
// phones answer at their own pace, leave and come back, carry their answers to another device
// with their personal code; a pulse after the next session started links to the same person's
// start and end; exports hold it all; deleting one's data and retention remove it everywhere.
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadFollowUpOrExplain } from '../server/kit.ts'
import { parseFollowUp, type Questionnaire } from '../server/questionnaire-definition.ts'
import { changed, isOpen } from '../server/questionnaires.ts'
import type { SessionResults } from '../server/results.ts'
import { ROOT } from '../server/settings.ts'
import { DATABASE_FILE } from '../server/sqlite-store.ts'
import { type Client, closeClients, nextEvent, voteId } from './harness/clients.ts'
import { FOLLOW_UP, FOLLOW_UP_FILE, JOURNEY_POLLS } from './harness/follow-up.ts'
import { SECRET, startTestServer } from './harness/kit.ts'
import { freePort, tempDir } from './harness/system.ts'

type Server = Awaited<ReturnType<typeof startTestServer>>
let dir: ReturnType<typeof tempDir>
let server: Server
let deck: Client

async function start(): Promise<void> {
  server = await startTestServer({ dataDir: dir.path, polls: JOURNEY_POLLS, followUp: FOLLOW_UP })
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

async function phone(participantId: string): Promise<Client> {
  const socket = server.connect({ role: 'voter', participantId })
  await nextEvent(socket, 'sync')
  return socket
}
const answer = (socket: Client, pollId: string, value: string | number | string[], sessionId?: number) =>
  socket.emitWithAck('vote', { pollId, answer: value, voteId: voteId(), ...(sessionId ? { sessionId } : {}) })
const windowChange = (questionnaireId: string, action: 'open' | 'close', sessionId?: number) =>
  deck.emitWithAck('window', { questionnaireId, action, ...(sessionId ? { sessionId } : {}) })
const control = (pollId: string, action: 'open' | 'close') => deck.emitWithAck('control', { pollId, action })
async function results(session: string | number = 'current'): Promise<SessionResults> {
  const response = await fetch(`${server.url}/api/sessions/${session}/results.json`, {
    headers: { Authorization: `Bearer ${SECRET}` },
  })
  return (await response.json()) as SessionResults
}
const question = (data: SessionResults, key: string) =>
  data.questionnaires.flatMap((q) => q.questions).find((q) => q.id === key)

describe('declarations', () => {
  it('refuses a bad questionnaire with what to write instead', () => {
    // biome-ignore lint/suspicious/noExplicitAny: a declaration as an author might mistype it
    const bad = (change: (file: any) => void) => {
      const file = structuredClone(FOLLOW_UP_FILE)
      change(file)
      return () => parseFollowUp(file, JOURNEY_POLLS)
    }
    expect(bad((f) => (f.questionnaires[0].questions[0] = { id: 'q', kind: 'quiz' } as never))).toThrow(
      /questionnaire "pre-work", question "q": kind quiz needs the room; use one of single/,
    )
    expect(bad((f) => (f.journey.stages[0].from = 'nope'))).toThrow(/journey stage "Start": there is no poll "nope"/)
    expect(bad((f) => (f.journey.stages[2].from = 'pulse-1w/took-step'))).toThrow(/is a single poll; name a scale poll/)
    expect(bad((f) => (f.report.kept[0].yes = ['Maybe']))).toThrow(/"Maybe" is not an option of "pulse-1w\/took-step"/)
    expect(bad((f) => ((f.questionnaires[1] as { id: string }).id = 'pre-work'))).toThrow(/declared twice/)
  })

  it('stops the start naming the file and the fix', async () => {
    const slides = tempDir()
    try {
      writeFileSync(join(slides.path, 'deck.md'), '---\ntitle: A deck\nquestionnaires: ./after.yaml\n---\n\n# Hello\n')
      await expect(loadFollowUpOrExplain([], slides.path)).rejects.toThrow(
        /A questionnaire needs fixing: .*deck\.md names .*after\.yaml in questionnaires:, but there is no such file/,
      )
      writeFileSync(
        join(slides.path, 'after.yaml'),
        'questionnaires:\n  - id: pulse\n    title: Later\n    questions:\n      - id: q\n        kind: reactions\n        question: React?\n',
      )
      await expect(loadFollowUpOrExplain([], slides.path)).rejects.toThrow(
        /after\.yaml: questionnaire "pulse", question "q": kind reactions needs the room; use one of single, multiple/,
      )
    } finally {
      slides.remove()
    }
  })

  it('opens and closes a window by the clock', () => {
    const questionnaire = FOLLOW_UP.questionnaires[1] as Questionnaire
    const never = { sessionId: 1, questionnaireId: 'pulse-1w', opensAt: null, closesAt: null }
    const opened = changed(questionnaire, never, { action: 'open' }, 1000)
    expect(opened).toMatchObject({ opensAt: 1000, closesAt: 1000 + 7 * 24 * 3600 * 1000 })
    expect(isOpen(opened as never, 1000)).toBe(true)
    expect(isOpen(opened as never, 1000 + 7 * 24 * 3600 * 1000)).toBe(false)
    expect(changed(questionnaire, never, { action: 'close' }, 1000)).toMatch(/is not open/)
    const scheduled = changed(questionnaire, never, { action: 'schedule', from: 5000, until: 9000 }, 1000)
    expect(isOpen(scheduled as never, 4000)).toBe(false)
    expect(isOpen(scheduled as never, 5000)).toBe(true)
  })
})

describe('a questionnaire over real sockets', () => {
  it('opens from the presenter, is answered at each phone’s pace, refuses answers once closed, survives a restart', async () => {
    const ana = await phone('participant-ana')
    expect(await answer(ana, 'pre-work/day-1', 'leader-hat')).toMatchObject({ ok: false, error: /closed/ })
    expect(await ana.emitWithAck('window', { questionnaireId: 'pre-work', action: 'open' })).toMatchObject({
      ok: false,
      error: 'Only the presenter can do that.',
    })
    const told = nextEvent(ana, 'sync', (state) => state.questionnaires.some((q) => q.id === 'pre-work'))
    expect(await windowChange('pre-work', 'open')).toEqual({ ok: true })
    const { questionnaires } = await told
    expect(questionnaires.map((q) => [q.id, q.open, q.questions.length])).toEqual([['pre-work', true, 3]])

    expect(await answer(ana, 'pre-work/day-1', 'leader-hat')).toMatchObject({ ok: true, answer: ['leader-hat'] })
    expect(await answer(ana, 'pre-work/day-1', 'nope')).toMatchObject({ ok: false, error: /not one of the options/ })
    // Ana leaves and comes back: the page asks where she was.
    ana.close()
    const again = await phone('participant-ana')
    expect(await again.emitWithAck('questionnaire', { questionnaireId: 'pre-work' })).toMatchObject({
      ok: true,
      questionnaire: { id: 'pre-work', open: true },
      mine: { 'pre-work/day-1': ['leader-hat'] },
    })
    expect(await answer(again, 'pre-work/day-2', 'both')).toMatchObject({ ok: true })
    expect(await answer(again, 'pre-work/moment', '  The budget   meeting  ')).toMatchObject({
      ok: true,
      answer: ['The budget meeting'],
    })
    const ben = await phone('participant-ben')
    expect(await answer(ben, 'pre-work/day-1', 'manager-hat')).toMatchObject({ ok: true })

    // The presenter sees who started and finished; the deck has the tallies for the pre-work slide.
    const presenter = server.connect({ role: 'deck', secret: SECRET })
    const state = await nextEvent(presenter, 'sync')
    expect(state.questionnaires.find((q) => q.id === 'pre-work')?.progress).toEqual({ started: 2, finished: 1 })
    expect(state.tallies?.find((t) => t.pollId === 'pre-work/day-1')).toMatchObject({
      total: 2,
      counts: { 'leader-hat': 1, 'manager-hat': 1, both: 0 },
    })

    expect(await windowChange('pre-work', 'close')).toEqual({ ok: true })
    expect(await answer(ben, 'pre-work/day-2', 'both')).toMatchObject({ ok: false, error: /questionnaire is closed/ })

    closeClients()
    await server.close()
    await start()
    const data = await results()
    expect(question(data, 'pre-work/day-1')).toMatchObject({ total: 2, counts: { 'leader-hat': 1, 'manager-hat': 1 } })
    expect(question(data, 'pre-work/moment')?.answers).toEqual(['The budget meeting'])
    expect(data.questionnaires[0]).toMatchObject({ started: 2, finished: 1 })
    // The room's export (RESULTS_PUBLIC) never carries the facilitator's sentences.
    const csv = await (
      await fetch(`${server.url}/api/sessions/current/results.csv`, { headers: { Authorization: `Bearer ${SECRET}` } })
    ).text()
    expect(csv).toContain('pre-work/day-1,single,Day 1: which hat?,leader-hat,Leader hat,1,2')
    expect(csv).toContain('The budget meeting')
  })

  it('links a pulse after the next session started to the same person’s start and end', async () => {
    const people = ['participant-ana', 'participant-ben', 'participant-cem']
    const phones = await Promise.all(people.map(phone))
    await control('confidence-start', 'open')
    await Promise.all(phones.map((socket, i) => answer(socket, 'confidence-start', 3 + i)))
    await control('confidence-start', 'close')
    await control('confidence-end', 'open')
    await Promise.all(phones.map((socket, i) => answer(socket, 'confidence-end', 6 + i)))
    await control('confidence-end', 'close')
    const first = server.engine.session.id
    await deck.emitWithAck('session', { action: 'start', name: 'Next cohort' })

    expect(await windowChange('pulse-1w', 'open', first)).toEqual({ ok: true })
    // Not the current session's: phones of the next cohort are not offered it.
    const newcomer = server.connect({ role: 'voter', participantId: 'participant-new' })
    expect((await nextEvent(newcomer, 'sync')).questionnaires).toEqual([])
    const asked = await phones[0]?.emitWithAck('questionnaire', { questionnaireId: 'pulse-1w', sessionId: first })
    expect(asked).toMatchObject({ ok: true, questionnaire: { sessionId: first, open: true }, mine: {} })
    expect(await answer(phones[0] as Client, 'pulse-1w/confidence', 8, first)).toMatchObject({ ok: true })
    expect(await answer(phones[1] as Client, 'pulse-1w/confidence', 9, first)).toMatchObject({ ok: true })
    expect(await answer(phones[1] as Client, 'pulse-1w/took-step', 'partly', first)).toMatchObject({ ok: true })
    // A live poll takes answers for the current session only.
    expect(await answer(phones[2] as Client, 'confidence-end', 1, first)).toMatchObject({ ok: false })

    const journey = await (
      await fetch(`${server.url}/api/sessions/${first}/journey`, { headers: { Authorization: `Bearer ${SECRET}` } })
    ).json()
    expect(journey.stages.map((s: { label: string; n: number; mean: number }) => [s.label, s.n, s.mean])).toEqual([
      ['Start', 3, 4],
      ['End', 3, 7],
      ['+1 week', 2, 8.5],
    ])
    // Ana 3 → 8 and Ben 4 → 9: the same people rose by 5 on average since the start.
    expect(journey.stages[2].sinceFirst).toEqual({ n: 2, change: 5 })
    expect(journey.people).toEqual(
      expect.arrayContaining([
        [3, 6, 8],
        [4, 7, 9],
        [5, 8, null],
      ]),
    )
    const csv = await (
      await fetch(`${server.url}/api/sessions/${first}/results.csv`, { headers: { Authorization: `Bearer ${SECRET}` } })
    ).text()
    expect(csv).toMatch(/journey,journey,Confidence,person-\d,'\+1 week,9/) // a leading + is quoted for spreadsheets
    // The current session has none of it.
    expect((await results()).journey?.stages.every((stage) => stage.n === 0)).toBe(true)
  })

  it('carries a person to another device with their personal code, and deletes everything under it', async () => {
    await windowChange('pre-work', 'open')
    await control('one-line', 'open')
    const laptop = await phone('k7q4m2xd9p')
    await answer(laptop, 'pre-work/day-1', 'leader-hat')
    await laptop.emitWithAck('post', { pollId: 'one-line', text: 'Switch at the Monday meeting', postId: 'post-1' })
    const other = await phone('participant-other')
    await other.emitWithAck('post', { text: 'What about remote teams?', postId: 'post-2' })
    const [card] = server.engine.cards('room').filter((c) => !c.pollId)
    await laptop.emitWithAck('upvote', { cardId: card?.id as string, on: true })

    // The phone types the code as the takeaway shows it; a typo is not taken for a new person.
    const phoneB = await phone('participant-phone-b')
    expect(await phoneB.emitWithAck('code', { code: 'K7Q4M-2XD9P' })).toEqual({ ok: true, code: 'k7q4m2xd9p' })
    expect(await phoneB.emitWithAck('code', { code: 'K7Q4M-2XD9Q' })).toMatchObject({ ok: false, error: /check it/ })
    const continued = await phone('k7q4m2xd9p')
    expect(await continued.emitWithAck('questionnaire', { questionnaireId: 'pre-work' })).toMatchObject({
      mine: { 'pre-work/day-1': ['leader-hat'] },
    })
    expect(await answer(continued, 'pre-work/day-2', 'both')).toMatchObject({ ok: true })

    // Deleting from one device: the other is told, and nothing under the id is left anywhere.
    const told = nextEvent(laptop, 'forgotten')
    expect(await continued.emitWithAck('forget', { confirm: true })).toEqual({ ok: true })
    await told
    expect(await server.store.hasParticipant('k7q4m2xd9p')).toBe(false)
    const data = await results()
    expect(question(data, 'pre-work/day-1')?.total).toBe(0)
    expect(data.polls.find((p) => p.id === 'one-line')?.cards).toEqual([])
    expect(data.questions).toMatchObject([{ text: 'What about remote teams?', upvotes: 0 }])
    expect(server.engine.cards('room').map((c) => c.text)).toEqual(['What about remote teams?'])
    // Nothing of it is left in the database file, nor in its write-ahead log.
    await server.close()
    const bytes = await import('node:fs').then((fs) =>
      ['', '-wal'].map((suffix) => fs.readFileSync(join(dir.path, DATABASE_FILE + suffix), { flag: 'a+' })).join(''),
    )
    expect(bytes).not.toContain('k7q4m2xd9p')
    expect(bytes).not.toContain('Switch at the Monday meeting')
    await start()
  })

  it('deletes sessions older than the retention period, with everything in them', async () => {
    const ana = await phone('participant-ana')
    await windowChange('pre-work', 'open')
    await answer(ana, 'pre-work/day-1', 'both')
    const old = server.engine.session.id
    await deck.emitWithAck('session', { action: 'start', name: 'Recent' })
    closeClients()
    await server.close()
    // The first session started 100 days ago.
    const db = new Database(join(dir.path, DATABASE_FILE))
    db.prepare('UPDATE sessions SET started_at = ? WHERE id = ?').run(Date.now() - 100 * 86_400_000, old)
    db.close()
    server = await startTestServer({ dataDir: dir.path, polls: JOURNEY_POLLS, followUp: FOLLOW_UP, retentionDays: 90 })
    await expect.poll(async () => (await server.store.listSessions()).map((s) => s.name)).toEqual(['Recent'])
    expect(await server.store.hasParticipant('participant-ana')).toBe(false)
    expect(await server.store.loadWindows()).toEqual([])
  })
})

describe('npm run questionnaire', () => {
  // Not spawnSync: the kit under test runs in this process and must answer the command.
  const cli = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['server/cli.ts', 'questionnaire', ...args], {
        cwd: ROOT,
        env: { ...process.env, ...env },
      })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (chunk) => (stdout += chunk))
      child.stderr.on('data', (chunk) => (stderr += chunk))
      child.on('close', (status) => resolve({ status, stdout, stderr }))
    })

  it('opens a running kit’s questionnaire through it, and says what to set when the secret differs', async () => {
    const phoneSocket = await phone('participant-cli')
    const told = nextEvent(
      phoneSocket,
      'sync',
      (state) => state.questionnaires.some((q) => q.id === 'pre-work'),
      30_000,
    )
    const opened = await cli(['open', 'pre-work', '--until', '2099-01-01', '--url', server.url], {
      PRESENTER_SECRET: SECRET,
    })
    expect(opened.status, opened.stderr).toBe(0)
    expect(opened.stdout).toMatch(
      /pre-work: Before the workshop: your week\n {2}open until .*2099.* · 0 started, 0 finished\n {2}Link to send: http:\/\/192\.0\.2\.1:3030\/vote\?s=1&q=pre-work/,
    )
    await told
    const refused = await cli(['close', 'pre-work', '--url', server.url], {
      PRESENTER_SECRET: 'another-secret-of-16-chars',
    })
    expect(refused.status).toBe(1)
    expect(refused.stderr).toContain('has another presenter secret: set PRESENTER_SECRET')
  })

  it('changes the data folder directly when no kit is running', async () => {
    closeClients()
    await server.close()
    const port = String(await freePort())
    const opened = await cli(['open', 'pulse-1w', '--data-dir', dir.path, '--port', port])
    expect(opened.status, opened.stderr).toBe(0)
    // The workshop's own declaration (slides/questionnaires.yaml): open for its 7 days.
    expect(opened.stdout).toMatch(/pulse-1w: One week on\n {2}open until/)
    const closed = await cli(['close', 'pulse-1w', '--data-dir', dir.path, '--port', port])
    expect(closed.stdout).toMatch(/pulse-1w: One week on\n {2}closed · 0 started, 0 finished/)
    await start()
    expect(server.engine.windowOf(server.engine.session.id, 'pulse-1w')).toMatchObject({ open: false })
    // Two cold starts of the command (each parses the decks) and a restart of the kit: three
    // minutes before it counts as hung, as it ran out of one beside the other browser tests.
  }, 180_000)
})
