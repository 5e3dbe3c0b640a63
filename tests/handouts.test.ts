// `npm run handouts` end to end: a seeded session in a temporary data folder, the real command
// (Slidev's export and the system Chromium), then the PDFs are read back: page counts (pdf-lib),
// text (pdftotext), and every page rendered (pdftoppm) to check that none is blank. The HTML
// builders are also checked on their own for escaping and for every poll kind.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PDFDocument } from 'pdf-lib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { quarterShares } from '../components/matrixMarks.ts'
import { parseBreakdown } from '../handouts/breakdown.ts'
import { blocksOf, type DeckInfo, loadDeck, parseTiming } from '../handouts/deck.ts'
import { sourceBlocks } from '../handouts/guide-html.ts'
import { escapeHtml, notesToHtml } from '../handouts/markdown.ts'
import { parseClock, parseOptions } from '../handouts/options.ts'
import { questionsCard } from '../handouts/results-cards.ts'
import { pollCard } from '../handouts/results-html.ts'
import { loadActionPrompts, loadFurtherReading, loadMoments, type Moment } from '../handouts/slide-content.ts'
import { isBlank } from '../handouts/slides-export.ts'
import { pointKey, rankKey } from '../server/answers.ts'
import { type PollDefinition, PollDefinitionSchema } from '../server/poll-definition.ts'
import { loadPolls } from '../server/polls.ts'
import type { CardResult, PollResult } from '../server/results.ts'
import { ROOT, SLIDES_DIR } from '../server/settings.ts'
import { openSqliteStore } from '../server/sqlite-store.ts'
import type { CardRecord } from '../server/store.ts'
import { tempDir } from './harness/system.ts'

const TSX = join(ROOT, 'node_modules', '.bin', 'tsx')
const CLI = join(ROOT, 'handouts', 'cli.ts')

/** The article's sections, with their headings as the slides show them. */
const SECTION_HEADINGS = [
  'Not the same thing',
  'The leader hat',
  'The manager hat',
  'Both, but not at once',
  "You're already doing both",
  'The breakdown',
  'Final thoughts',
]
const BREAKDOWN_ROWS = [
  'Purpose',
  'Focus',
  'Style',
  'Motivation tool',
  'Relationship dynamic',
  'Communication style',
  'Emotional role',
]
const SEEDED_WORD = 'quintessentially'
const HOSTILE_WORD = '<b>bold</b>&amp;'
const PRIVATE_STEP = 'Private step nobody else may read'
const REACTION_TAPS = 17
/** Left unanswered in the seeded session: the handout names it and never draws it empty. */
const UNANSWERED = 'session-worth'
/** The room's questions and open answers: what the room could read is printed, nothing else. */
const TOP_QUESTION = 'How do I switch hats when my own manager never does?'
const NAMED_QUESTION = 'Does the 2×2 work for a team of one?'
const HIDDEN_QUESTION = 'Hidden question that names a colleague'
const WAITING_QUESTION = 'Waiting question nobody approved'
const OPEN_ANSWER = 'Monday stand-up: the why before the what'
const HOSTILE_ANSWER = '<script>alert(1)</script> & <b>bold</b>'
const HIDDEN_ANSWER = 'Hidden answer the facilitator took down'

/**
 * Runs `npm run handouts`. The default run exports both decks with Slidev and prints a handout and
 * a guide for each: about two and a half minutes alone, and much longer beside the other browser
 * tests on two shared cores, so it gets ten minutes before it counts as hung.
 */
function run(args: string[], env: NodeJS.ProcessEnv = {}, timeout = 600_000) {
  return spawnSync(TSX, [CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout,
  })
}

/** Typographic quotes and spacing folded, so text from a PDF compares plainly with the sources. */
const fold = (text: string) => text.replace(/[’‘]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, ' ')

/** Text of a PDF (or of one page), folded; with `layout`, a table's row stays on one line, in column order. */
function pdfText(file: string, layout = false, page?: number): string {
  const pages = page ? ['-f', String(page), '-l', String(page)] : []
  const args = [...(layout ? ['-layout'] : []), ...pages, file, '-']
  return fold(execFileSync('pdftotext', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }))
}

const pageCount = async (file: string) => (await PDFDocument.load(readFileSync(file))).getPageCount()

/**
 * Renders every page to grey levels (PGM) and returns, per page, the share of pixels that are
 * clearly not paper, ignoring the top and bottom bands where the running footer sits.
 */
function inkPerPage(file: string, dir: string, prefix: string): number[] {
  execFileSync('pdftoppm', ['-gray', '-r', '20', file, join(dir, prefix)])
  const pages = readdirSync(dir)
    .filter((name) => name.startsWith(`${prefix}-`) && name.endsWith('.pgm'))
    .sort()
  return pages.map((name) => {
    const data = readFileSync(join(dir, name))
    // Binary PGM: "P5", width, height, maxval, one byte per pixel.
    const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(data.subarray(0, 50).toString('latin1'))
    if (!header) throw new Error(`${name} is not a PGM file`)
    const [width, height] = [Number(header[1]), Number(header[2])]
    const pixels = data.subarray(header[0].length)
    let ink = 0
    let seen = 0
    for (let y = Math.floor(height * 0.07); y < Math.floor(height * 0.93); y++) {
      for (let x = 0; x < width; x++) {
        seen++
        if ((pixels[y * width + x] ?? 255) < 225) ink++
      }
    }
    return ink / seen
  })
}

let data: ReturnType<typeof tempDir>
let out: ReturnType<typeof tempDir>
let deck: DeckInfo
let polls: PollDefinition[]
let result: ReturnType<typeof run>
let moments: Moment[]
const expected = new Map<string, number>()

beforeAll(async () => {
  data = tempDir('kit-handouts-data-')
  out = tempDir('kit-handouts-out-')
  deck = await loadDeck('workshop')
  polls = await loadPolls(SLIDES_DIR)
  moments = loadMoments()
  const store = openSqliteStore(data.path)
  const session = await store.currentSession()
  const votes: { pollId: string; answer: string[] }[] = []
  const cards: CardRecord[] = []
  const upvotes = new Map<string, number>()
  const card = (
    pollId: string | null,
    text: string,
    extra: Partial<CardRecord> & { upvotes?: number } = {},
  ): CardRecord => {
    const { upvotes: count = 0, ...rest } = extra
    const n = upvotes.size
    const id = `seededcard${n}`
    upvotes.set(id, count)
    const base = { id, pollId, participantId: `seeded-author-${n}`, text, name: null, at: Date.now() + n }
    return { ...base, status: 'shown', pinned: false, answered: false, ...rest }
  }
  for (const poll of polls) {
    const ids = poll.options.map((option) => option.id)
    if (poll.id === UNANSWERED) continue
    switch (poll.kind) {
      case 'single':
      case 'quiz':
        // 7, 4, 2, 1 votes for the first options: easy to find again as bar values.
        ids.slice(0, 4).forEach((id, i) => {
          for (let n = 0; n < ([7, 4, 2, 1][i] ?? 0); n++) votes.push({ pollId: poll.id, answer: [id] })
        })
        expected.set(poll.id, 14)
        break
      case 'multiple':
        for (let n = 0; n < 9; n++) votes.push({ pollId: poll.id, answer: ids.slice(0, 1 + (n % 2)) })
        expected.set(poll.id, 9)
        break
      case 'scale': {
        const points = [ids[1], ids[2], ids[2], ids.at(-1)].filter((id): id is string => Boolean(id))
        for (const point of points) votes.push({ pollId: poll.id, answer: [point] })
        expected.set(poll.id, points.length)
        break
      }
      case 'words':
        for (let n = 0; n < 5; n++) votes.push({ pollId: poll.id, answer: [SEEDED_WORD] })
        votes.push({ pollId: poll.id, answer: ['trust'] }, { pollId: poll.id, answer: [HOSTILE_WORD] })
        expected.set(poll.id, 7)
        break
      case 'steps':
        votes.push({ pollId: poll.id, answer: [PRIVATE_STEP, 'Another private step'] })
        expected.set(poll.id, 1)
        break
      case 'reactions':
        if (ids[0]) await store.addReactions(session.id, [{ pollId: poll.id, emoji: ids[0], count: REACTION_TAPS }])
        expected.set(poll.id, REACTION_TAPS)
        break
      case 'ranking':
        // Three people rank the options last-first, two first-last: the last option leads on
        // Borda points (3 × (n − 1)).
        for (let n = 0; n < 5; n++) {
          const order = n < 3 ? [...ids].reverse() : ids
          votes.push({ pollId: poll.id, answer: order.map((id, i) => rankKey(id, i + 1)) })
        }
        expected.set(poll.id, 5)
        break
      case 'matrix':
        // Four people agree on the first item, and spread the others.
        for (let n = 0; n < 4; n++) {
          votes.push({
            pollId: poll.id,
            answer: ids.map((id, i) => (i === 0 ? pointKey(id, 8, 2) : pointKey(id, n * 3, 10 - n * 2))),
          })
        }
        expected.set(poll.id, 4)
        break
      case 'text':
        cards.push(
          card(poll.id, OPEN_ANSWER, { upvotes: 3 }),
          card(poll.id, HOSTILE_ANSWER),
          card(poll.id, HIDDEN_ANSWER, { status: 'hidden', upvotes: 9 }),
        )
        break
    }
  }
  cards.push(
    card(null, TOP_QUESTION, { upvotes: 5, answered: true }),
    card(null, NAMED_QUESTION, { upvotes: 2, name: 'Ana <i>' }),
    card(null, HIDDEN_QUESTION, { status: 'hidden', upvotes: 7 }),
    card(null, WAITING_QUESTION, { status: 'waiting' }),
  )
  await store.saveCards(session.id, cards)
  await store.saveUpvotes(
    session.id,
    cards.flatMap((seeded, i) =>
      Array.from({ length: upvotes.get(seeded.id) ?? 0 }, (_, n) => ({
        cardId: seeded.id,
        participantId: `seeded-fan-${i}-${n}`,
        on: true,
      })),
    ),
  )
  await store.saveVotes(
    votes.map((vote, i) => ({
      sessionId: session.id,
      pollId: vote.pollId,
      participantId: `seeded-participant-${i}`,
      answer: vote.answer,
      voteId: `seeded-vote-${i}`,
      at: Date.now(),
    })),
  )
  await store.close()
  result = run(['--session', 'current', '--out', out.path, '--data-dir', data.path])
}, 660_000)

afterAll(() => {
  data?.remove()
  out?.remove()
})

describe('npm run handouts', () => {
  it('writes, for each deck, the slides, a handout, a guide and the follow-up, the cards for the workshop, and says what it wrote', () => {
    expect(result.status, result.stderr + result.stdout).toBe(0)
    for (const file of [
      'slides-workshop.pdf',
      'slides-short.pdf',
      'handout-workshop.pdf',
      'facilitator-guide-workshop.pdf',
      'scenario-cards.pdf',
      'follow-up-workshop.md',
      'handout-short.pdf',
      'facilitator-guide-short.pdf',
      'follow-up-short.md',
      'slides-sprint-retrospective.pdf',
      'handout-sprint-retrospective.pdf',
      'facilitator-guide-sprint-retrospective.pdf',
      'follow-up-sprint-retrospective.md',
    ]) {
      expect(existsSync(join(out.path, file)), file).toBe(true)
      expect(result.stdout).toContain(file)
    }
    expect(result.stdout).toMatch(/\[1\/\d+\] Slides PDF \(workshop\)/) // every deck in slides/, the workshop first
    expect(result.stdout).toMatch(/Total time: \d+(\.\d)? s/)
  })

  it('has one slides page per slide, and a handout and guide of the expected length', async () => {
    const short = await loadDeck('short')
    expect(await pageCount(join(out.path, 'slides-workshop.pdf'))).toBe(deck.slides.length)
    expect(await pageCount(join(out.path, 'slides-short.pdf'))).toBe(short.slides.length)
    // The cover, what the room said, the breakdown and the two worksheet pages: no slides unless asked.
    const fixed = 1 + 1 + 2
    const handout = await pageCount(join(out.path, 'handout-workshop.pdf'))
    expect(handout).toBeGreaterThan(fixed)
    expect(handout).toBeLessThan(fixed + 6)
    const guide = await pageCount(join(out.path, 'facilitator-guide-workshop.pdf'))
    expect(guide).toBeGreaterThanOrEqual(Math.ceil(deck.slides.length / 5))
    expect(guide).toBeLessThan(deck.slides.length)
    const size = (await PDFDocument.load(readFileSync(join(out.path, 'handout-workshop.pdf')))).getPage(3).getSize()
    // A4 (Chromium rounds the page size to within a point).
    expect(Math.abs(size.width - 595.3)).toBeLessThan(1)
    expect(Math.abs(size.height - 841.9)).toBeLessThan(1)
  })

  it('puts every section heading in the slides and the guide, and the breakdown and the worksheet in the handout', () => {
    for (const file of ['slides-workshop.pdf', 'facilitator-guide-workshop.pdf']) {
      const text = pdfText(join(out.path, file)).toLowerCase()
      for (const heading of SECTION_HEADINGS) expect(text, `${heading} in ${file}`).toContain(heading.toLowerCase())
    }
    const handout = pdfText(join(out.path, 'handout-workshop.pdf')).toLowerCase()
    for (const row of BREAKDOWN_ROWS) expect(handout, row).toContain(row.toLowerCase())
    expect(handout).toContain('the breakdown')
    expect(handout).toContain('which hat does your moment need first?')
    expect(handout).toContain('your first sentence')
    expect(handout).toContain('your next step, said out loud')
    expect(handout).toContain('a 10-minute focus, this week')
    // The worksheet's boxes are the focus time's own prompts, as the slide gives them.
    expect(loadActionPrompts()).toHaveLength(3)
    for (const prompt of loadActionPrompts()) expect(handout).toContain(fold(prompt).toLowerCase())
    // Further reading: the article's titles, and that the handout has no addresses for them.
    expect(handout).toContain('titles only: ask your facilitator where to find them')
    // The cover's contents, in print order: what the room said first.
    const contents = ['what the room said', 'the breakdown, from the article', 'your moment:', 'your next step, and']
    const at = contents.map((entry) => handout.indexOf(entry))
    expect(at.every((index) => index >= 0)).toBe(true)
    expect([...at].sort((a, b) => a - b)).toEqual(at)
  })

  it('shows what the room said first, drawn from the seeded session, never an empty chart', () => {
    const handout = pdfText(join(out.path, 'handout-workshop.pdf'))
    expect(handout).toContain('What the room said')
    // First after the cover: before the breakdown's page.
    const breakdown = handout.toLowerCase().indexOf('from the article · side by side')
    expect(breakdown).toBeGreaterThan(0)
    expect(handout.indexOf('Anonymous, as voted on phones')).toBeLessThan(breakdown)
    const inDeck = new Set(deck.slides.map((slide) => slide.pollId).filter(Boolean))
    const byKind = (kind: string) => polls.find((poll) => poll.kind === kind && inDeck.has(poll.id))
    for (const poll of polls.filter((p) => inDeck.has(p.id) && p.id !== UNANSWERED)) {
      expect(handout, poll.question).toContain(fold(poll.question).slice(0, 40))
    }
    // The poll nobody answered is named, not drawn.
    const unanswered = polls.find((poll) => poll.id === UNANSWERED)
    expect(handout).toMatch(/left out: "Before you go/)
    expect(handout.match(new RegExp(fold(unanswered?.question ?? '?').slice(0, 30), 'g'))).toHaveLength(1)
    expect(handout).not.toMatch(/No answers were recorded|No answers yet/)
    if (byKind('single')) expect(handout.toLowerCase()).toContain('14 answers')
    if (byKind('scale')) expect(handout).toMatch(/average \d+\.\d/)
    if (byKind('steps')) {
      expect(handout).toMatch(/1 person saved action steps/)
      expect(handout).not.toContain(PRIVATE_STEP)
    }
    // The slides PDF shows the same stored results on its poll slides.
    if (byKind('single')) expect(pdfText(join(out.path, 'slides-workshop.pdf'))).toMatch(/14 answers/)
  })

  it('prints the 2×2 of the room’s moments and the room’s questions; never what the room could not read', () => {
    const handout = pdfText(join(out.path, 'handout-workshop.pdf'))
    const matrix = polls.find((poll) => poll.kind === 'matrix' && deck.slides.some((slide) => slide.pollId === poll.id))
    expect(matrix, 'the workshop plots the room’s moments on a 2×2').toBeTruthy()
    // The 2×2 of everyone's own moment: no average (a point nobody placed), each dot a person, and
    // the share of the room in each quarter (all four people at 8 across and 2 up: open, can wait).
    expect(matrix?.options).toHaveLength(1)
    expect(handout).toContain('4 people placed theirs')
    expect(handout).toContain(`100% ${fold(matrix?.y?.low ?? '')} · ${fold(matrix?.x?.high ?? '')}`)
    expect(handout).toContain('Each dot: one person’s answer'.replace('’', "'"))
    expect(handout).not.toMatch(/Numbered discs|across 8\.0/)
    // Participants have no slide numbers: no poll's kind, timer or slide in their handout.
    expect(handout).not.toMatch(/SINGLE CHOICE|Single choice ·|QUIZ ·|slide \d+:|Questions from the room · slide/i)
    expect(handout).toContain('Your questions')
    expect(handout).toContain(TOP_QUESTION)
    expect(handout).toMatch(/Answered/i)
    expect(handout).toMatch(/5 votes/)
    expect(handout).toContain(`${NAMED_QUESTION} — Ana <i>`)
    for (const unseen of [HIDDEN_QUESTION, WAITING_QUESTION]) expect(handout).not.toContain(unseen)
    // The guide prints the same with --session, and what is left for the follow-up message.
    const guide = pdfText(join(out.path, 'facilitator-guide-workshop.pdf'))
    expect(guide).toContain('What the room said')
    const followUp = guide.slice(guide.indexOf('Questions to answer in the follow-up message'))
    expect(followUp).toContain(NAMED_QUESTION)
    expect(followUp.slice(0, followUp.indexOf(NAMED_QUESTION))).not.toContain(TOP_QUESTION) // answered
    for (const unseen of [HIDDEN_QUESTION, WAITING_QUESTION]) expect(guide).not.toContain(unseen)
  })

  it('gives the guide the agenda with each block’s floor, every slide with its timing, and the notes rendered as text', () => {
    const guide = pdfText(join(out.path, 'facilitator-guide-workshop.pdf'))
    expect(guide).toContain('Agenda')
    for (const row of deck.agenda) expect(guide).toContain(fold(row.title))
    for (const block of blocksOf(deck)) {
      const floor = `${Math.round((block.floorSeconds / 60) * 10) / 10} min ${block.row.minutes} min`
      expect(guide, block.row.title).toContain(`${fold(block.row.title)} ${floor}`)
    }
    for (const slide of deck.slides) expect(guide).toContain(fold(slide.title).slice(0, 30))
    // One time format: the clock from --start (9:00 by default), and how far in.
    expect(guide).toMatch(/9:00 · 0:00 in/)
    expect(guide).not.toMatch(/starts at minute/)
    expect(guide).toContain('STARTS SECTION FLOOR LENGTH') // no "mostly" column of hats
    // The join slide's thumbnail shows no address (whatever the export used is not one to print).
    expect(guide).toContain('The QR code and the address phones open appear here when you present.')
    expect(guide).not.toMatch(/\/vote\b/)
    // The workshop has no word cloud, so the checklist says nothing about one.
    expect(guide).not.toMatch(/word cloud/i)
    expect(guide).toMatch(/\b3 min\b/)
    expect(guide).not.toMatch(/\*\*(Say|Ask|Do):\*\*/) // Markdown rendered, not shown raw
  })

  it('gives the guide run sheets with clock times, in the room and remote, and what a producer does', () => {
    const guide = pdfText(join(out.path, 'facilitator-guide-workshop.pdf'), true)
    const sheet = guide.slice(guide.indexOf('Run sheet, in the room'), guide.indexOf('Run sheet, remote'))
    // Every slide at its clock time from 9:00, the default start.
    for (const slide of deck.slides) {
      const minutes = 9 * 60 + slide.startsAt / 60
      const clock = `${Math.floor(minutes / 60)}:${String(Math.floor(minutes % 60)).padStart(2, '0')}`
      expect(sheet, slide.title).toContain(`${clock} ${slide.number} ${fold(slide.title)}`)
    }
    expect(sheet).toMatch(/walks the room/)
    expect(sheet).toContain('CO-FACILITATOR / PRODUCER') // (headers print in capitals)
    // Each checkpoint, under its slide: the time to be there by, and the cut.
    expect(deck.checkpoints.length).toBeGreaterThan(0)
    for (const point of deck.checkpoints) {
      const by = 9 * 60 + point.by
      const clock = `${Math.floor(by / 60)}:${String(by % 60).padStart(2, '0')}`
      expect(sheet).toContain(`Checkpoint: not on slide ${point.slide} by ${clock}?`)
    }
    const remote = guide.slice(guide.indexOf('Run sheet, remote'))
    const total = deck.agenda.reduce((sum, row) => sum + (row.remote?.minutes ?? 0), 0)
    expect(remote).toContain(`runs ${total} minutes instead of ${deck.minutes}`)
    for (const row of deck.agenda) expect(remote).toContain(`${row.minutes} min ${row.remote?.minutes} min`)
  })

  it('prints one sheet per table (a copy of its moment for everyone, and the table’s card) and own-moment cards', async () => {
    const file = join(out.path, 'scenario-cards.pdf')
    expect(moments.length).toBeGreaterThanOrEqual(4)
    // A sheet per table, then the page of own-moment cards.
    expect(await pageCount(file)).toBe(moments.length + 1)
    for (const moment of moments) {
      const page = pdfText(file, false, moment.number)
      // Six copies to read in the silent minute, one card to write the table's call on.
      expect(page.split(fold(moment.text)).length - 1, moment.title).toBe(6)
      expect(page.split(fold(moment.who)).length - 1, moment.title).toBe(6)
      expect(page, moment.title).toMatch(new RegExp(`Table ${moment.number} · your table's call`, 'i'))
      expect(page.match(/The leader hat's case:/g), moment.title).toHaveLength(1)
      expect(page.match(/The manager hat's case:/g), moment.title).toHaveLength(1)
      expect(page).toContain('Whoever holds this card writes')
      expect(page).toContain('The first sentence we would say:')
    }
    // Moments of several shapes, some without direct reports.
    expect(new Set(moments.map((moment) => moment.who)).size).toBe(moments.length)
    expect(moments.filter((moment) => /freelancer|solo|peer|client/i.test(moment.who)).length).toBeGreaterThanOrEqual(3)
    // Four own-moment cards to a page, each with room for both cases and the person's own sentence.
    const own = pdfText(file, false, moments.length + 1)
    expect(own.match(/your own moment\b/gi)).toHaveLength(4)
    expect(own.match(/The leader hat's case:/g)).toHaveLength(4)
    expect(own.match(/The first sentence I would say:/g)).toHaveLength(4)
    expect(own).not.toContain('we would say')
    expect(pdfText(file).toLowerCase()).toContain('cut along the dashed lines')
  })

  it('keeps the scenario key out of the participant handout; the guide and the follow-up have it', () => {
    const handout = pdfText(join(out.path, 'handout-workshop.pdf'))
    const guide = pdfText(join(out.path, 'facilitator-guide-workshop.pdf'))
    // What the room said (printed after the session) shows the round's reveal; nothing else may.
    const kept = handout.slice(handout.toLowerCase().indexOf('from the article · side by side'))
    expect(kept.length).toBeGreaterThan(1000)
    const inDeck = new Set(deck.slides.map((slide) => slide.pollId))
    const rounds = polls.filter((poll) => poll.kind === 'quiz' && inDeck.has(poll.id))
    expect(rounds.length).toBeGreaterThanOrEqual(1)
    for (const poll of rounds) {
      const suggestion = fold(poll.explain ?? '').slice(0, 60)
      expect(guide, poll.id).toContain(suggestion)
      expect(kept, poll.id).not.toContain(suggestion)
    }
    for (const moment of moments) {
      const reading = fold(moment.reading).slice(0, 60)
      expect(guide, moment.title).toContain(reading)
      expect(handout, moment.title).not.toContain(reading)
    }
    expect(kept).not.toMatch(/\bKey\b/)
    for (const title of loadFurtherReading()) expect(kept).toContain(fold(title))
  })

  it('gives the guide what it takes to run the session alone', () => {
    const guide = pdfText(join(out.path, 'facilitator-guide-workshop.pdf'))
    for (const heading of [
      'What participants leave with',
      'Run sheet, in the room',
      'Run sheet, remote',
      'People talking to each other',
      'Before you start',
      'Materials',
      'Room set-up',
      'One week before: pre-work',
      'Roles: you, a co-facilitator, a producer',
      'Remote or hybrid',
      'Adapting it',
      'People without direct reports',
      'Large rooms',
      'Non-native speakers',
      'No phones, or some without',
      'Accessibility of the activities',
      'When someone pushes back',
      '"This is a blog post, not research."',
      'Earlier groups: comparing the groups of one client',
      'If a poll gets no answers, or the Wi-Fi fails',
      'The timing floor, for a room of 30',
      'Scenario key: suggested readings',
      'Block 5 · Your moment, at your tables (1-2-4-All)',
      'The article, in full',
    ]) {
      expect(guide).toContain(heading)
    }
    expect(pdfText(join(out.path, 'facilitator-guide-workshop.pdf'), true)).toMatch(/Buffer: slack for overruns +8 min/)
    // The article by its exact title, and what the facilitator must settle before printing it.
    const title = 'Management vs Leadership: The Difference That Can Make or Break Your Success'
    const checklist = guide.slice(guide.indexOf('Before you start'))
    expect(checklist).toContain(`"${title}"`)
    expect(checklist).toMatch(/Confirm where it comes from .* and your right to reprint it/)
    // Its text at the end, for the facilitator's preparation, its lists and table as such.
    const source = guide.slice(guide.indexOf('The article, in full'))
    expect(source).toContain('The article, in full: for your preparation')
    expect(source).toContain('not for handing out')
    expect(source).toContain(title)
    expect(source).toContain('You become trusted, respected, and magnetic to work with.')
    expect(source).not.toMatch(/---\||\| 🧭|^- /m)
    // Every poll of the deck with its version for a room without phones, and what it is used for.
    const pollSlides = deck.slides.filter((slide) => slide.pollId)
    expect(guide.match(/Without phones: /g)?.length).toBeGreaterThanOrEqual(pollSlides.length)
    expect(guide.match(/Used later: /g)?.length).toBeGreaterThanOrEqual(pollSlides.length)
  })

  it('gives the short deck its own handout and guide, with its run sheets and materials', () => {
    const guide = pdfText(join(out.path, 'facilitator-guide-short.pdf'))
    for (const heading of ['Run sheet, in the room', 'Run sheet, remote', 'Materials', 'Room set-up', 'Adapting it']) {
      expect(guide).toContain(heading)
    }
    expect(guide).not.toContain('Scenario key')
    const handout = pdfText(join(out.path, 'handout-short.pdf'))
    expect(handout).toContain('Which hat does your moment need first?')
    // The lunch and learn has no 2×2: its worksheet asks no one to mark one.
    expect(handout).not.toContain('Mark it on the kit')
    expect(pdfText(join(out.path, 'handout-workshop.pdf'))).toContain('Mark it on the kit')
  })

  it('writes the follow-up messages: a thank-you with the key, then one question at one and at four weeks', () => {
    const text = readFileSync(join(out.path, 'follow-up-workshop.md'), 'utf8')
    expect(text).toMatch(/^# Follow-up messages: Management vs Leadership/)
    expect(text).toMatch(/## 1\. The day after/)
    expect(text).toMatch(/## 2\. One week later: one question/)
    expect(text).toMatch(/## 3\. Four weeks later: one question/)
    for (const moment of moments) expect(text).toContain(moment.reading)
    for (const title of loadFurtherReading()) expect(text).toContain(title)
    expect(text).not.toMatch(/\{\{|\}\}/)
    // Printed for a session: the pulses' links, for that session, as presenter view gives them.
    const week = text.slice(text.indexOf('## 2. One week later'), text.indexOf('## 3. Four weeks later'))
    expect(week).toMatch(/http:\/\/\S+\/vote\?s=1&q=pulse-1w\b/)
    expect(text.slice(text.indexOf('## 3. Four weeks later'))).toMatch(/\/vote\?s=1&q=pulse-4w\b/)
  })

  it('prints no blank pages', () => {
    for (const file of [
      'scenario-cards.pdf',
      'handout-workshop.pdf',
      'facilitator-guide-workshop.pdf',
      'handout-short.pdf',
      'facilitator-guide-short.pdf',
      'slides-workshop.pdf',
      'slides-short.pdf',
    ]) {
      const ink = inkPerPage(join(out.path, file), out.path, file.replace('.pdf', ''))
      expect(ink.length).toBeGreaterThan(0)
      for (const [page, share] of ink.entries()) expect(share, `${file} page ${page + 1}`).toBeGreaterThan(0.004)
    }
  })

  it('tells an export of empty pages (an error, never a blank PDF) from the slides', async () => {
    const blank = await PDFDocument.create()
    for (let i = 0; i < 40; i++) blank.addPage([980, 551])
    const file = join(data.path, 'blank.pdf')
    writeFileSync(file, await blank.save())
    expect(await isBlank(file)).toBe(true)
    for (const file of ['slides-short.pdf', 'slides-workshop.pdf'])
      expect(await isBlank(join(out.path, file)), file).toBe(false)
  })

  it('prints US Letter with --letter, for the chosen deck only, and the slides only when asked, never a live one', async () => {
    const letter = tempDir('kit-handouts-letter-')
    try {
      const res = run(['--letter', '--slides', '--deck', 'short', '--out', letter.path, '--data-dir', data.path])
      expect(res.status, res.stderr + res.stdout).toBe(0)
      // The short deck has no table work, so no cards.
      expect(readdirSync(letter.path).sort()).toEqual([
        'facilitator-guide-short.pdf',
        'follow-up-short.md',
        'handout-short.pdf',
        'slides-short.pdf',
      ])
      const file = join(letter.path, 'handout-short.pdf')
      const doc = await PDFDocument.load(readFileSync(file))
      expect(doc.getPage(1).getWidth()).toBeCloseTo(612, 0)
      expect(doc.getPage(1).getHeight()).toBeCloseTo(792, 0)
      const text = pdfText(file)
      // Without --session there is no results section.
      expect(text).not.toContain('What the room said')
      // The slides are in, as their own vector pages (their text is in the PDF)...
      const short = await loadDeck('short')
      const kept = short.slides.filter((slide) => !slide.live)
      expect(kept.length).toBeGreaterThan(3)
      expect(text).toContain('Does your first sentence wear the hat you chose?')
      expect(text.toLowerCase()).toContain(`slides ${kept[0]?.number}`)
      // ...but no page shows a join code, an empty chart or a timer.
      expect(text).not.toMatch(/\/vote\b|Grab your phone|No answers yet|Voting open|Vote now/i)
      expect(text).not.toMatch(/\b0\d:[0-5]\d\b/)
      expect(await pageCount(file)).toBe(4 + Math.ceil(kept.length / 3))
      const ink = inkPerPage(file, letter.path, 'letter')
      for (const [page, share] of ink.entries()) expect(share, `letter page ${page + 1}`).toBeGreaterThan(0.004)
    } finally {
      letter.remove()
    }
  }, 660_000)
})

describe('npm run handouts: problems are one sentence', () => {
  const oneSentence = (stderr: string) => {
    const lines = stderr.trim().split('\n').filter(Boolean)
    expect(lines, stderr).toHaveLength(1)
    expect(stderr).not.toMatch(/\n\s+at /) // no stack trace
    return lines[0] ?? ''
  }

  it('says how to install Chromium when there is none', () => {
    const res = run(['--out', join(data.path, 'none')], { CHROMIUM_PATH: '/nonexistent' }, 60_000)
    expect(res.status).toBe(1)
    expect(oneSentence(res.stderr)).toMatch(/apt-get install chromium/)
    expect(existsSync(join(data.path, 'none'))).toBe(false)
  })

  it('names the problem with an unknown session', () => {
    const res = run(['--session', '999', '--data-dir', data.path, '--out', join(data.path, 'none')], {}, 60_000)
    expect(res.status).toBe(1)
    expect(oneSentence(res.stderr)).toMatch(/no session "999"/)
  })

  it('names the problem with an unknown deck or flag', () => {
    expect(oneSentence(run(['--deck', 'nope'], {}, 60_000).stderr)).toMatch(/no deck "nope"/)
    expect(oneSentence(run(['--colour'], {}, 60_000).stderr)).toMatch(/Unknown option --colour/)
  })
})

describe('handout building blocks', () => {
  it('reads the --deck and --session flags', () => {
    const decks = ['short', 'workshop']
    const base = parseOptions([], decks, {}, '/tmp')
    expect(base.slideDecks).toEqual(['workshop', 'short'])
    // The short deck gets its handout and guide by default too.
    expect(base.docDecks).toEqual(['workshop', 'short'])
    expect(base.session).toBeUndefined()
    expect(base.slides).toBe(false)
    expect(base.start).toBe(9 * 60)
    expect(parseOptions(['--deck', 'short'], decks, {}, '/tmp').docDecks).toEqual(['short'])
    expect(parseOptions(['--deck', 'all'], decks, {}, '/tmp').docDecks).toEqual(['workshop', 'short'])
    expect(parseOptions(['--slides', '--start', '14:05'], decks, {}, '/tmp')).toMatchObject({
      slides: true,
      start: 845,
    })
    expect(parseClock('7:30')).toBe(450)
    expect(() => parseClock('25:00')).toThrow(/--start needs a time like 09:30/)
    expect(() => parseClock('noon')).toThrow(/--start needs a time like 09:30/)
    expect(parseOptions(['--data-dir', 'x'], decks, { DATA_DIR: '/elsewhere' }, '/tmp').dataDir).toBe('/tmp/x')
    expect(parseOptions([], decks, { DATA_DIR: '/elsewhere' }, '/tmp').dataDir).toBe('/elsewhere')
  })

  it('renders notes Markdown safely', () => {
    const html = notesToHtml(
      '**Say:** Hello <script>alert(1)</script> *now*\n\n1. one\n2. `two`\n\n- [a](javascript:x)',
    )
    expect(html).toContain('<span class="cue cue-say">Say</span>')
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).not.toContain('<script>')
    expect(html).toContain('<em>now</em>')
    expect(html).toContain('<ol><li>one</li><li><code>two</code></li></ol>')
    expect(html).not.toContain('href')
    expect(escapeHtml(`"'<>&`)).toBe('&quot;&#39;&lt;&gt;&amp;')
    // A quoted message (the guide's pre-work) is a quote, its text still escaped.
    expect(notesToHtml('> Bring <b>five</b> lines\n> with you.')).toBe(
      '<blockquote><p>Bring &lt;b&gt;five&lt;/b&gt; lines with you.</p></blockquote>',
    )
  })

  it('prints the article as its text is written: headings, paragraphs, lists and its table', () => {
    const blocks = sourceBlocks(
      [
        'The Title',
        '1. First Things First: Two Words',
        'Great leaders:',
        '- Hold a <vision>.',
        '- Invest in people.',
        'Management vs. Leadership Breakdown',
        '🔍 Area | 🧭 Leadership | 🧩 Management |',
        '---|---|---|',
        'Purpose | Inspire | Execute |',
        'Final Thoughts:',
        'So here’s your reminder:',
      ].join('\n'),
    )
    expect(blocks).toEqual([
      '<h3 class="source-heading">1. First Things First: Two Words</h3>',
      '<p>Great leaders:</p>',
      '<ul class="source-list"><li>Hold a &lt;vision&gt;.</li><li>Invest in people.</li></ul>',
      '<h3 class="source-heading">Management vs. Leadership Breakdown</h3>',
      '<table class="source-table"><thead><tr><th scope="col">🔍 Area</th><th scope="col">🧭 Leadership</th><th scope="col">🧩 Management</th></tr></thead><tbody><tr><th scope="row">Purpose</th><td>Inspire</td><td>Execute</td></tr></tbody></table>',
      '<h3 class="source-heading">Final Thoughts:</h3>',
      '<p>So here’s your reminder:</p>',
    ])
  })

  it('shares a one-item 2×2 out by quarter, a point on a middle line half to each side', () => {
    const points = [
      { x: 8, y: 2, count: 2 }, // bottom right
      { x: 1, y: 9, count: 1 }, // top left
      { x: 5, y: 9, count: 1 }, // on the vertical middle line, at the top
    ]
    expect(quarterShares([{ points }], 10)).toEqual([0.375, 0.125, 0, 0.5])
    expect(quarterShares([{ points: [] }], 10)).toEqual([0, 0, 0, 0])
  })

  it('reads slide timings for each deck', () => {
    const note = 'Say hi.\n\n**Time:** 3 min (short deck: 2 min; reveal quickly)'
    expect(parseTiming(note, 'workshop').timing).toMatchObject({ seconds: 180, remark: 'reveal quickly' })
    expect(parseTiming(note, 'short').timing.seconds).toBe(120)
    expect(parseTiming(note, 'workshop').notes).toBe('Say hi.')
    expect(parseTiming('**Time:** 1.75 min (not in the short deck)', 'workshop').timing).toEqual({
      seconds: 105,
      text: '1.75 min (not in the short deck)',
    })
    expect(parseTiming('Quick one (30 s)', 'workshop').timing.seconds).toBe(30)
    expect(parseTiming('No time here', 'workshop').timing.seconds).toBeUndefined()
  })

  it('reads the breakdown table from the slide', () => {
    const rows = parseBreakdown(readFileSync(join(SLIDES_DIR, 'sections', '07-breakdown.md'), 'utf8'))
    expect(rows.map((row) => row.area.toLowerCase())).toEqual(BREAKDOWN_ROWS.map((row) => row.toLowerCase()))
  })

  it('draws every poll kind and escapes everything attendees typed', () => {
    const define = (raw: Record<string, unknown>) => PollDefinitionSchema.parse(raw)
    const result = (
      poll: PollDefinition,
      counts: Record<string, number>,
      total: number,
      mean?: number,
    ): PollResult => ({
      id: poll.id,
      kind: poll.kind,
      question: poll.question,
      options: poll.options,
      ...(poll.correct ? { correct: poll.correct } : {}),
      counts,
      total,
      ...(mean !== undefined ? { mean } : {}),
    })
    const single = define({ id: 'a', question: 'Pick <one>', options: ['Leader hat', 'Manager <hat>'] })
    const singleHtml = pollCard(result(single, { 'leader-hat': 3, 'manager-hat': 1 }, 4), single)
    expect(singleHtml).toContain('Pick &lt;one&gt;')
    expect(singleHtml).toContain('Manager &lt;hat&gt;')
    expect(singleHtml).toMatch(/<strong>3<\/strong><span>75%<\/span>/)
    const quiz = define({ id: 'q', kind: 'quiz', question: 'Q', options: ['A', 'B'], correct: 'B' })
    expect(pollCard(result(quiz, { a: 1, b: 2 }, 3), quiz)).toContain('suggested answer')
    const scale = define({ id: 's', kind: 'scale', question: 'S', min: 1, max: 5, maxLabel: '<max>' })
    const scaleHtml = pollCard(result(scale, { 1: 1, 5: 1 }, 2, 3), scale)
    expect(scaleHtml).toContain('average 3.0')
    expect(scaleHtml).toContain('&lt;max&gt;')
    const words = define({ id: 'w', kind: 'words', question: 'W' })
    const wordsHtml = pollCard(result(words, { '<img src=x onerror=alert(1)>': 2, trust: 5 }, 7), words)
    expect(wordsHtml).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(wordsHtml).not.toContain('<img')
    const reactions = define({ id: 'r', kind: 'reactions', question: 'R' })
    expect(pollCard(result(reactions, { '👍': 4 }, 4), reactions)).toContain('4 taps')
    const steps = define({ id: 'st', kind: 'steps', question: 'Steps' })
    expect(pollCard(result(steps, { 'secret plan': 1 }, 1), steps)).not.toContain('secret plan')
    expect(pollCard(result(single, {}, 0), single)).toContain('No answers')

    // The new kinds: the room's order, the 2×2, open answers and questions, escaped, shown only.
    const ranking = define({ id: 'rk', kind: 'ranking', question: 'R', options: ['<A>', 'B', 'C'] })
    // Three people: B earns 2 + 2 + 1 = 5 Borda points, A 1 + 1 + 2 = 4, C none.
    const ranked = { 'a@1': 1, 'a@2': 2, 'b@1': 2, 'b@2': 1, 'c@3': 3 }
    const rankingHtml = pollCard(result(ranking, ranked, 3), ranking)
    expect(rankingHtml).toContain('&lt;A&gt;')
    expect(rankingHtml).toMatch(/Borda points/)
    expect(rankingHtml.indexOf('>B<')).toBeLessThan(rankingHtml.indexOf('&lt;A&gt;'))
    expect(rankingHtml).toMatch(/<strong>5<\/strong>/)
    const matrix = define({
      id: 'mx',
      kind: 'matrix',
      question: 'M',
      items: ['<img src=x>', 'Second'],
      x: { label: 'X', low: 'l', high: 'h' },
      y: { label: 'Y', low: 'l', high: 'h' },
      quadrants: ['TL', 'TR', 'BL', '<BR>'],
    })
    const matrixHtml = pollCard(result(matrix, { 'img-src-x@9,1': 2 }, 2), matrix)
    expect(matrixHtml).toContain('<svg class="matrix-plot"')
    expect(matrixHtml).toContain('across 9.0 · up 1.0')
    expect(matrixHtml).toContain('&lt;BR&gt;')
    expect(matrixHtml).not.toContain('<img')
    // One item each person places for themselves: no average, the room's share per quarter.
    const own = define({
      id: 'mx1',
      kind: 'matrix',
      question: 'M',
      items: ['<img src=x>'],
      x: { label: 'X', low: 'l', high: 'h' },
      y: { label: 'Y', low: 'l', high: 'h' },
      quadrants: ['TL', 'TR', 'BL', '<BR>'],
    })
    const ownHtml = pollCard(result(own, { 'img-src-x@9,1': 2, 'img-src-x@1,9': 2 }, 4), own)
    expect(ownHtml).not.toContain('across')
    expect(ownHtml).not.toContain('class="average"')
    expect(ownHtml).toMatch(/50%<\/span><div><strong>&lt;BR&gt;<\/strong>/)
    expect(ownHtml).toMatch(/50%<\/span><div><strong>TL<\/strong>/)
    expect(ownHtml).toContain('Each dot: one person’s answer')
    const shown = (text: string, extra: Partial<CardResult> = {}): CardResult => ({
      id: text,
      text,
      at: 1,
      upvotes: 0,
      status: 'shown',
      pinned: false,
      answered: false,
      ...extra,
    })
    const text = define({ id: 'tx', kind: 'text', question: 'T' })
    const wall = pollCard(
      {
        ...result(text, {}, 2),
        cards: [shown('<b>loud</b>', { upvotes: 1 }), shown('gone', { status: 'hidden' }), shown('=cmd()')],
      },
      text,
    )
    expect(wall).toContain('&lt;b&gt;loud&lt;/b&gt;')
    expect(wall).toContain('<strong>1</strong> like<')
    expect(wall).not.toContain('gone')
    expect(wall).toContain('2 answers')
    const asked = questionsCard([
      shown('Why?', { upvotes: 2, answered: true }),
      shown('held', { status: 'waiting' }),
      shown('hidden', { status: 'hidden' }),
    ])
    expect(asked).toContain('✓ Answered')
    expect(asked).not.toMatch(/held|>hidden/)
    expect(asked).toContain('1 question · 1 answered')
  })
})
