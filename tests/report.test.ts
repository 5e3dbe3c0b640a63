// The sponsor's report: its figures equal what is stored (read back by hand from the same
// answers), a group under five gets no figure, and no hidden, held or private text is printed.
// Then `npm run handouts -- --report` on a seeded data folder with the workshop's own polls and
// questionnaires: a real PDF of one or two pages, read back with pdftotext; its pages are
// rendered to PNG in test-results/report/ for a person to look at.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { PDFDocument } from 'pdf-lib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MIN_GROUP, reportFigures, themes } from '../handouts/report.ts'
import { loadFollowUpOrExplain, loadPollsOrExplain } from '../server/kit.ts'
import { ROOT } from '../server/settings.ts'
import type { CardRecord, Vote } from '../server/store.ts'
import { FOLLOW_UP, JOURNEY_POLLS } from './harness/follow-up.ts'
import { startTestServer } from './harness/kit.ts'
import { tempDir } from './harness/system.ts'

const session = { id: 1, name: 'Berlin, March cohort', startedAt: Date.UTC(2026, 2, 10) }
let at = 0
const vote = (participantId: string, pollId: string, answer: string): Vote => ({
  sessionId: 1,
  pollId,
  participantId,
  answer: [answer],
  voteId: `v${++at}`,
  at,
})
const card = (
  id: string,
  participantId: string,
  text: string,
  status: CardRecord['status'] = 'shown',
  pollId: string | null = null,
): CardRecord => ({
  id,
  pollId,
  participantId,
  text,
  name: null,
  at: ++at,
  status,
  pinned: false,
  answered: false,
})

describe('the report’s figures', () => {
  const people = Array.from({ length: 8 }, (_, i) => `person-${i}`)
  // Everyone rated the start 3..10 and the end two points higher; six answered the pulse.
  const votes = [
    ...people.map((p, i) => vote(p, 'confidence-start', String(i + 2))),
    ...people.map((p, i) => vote(p, 'confidence-end', String(i + 3))),
    ...people.slice(0, 6).map((p) => vote(p, 'steps', 'A step')),
    ...people.slice(0, 6).map((p, i) => vote(p, 'pulse-1w/confidence', String(Math.min(10, i + 5)))),
    ...people
      .slice(0, 6)
      .map((p, i) => vote(p, 'pulse-1w/took-step', ['yes', 'yes', 'partly', 'not-yet', 'yes', 'not-yet'][i] as string)),
    // Only three rated usefulness: under five, no figure.
    ...people.slice(0, 3).map((p) => vote(p, 'useful', '5')),
    ...people.slice(0, 4).map((p) => vote(p, 'pre-work/day-1', 'leader-hat')),
  ]
  const cards = [
    card('q1', 'person-0', 'How do managers find time for vision work?'),
    card('q2', 'person-1', 'Is vision work the leader hat every time?'),
    card('q3', 'person-2', 'Hidden question naming a colleague', 'hidden'),
    card('q4', 'person-3', 'Waiting question nobody approved', 'waiting'),
    card('a1', 'person-4', 'Vision first at the Monday meeting', 'shown', 'one-line'),
  ]
  const figures = reportFigures(session, { votes, cards, upvotes: [] }, JOURNEY_POLLS, FOLLOW_UP)

  it('counts what is stored, and leaves out every group under five', () => {
    expect(MIN_GROUP).toBe(5)
    expect(figures.attended).toBe(8)
    expect(figures.questionnaires).toEqual([
      { id: 'pre-work', title: 'Before the workshop: your week', started: null, finished: null },
      { id: 'pulse-1w', title: 'One week on', started: 6, finished: null },
    ])
    const stages = figures.journey?.stages.map((s) => [s.label, s.n, s.mean, s.sinceFirst.change])
    // Start: 2..9 → 5.5; end: 3..10 → 6.5; +1 week: 5,6,7,8,9,10 → 7.5; those six started 2..7 (4.5).
    expect(stages).toEqual([
      ['Start', 8, 5.5, 0],
      ['End', 8, 6.5, 1],
      ['+1 week', 6, 7.5, 3],
    ])
    expect(figures.journey?.people).toEqual([])
    expect(figures.commitments).toEqual({ made: 6, kept: [{ label: '+1 week', answered: 6, yes: 4 }] })
    expect(figures.reaction).toMatchObject({ n: null, mean: null, options: [] })
    // Two people asked questions the room could read; one wrote a one-liner: under five, no count.
    expect(figures.voices.questions).toBeNull()
    expect(figures.voices.quotes).toEqual([
      'How do managers find time for vision work?',
      'Is vision work the leader hat every time?',
      'Vision first at the Monday meeting',
    ])
    expect(figures.voices.themes).toEqual(['vision', 'work'])
    expect(JSON.stringify(figures)).not.toMatch(/Hidden question|Waiting question|person-/)
  })

  it('finds themes in words that come back, not in common ones', () => {
    expect(themes(['Where does feedback fit?', 'Feedback from whom?', 'Which hat for feedback, really?'])).toEqual([
      'feedback',
    ])
  })
})

describe('npm run handouts -- --report', () => {
  const data = tempDir()
  const out = tempDir()
  const SHOTS = join(ROOT, 'test-results', 'report')
  const HIDDEN = 'Hidden question that names a colleague'
  const PRIVATE = 'Private sentence for the facilitator only'

  beforeAll(async () => {
    // The workshop's own polls and questionnaires, as `npm start` reads them.
    const polls = await loadPollsOrExplain()
    const followUp = await loadFollowUpOrExplain(polls)
    const server = await startTestServer({ dataDir: data.path, polls, followUp })
    const { engine } = server
    const people = Array.from({ length: 12 }, (_, i) => `attendee-${String(i).padStart(2, '0')}`)
    const answer = async (pollId: string, each: (i: number) => string | number | string[] | null, who = people) => {
      for (const [i, p] of who.entries()) {
        const value = each(i)
        if (value !== null)
          expect(await engine.vote(p, { pollId, answer: value, voteId: `${p}-${pollId}` })).toMatchObject({ ok: true })
      }
    }
    await engine.changeWindow({ questionnaireId: 'pre-work', action: 'open' })
    for (const day of [1, 2, 3, 4, 5, 'worn']) {
      await answer(
        `pre-work/${day === 'worn' ? day : `day-${day}`}`,
        (i) => ['leader-hat', 'manager-hat', 'both-equally'][i % 3] as string,
        people.slice(0, 9),
      )
    }
    await answer('pre-work/mismatch', () => PRIVATE, people.slice(0, 9))
    for (const id of ['confidence-start', 'confidence-end', 'action-steps', 'session-worth'])
      expect(await engine.control({ pollId: id, action: 'open' })).toEqual({ ok: true })
    await answer('confidence-start', (i) => 3 + (i % 4))
    await answer('confidence-end', (i) => 6 + (i % 4))
    await answer('action-steps', () => ['Ask one why before the plan'], people.slice(0, 10))
    // The close's one tap: 6 yes, 3 partly, 2 no; one person left before it.
    await answer('session-worth', (i) => (i < 6 ? 'yes' : i < 9 ? 'partly' : 'no'), people.slice(0, 11))
    for (const [i, text] of [
      'How do I lead when the plan is fixed?',
      'Which hat for a one-to-one about the plan?',
      HIDDEN,
    ].entries()) {
      expect(await engine.post(people[i] as string, { text, postId: `question-${i}` })).toMatchObject({ ok: true })
    }
    const hidden = engine.cards('presenter').find((c) => c.text === HIDDEN)
    await engine.moderate({ cardId: hidden?.id as string, action: 'hide' })
    await engine.changeWindow({ questionnaireId: 'pulse-1w', action: 'open' })
    await answer('pulse-1w/took-step', (i) => (i < 6 ? 'yes' : i < 8 ? 'partly' : 'not-yet'), people.slice(0, 9))
    await answer('pulse-1w/confidence', (i) => 7 + (i % 3), people.slice(0, 9))
    await answer('pulse-1w/useful', (i) => 3 + (i % 3), people.slice(0, 9))
    await answer('pulse-1w/sentence', () => PRIVATE, people.slice(0, 2))
    // Only three answered the four-week pulse: no figure for it.
    await engine.changeWindow({ questionnaireId: 'pulse-4w', action: 'open' })
    await answer('pulse-4w/confidence', () => 9, people.slice(0, 3))
    await answer('pulse-4w/took-step', () => 'yes', people.slice(0, 3))
    await server.close()
  }, 60_000)
  afterAll(() => {
    data.remove()
    out.remove()
  })

  it('prints one or two pages whose figures are the stored answers', async () => {
    const run = spawnSync(
      join(ROOT, 'node_modules', '.bin', 'tsx'),
      [
        'handouts/cli.ts',
        '--report',
        '--data-dir',
        data.path,
        '--out',
        out.path,
        '--note',
        'The team asked for a follow-up on one-to-ones.',
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
    )
    expect(run.status, run.stderr + run.stdout).toBe(0)
    expect(run.stdout).toMatch(/Report for session 1 \("First session"\): .*report-session-1\.pdf, [12] pages?/)
    const file = join(out.path, 'report-session-1.pdf')
    const pages = (await PDFDocument.load(readFileSync(file))).getPageCount()
    expect(pages).toBeGreaterThanOrEqual(1)
    expect(pages).toBeLessThanOrEqual(2)
    mkdirSync(SHOTS, { recursive: true })
    execFileSync('pdftoppm', ['-png', '-r', '80', file, join(SHOTS, 'report')])
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ')
    expect(text).toContain('The team asked for a follow-up on one-to-ones.')
    expect(text).toMatch(/12 people answered a poll or wrote a question/)
    expect(text).toMatch(/Before the workshop: your week in hats 9 started, 9 finished/)
    // Start: 3,4,5,6 ×3 → 4.5; end 7.5; +1 week: 7,8,9 ×3 → 8.0; +4 weeks: three people, no figure.
    expect(text).toMatch(/4\.5 → 8\.0/)
    expect(text).toContain('fewer than 5 answered')
    // The nine who answered both rose by 4,4,4,1,5,5,2,2,6: 33 / 9 = 3.7 on average.
    expect(text).toMatch(/\+1 week: \+3\.7 since Start, for the 9 people who answered both/)
    expect(text).toMatch(/10 people wrote down their own action steps/)
    expect(text).toMatch(/8 of 9 who answered took their step/)
    // The reaction is the close's single choice: its counts, no average.
    expect(text).toContain('Before you go: was this session worth your time?')
    expect(text).toContain('11 people answered.')
    const rows = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
    for (const [option, count] of [
      ['Yes', 6],
      ['Partly', 3],
      ['No', 2],
    ]) {
      expect(rows, `${option}`).toMatch(new RegExp(`^\\s*${option}\\s+${count}\\s*$`, 'm'))
    }
    expect(text).toContain('How do I lead when the plan is fixed?')
    expect(text).not.toContain(HIDDEN)
    expect(text).not.toContain(PRIVATE)
    expect(text).not.toContain('Ask one why before the plan')
  })
})
