// The workshop a facilitator would run for a paying client, checked from the real deck sources
// (read with Slidev's own parser, as the handouts read them): agendas that keep a buffer and add
// up, every slide at or above the kit's timing floor, notes in the kit's cues, the breakdown
// before the practice that uses it, 1-2-4-All and trios on people's own moments, polls that are
// used afterwards, what is the article's and what is the kit's labelled, a close that measures,
// and the README's agenda tables equal to the decks'.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadBreakdown } from '../handouts/breakdown.ts'
import { type Block, blocksOf, type DeckInfo, loadDeck, type SlideInfo, TALK } from '../handouts/deck.ts'
import { followUpMarkdown } from '../handouts/follow-up.ts'
import { scenarioKey } from '../handouts/scenario-key.ts'
import { loadCheckRows, loadFurtherReading, loadGoals, loadMoments, type Moment } from '../handouts/slide-content.ts'
import { declaredSteps, floorSeconds, STEP_FLOOR, stepsOf, TimingFloorError } from '../handouts/timing-floor.ts'
import { deckEntry } from '../server/deck.ts'
import { readDeck } from '../server/deck-source.ts'
import type { PollDefinition } from '../server/poll-definition.ts'
import { loadPolls } from '../server/polls.ts'
import { ROOT, SLIDES_DIR } from '../server/settings.ts'

/** What each deck promises: its length, its buffer, and how much people talk to each other. */
const PLAN = {
  workshop: { minutes: 90, buffer: 8, talks: 5 },
  short: { minutes: 30, buffer: 2, talks: 3 },
} as const
type DeckName = keyof typeof PLAN
const NAMES = Object.keys(PLAN) as DeckName[]

/** The cues a slide's notes are written in (the guide gives each a badge). */
const CUES = [
  'Say',
  'Ask',
  'Do',
  'Debrief',
  'Cut if late',
  'Transition',
  'Without phones',
  'Used later',
  'Suggested readings',
]

const decks = new Map<DeckName, DeckInfo>()
/** Every slide's source text (content and notes), in deck order. */
const sources = new Map<DeckName, string[]>()
/** Every slide's content only (what the room sees), in deck order. */
const contents = new Map<DeckName, string[]>()
let polls: Map<string, PollDefinition>
let moments: Moment[]

beforeAll(async () => {
  for (const name of NAMES) {
    decks.set(name, await loadDeck(name))
    const { slides } = await readDeck(deckEntry(name))
    sources.set(
      name,
      slides.map((slide) => `${slide.content}\n${slide.note ?? ''}`),
    )
    contents.set(
      name,
      slides.map((slide) => slide.content),
    )
  }
  polls = new Map((await loadPolls(SLIDES_DIR)).map((poll) => [poll.id, poll]))
  moments = loadMoments()
})

const deck = (name: DeckName) => decks.get(name) as DeckInfo
const minutes = (slide: SlideInfo) => (slide.timing.seconds ?? 0) / 60
const indexOf = (name: DeckName, find: (slide: SlideInfo) => boolean) => deck(name).slides.findIndex(find)
/** Folds quotes of every kind and spacing, so the article's lines compare with the slides' text. */
const plain = (text: string) => text.replace(/[’‘“”'"]/g, "'").replace(/\s+/g, ' ')
const article = plain(readFileSync(join(SLIDES_DIR, 'source', 'management-vs-leadership.txt'), 'utf8'))

describe.each(NAMES)('%s deck: the agenda keeps slack and adds up', (name) => {
  it('has a buffer row, and the blocks plus the buffer equal the deck’s duration', () => {
    const { agenda, minutes: duration } = deck(name)
    const buffer = agenda.filter((row) => row.buffer).reduce((sum, row) => sum + row.minutes, 0)
    const blocks = agenda.filter((row) => !row.buffer).reduce((sum, row) => sum + row.minutes, 0)
    expect(duration).toBe(PLAN[name].minutes)
    expect(buffer).toBe(PLAN[name].buffer)
    expect(blocks + buffer).toBe(duration)
  })

  it('fills every block with slides whose planned times add up to the block’s minutes', () => {
    const blocks = blocksOf(deck(name))
    for (const block of blocks) {
      expect(block.slides.length, block.row.title).toBeGreaterThan(0)
      expect(block.seconds / 60, block.row.title).toBe(block.row.minutes)
    }
    expect(blocks.flatMap((block) => block.slides)).toHaveLength(deck(name).slides.length)
  })

  it('has a remote variant of every block, never shorter than the block in the room', () => {
    for (const row of deck(name).agenda) {
      expect(row.remote?.minutes, row.title).toBeGreaterThanOrEqual(row.minutes)
      if (!row.buffer) expect(row.remote?.how, row.title).toBeTruthy()
    }
  })
})

describe.each(NAMES)('%s deck: time for a real room of 30', (name) => {
  it('plans every slide at or above its timing floor', () => {
    const under = deck(name)
      .slides.filter((slide) => (slide.timing.seconds ?? 0) < slide.floorSeconds)
      .map((slide) => `slide ${slide.number} (${slide.title}): ${minutes(slide)} min, floor ${slide.floorSeconds / 60}`)
    expect(under).toEqual([])
  })

  it('keeps every block at or above the sum of its slides’ floors', () => {
    for (const block of blocksOf(deck(name))) {
      expect(block.floorSeconds, block.row.title).toBeGreaterThan(0)
      expect(block.row.minutes * 60, block.row.title).toBeGreaterThanOrEqual(block.floorSeconds)
    }
  })

  it('counts what the room does: the join, each poll, each regroup and report-back', () => {
    const slides = deck(name).slides
    const join = slides.find((slide) => slide.floor.join)
    expect(join && stepsOf(join.floor)).toContain('join')
    for (const slide of slides.filter((candidate) => candidate.pollId)) {
      const kind = polls.get(slide.pollId ?? '')?.kind
      if (kind !== 'steps' && kind !== 'reactions') expect(stepsOf(slide.floor).length, slide.title).toBeGreaterThan(0)
    }
    for (const slide of slides.filter((candidate) => candidate.activity && TALK.includes(candidate.activity))) {
      // Talking to each other always costs a brief; a working time is always given.
      expect(stepsOf(slide.floor), slide.title).toContain('brief')
      expect(slide.floor.minutes, slide.title).toBeGreaterThan(0)
    }
  })
})

describe('the timing floor (handouts/timing-floor.ts)', () => {
  it('reads a slide’s steps from its poll, its join code, its activity and what it declares', () => {
    expect(stepsOf({ join: true })).toEqual(['join'])
    expect(stepsOf({ poll: { kind: 'quiz', timer: 40 } })).toEqual(['round'])
    expect(stepsOf({ poll: { kind: 'quiz' } })).toEqual(['poll'])
    expect(stepsOf({ poll: { kind: 'matrix' } })).toEqual(['placing'])
    expect(stepsOf({ poll: { kind: 'text' } })).toEqual(['wall'])
    expect(stepsOf({ poll: { kind: 'steps' }, activity: 'alone' })).toEqual(['brief'])
    expect(stepsOf({ activity: 'tables' })).toEqual(['brief', 'tables'])
    expect(stepsOf({ activity: 'tables', steps: ['brief'] })).toEqual(['brief'])
    expect(stepsOf({ questions: true })).toEqual(['questions'])
    // Steps add up with the working time; a slide is never under a reading's time.
    expect(floorSeconds({ activity: 'trios', minutes: 6 })).toBe(30 + 60 + 360)
    expect(floorSeconds({ steps: ['report', 'report', 'report', 'voice'] })).toBe(210)
    expect(floorSeconds({})).toBe(STEP_FLOOR.read.seconds)
  })

  it('names the slide and the known steps when a declared step is unknown', () => {
    expect(declaredSteps(['report', 'voice'], 'x.md, slide 3')).toEqual(['report', 'voice'])
    expect(() => declaredSteps(['nap'], 'x.md, slide 3')).toThrow(TimingFloorError)
    expect(() => declaredSteps(['nap'], 'x.md, slide 3')).toThrow(/x\.md, slide 3: "steps" has "nap"; use read, join/)
  })
})

describe.each(NAMES)('%s deck: notes a facilitator can run from', (name) => {
  it('gives every slide notes in the kit’s cues, something to say or do, and a planned time', () => {
    for (const slide of deck(name).slides) {
      const at = `slide ${slide.number} (${slide.title})`
      expect(slide.notes.length, at).toBeGreaterThan(40)
      expect(slide.timing.seconds, at).toBeGreaterThan(0)
      expect(slide.notes, at).toMatch(/\*\*(Say|Do):\*\*/)
      for (const [, cue] of slide.notes.matchAll(/^\*\*([^*]+?):\*\*/gm)) expect(CUES, `${at}: ${cue}`).toContain(cue)
    }
  })

  it('opens every block with what to cut when late, and every block after the first with a transition', () => {
    for (const [i, block] of blocksOf(deck(name)).entries()) {
      const first = block.slides[0] as SlideInfo
      expect(first.notes, `${block.row.title}: cut if late`).toMatch(/\*\*Cut if late:\*\*/)
      if (i > 0) expect(first.notes, `${block.row.title}: transition`).toMatch(/\*\*Transition:\*\*/)
    }
  })

  it('says what every poll is used for afterwards, and how to run it without phones', () => {
    const pollSlides = deck(name).slides.filter((slide) => slide.pollId)
    expect(pollSlides.length).toBeGreaterThan(3)
    for (const slide of pollSlides) {
      expect(slide.notes, `${slide.pollId}: used later`).toMatch(/\*\*Used later:\*\* \S.{30,}/)
      expect(slide.notes, `${slide.pollId}: without phones`).toMatch(
        /\*\*Without phones:\*\*[^\n]*(hands?|fingers|paper|flipchart|thumbs|sticky)/i,
      )
    }
  })

  it('invents no figures and makes no unsourced claims in the notes', () => {
    for (const slide of deck(name).slides) {
      expect(slide.notes, `slide ${slide.number}`).not.toMatch(/\b\d+\.\d\b/) // e.g. "we were at 5.1"
      expect(slide.notes, `slide ${slide.number}`).not.toMatch(/more likely|studies show|research shows|\d+ ?%/i)
    }
  })

  it('compares this group with no earlier group (another client’s answers stay out)', () => {
    for (const source of sources.get(name) ?? []) expect(source).not.toMatch(/<SessionCompare\b/)
  })

  it('gives instructions that work in the room: no pairing by anonymous answers, no break it does not have', () => {
    for (const slide of deck(name).slides) {
      expect(slide.notes, `slide ${slide.number}`).not.toMatch(/answer to the first poll differed|at the break/i)
    }
  })
})

describe.each(NAMES)('%s deck: practice at the heart, tools first', (name) => {
  const talks = () => deck(name).slides.filter((slide) => slide.activity && TALK.includes(slide.activity))

  it('has attendees talking to each other, each time with a debrief or a next step that uses it', () => {
    expect(talks().length).toBeGreaterThanOrEqual(PLAN[name].talks)
    for (const slide of talks()) {
      // 1-2-4-All's pairs and table steps are debriefed together, on the report-back slide.
      const debriefed = /1-2-4-All/.test(slide.title)
        ? deck(name).slides.find((s) => /1-2-4-All, All/.test(s.title))
        : slide
      expect(debriefed?.notes, `${slide.title}: debrief`).toMatch(/\*\*Debrief:\*\*/)
    }
  })

  it('shows the breakdown’s seven rows, and the check on two of them, before any practice that uses them', () => {
    const breakdown = indexOf(name, (slide) => slide.title === 'The breakdown')
    const check = indexOf(name, (slide) => /first sentence wear the hat/.test(slide.title))
    const practice = indexOf(
      name,
      (slide) =>
        slide.activity === 'tables' ||
        slide.activity === 'trios' ||
        (slide.activity === 'pairs' && /sentence/i.test(slide.title)),
    )
    expect(breakdown).toBeGreaterThan(0)
    expect(check).toBe(breakdown + 1)
    expect(practice).toBeGreaterThan(check)
    expect(loadBreakdown()).toHaveLength(7)
    expect(loadCheckRows()).toEqual(['Communication style', 'Motivation tool'])
    for (const row of loadCheckRows()) expect(loadBreakdown().map((r) => r.area)).toContain(row)
  })

  it('starts the practice from each person’s own moment, on their card or worksheet or from the pre-work log, with a hat chosen', () => {
    const own = indexOf(name, (slide) => /^your moment, on your (card|worksheet)$/i.test(slide.title))
    expect(own).toBeGreaterThan(0)
    expect(deck(name).slides[own]?.notes).toMatch(/pre-work log/)
    const practice = indexOf(name, (slide) => slide.activity === 'pairs' && /sentence|1-2-4-All/.test(slide.title))
    expect(practice, 'practice on the moment comes after it is written').toBeGreaterThan(own)
    // Every rehearsal says its sentence "in the hat you chose": some step before it chooses one.
    const chosen = (contents.get(name) ?? []).slice(own, practice + 1).join('\n')
    expect(chosen).toMatch(/which hat (first|does it need)/i)
  })

  it('states its goals early, and has people talking to each other within the first six minutes', () => {
    const early = (contents.get(name) ?? []).slice(0, 6).join('\n')
    expect(early).toMatch(/leave with/i)
    expect(loadGoals().length).toBeGreaterThanOrEqual(3)
    const first = deck(name).slides.find((slide) => slide.activity === 'pairs')
    expect(first && first.startsAt / 60).toBeLessThanOrEqual(6)
  })

  it('puts checkpoints on the run sheet where being late costs the close, each with its cut', () => {
    const { checkpoints, slides } = deck(name)
    const buffer = deck(name)
      .agenda.filter((row) => row.buffer)
      .reduce((sum, row) => sum + row.minutes, 0)
    expect(checkpoints.length).toBeGreaterThan(0)
    for (const point of checkpoints) {
      const planned = (slides[point.slide - 1]?.startsAt ?? 0) / 60
      expect(point.by, `slide ${point.slide}`).toBeGreaterThan(planned)
      expect(point.by, `slide ${point.slide}`).toBeLessThanOrEqual(planned + buffer)
      expect(point.cut.length, `slide ${point.slide}`).toBeGreaterThan(20)
    }
  })

  it('closes on a spoken commitment and measures it: compare, write, tell someone, react, thank you', () => {
    const slides = deck(name).slides
    const at = (find: (slide: SlideInfo) => boolean, what: string) => {
      const index = slides.findIndex(find)
      expect(index, what).toBeGreaterThanOrEqual(0)
      return index
    }
    const compare = at((slide) => slide.pollId === 'confidence-end', 'the start-vs-now comparison')
    const write = at((slide) => slide.pollId === 'action-steps', 'writing the action steps')
    const tell = at((slide) => slide.activity === 'pairs' && /one step/i.test(slide.title), 'telling someone')
    const react = at((slide) => slide.pollId === 'session-worth', 'the reaction poll')
    expect(compare).toBeLessThan(write)
    expect(write).toBeLessThan(tell)
    expect(tell).toBeLessThan(react)
    expect(react).toBe(slides.length - 2)
    expect(slides.at(-1)?.title).toBe('Thank you')
    // One minute of reaction: one tap on whether it was worth the time (a share a sponsor can
    // read), and what people will use by a show of hands.
    const reaction = polls.get('session-worth')
    expect(minutes(slides[react] as SlideInfo)).toBe(1)
    expect(reaction?.kind).toBe('single')
    expect(reaction?.question).toMatch(/worth your time\?$/)
    expect(reaction?.options.map((option) => option.label)).toEqual(['Yes', 'Partly', 'No'])
    const asked = `${contents.get(name)?.[react]}\n${slides[react]?.notes}`
    expect(asked).toMatch(/hands up[\s\S]*what will you use/i)
    expect(minutes(slides[tell] as SlideInfo)).toBeGreaterThanOrEqual(2)
  })
})

describe('the full workshop, before and after the room', () => {
  const slides = () => deck('workshop').slides
  const content = (index: number) => contents.get('workshop')?.[index] ?? ''

  it('shows the room’s pre-work log right before the first pair talk, which starts from it', () => {
    const log = slides().findIndex((_, i) => /<QuestionnaireLog id="pre-work"/.test(content(i)))
    const talk = slides().findIndex((slide) => slide.activity === 'pairs')
    expect(log).toBeGreaterThan(0)
    expect(talk).toBe(log + 1)
    expect(content(log)).toMatch(/questions="day-1,day-2,day-3,day-4,day-5"/)
    expect(slides()[talk]?.notes).toMatch(/pre-work log/)
    // No pre-work done, an empty log: the notes say what to do instead.
    expect(slides()[log]?.notes).toMatch(/\*\*Cut if late:\*\* If fewer than five people logged/)
  })

  it('announces the pulses in the close, with the facilitator’s chart under that slide only', () => {
    const close = slides().findIndex((_, i) => /<Questionnaires only="pulse-1w,pulse-4w" \/>/.test(content(i)))
    expect(close).toBeGreaterThan(slides().findIndex((slide) => slide.pollId === 'action-steps'))
    // The chart is drawn under the slide in presenter view, never on the room's screen.
    expect(content(close)).toContain('<Journey under-slide />')
    const followUp = readFileSync(join(SLIDES_DIR, 'questionnaires.yaml'), 'utf8')
    for (const id of ['pre-work', 'pulse-1w', 'pulse-4w']) expect(followUp).toContain(`- id: ${id}`)
    // The sponsor's reaction is the close's one-tap poll, which nearly everyone answers in the room.
    expect(followUp).toMatch(/^ {2}reaction: session-worth$/m)
    expect(polls.get('session-worth')?.kind).toBe('single')
  })
})

describe('the full workshop’s practice', () => {
  const slides = () => deck('workshop').slides
  const block = (find: (slide: SlideInfo) => boolean) =>
    blocksOf(deck('workshop')).find((candidate) => candidate.slides.some(find)) as Block

  it('runs the table activity as 1-2-4-All: a silent minute, pairs, the table, then the room', () => {
    const steps = slides().filter((slide) => /^1-2-4-All/.test(slide.title))
    expect(steps.map((slide) => slide.activity ?? 'room')).toEqual(['alone', 'pairs', 'tables', 'room'])
    expect(steps[0]?.floor.minutes).toBe(1)
    expect(steps[0]?.notes).toMatch(/silent/i)
    expect(steps[1]?.floor.minutes).toBeGreaterThanOrEqual(3)
    // The table agrees a hat, writes both cases and a switch for its card and one own moment.
    expect(steps[2]?.floor.minutes).toBeGreaterThanOrEqual(7)
    // Reporting back is counted per table.
    expect(stepsOf(steps[3]?.floor ?? {}).filter((step) => step === 'report').length).toBeGreaterThanOrEqual(3)
    // Everyone reads their own copy of the table's moment in the silent minute; the table's card
    // has a scribe; the tables work on their own moments as well, and tell the room one only
    // with its owner's OK.
    const seen = (slide: SlideInfo | undefined) => contents.get('workshop')?.[(slide?.number ?? 0) - 1] ?? ''
    expect(seen(steps[0])).toMatch(/your copy of the table’s moment/)
    expect(seen(steps[2])).toMatch(/your own moments/i)
    expect(seen(steps[2])).toMatch(/whoever holds the card writes/)
    expect(seen(steps[3])).toMatch(/owner’s OK/)
    expect(seen(steps[3])).toMatch(/<FocusTimer :minutes="1"/)
    expect(steps[0]?.notes).toMatch(/No cards printed\?/)
    expect(steps.every((slide) => block((s) => s === steps[0]).slides.includes(slide))).toBe(true)
  })

  it('plots the room’s own moments on the 2×2, with no answers shown before people place them', () => {
    const slide = slides().find((candidate) => polls.get(candidate.pollId ?? '')?.kind === 'matrix')
    const map = polls.get(slide?.pollId ?? '')
    expect(map?.options.map((item) => item.label)).toEqual(['Your moment'])
    expect(map?.results).toBe('hidden')
    expect(map?.quadrants).toBeUndefined()
    expect(slide?.notes).toMatch(/kit’s/)
    const own = indexOf('workshop', (candidate) => /your moment, on your card/i.test(candidate.title))
    expect(slide?.number).toBe(own + 2)
    // Its reading comes after, labelled as the kit's.
    expect(contents.get('workshop')?.[slide?.number ?? 0]).toMatch(/The kit’s reading, not the article’s/)
  })

  it('rehearses the switch in trios: say the first sentence, check it against two rows, keep time, rotate', () => {
    const trios = slides().find((slide) => slide.activity === 'trios')
    const text = `${contents.get('workshop')?.[(trios?.number ?? 0) - 1]}\n${trios?.notes}`
    expect(text).toMatch(/Say it:/)
    expect(text).toMatch(/Check it/)
    expect(text).toMatch(/Keep time:/)
    expect(text).toMatch(/rotat/i)
    expect(text).toMatch(/speaker first/i)
    expect(text).toMatch(/as if the other person were in front of you/)
    for (const row of loadCheckRows()) expect(text.toLowerCase()).toContain(row.toLowerCase())
    expect(trios?.floor.minutes).toBe(6) // three rounds of two minutes
    // Tables that do not split into trios: everyone still says their sentence once.
    expect(trios?.notes).toMatch(/table of five: one trio and one pair/i)
    expect(trios?.notes).toMatch(/four: four rounds of 90 seconds/i)
  })

  it('prints scenario cards of several shapes, some without direct reports, each with a suggested reading', () => {
    expect(moments.length).toBe(6)
    expect(new Set(moments.map((moment) => moment.title)).size).toBe(moments.length)
    expect(new Set(moments.map((moment) => moment.who)).size).toBe(moments.length)
    const noReports = moments.filter((moment) => /freelancer|solo|peer|client/i.test(moment.who))
    expect(noReports.length).toBeGreaterThanOrEqual(3)
    // Not every moment is a deadline against a person.
    const deadlines = moments.filter((moment) => /\b(due|deadline|must ship)\b/i.test(moment.text))
    expect(deadlines.length).toBeLessThanOrEqual(2)
    for (const moment of moments) {
      expect(moment.text.length, moment.title).toBeGreaterThan(40)
      expect(moment.reading, moment.title).toMatch(/hat first/i)
      expect(moment.reading, moment.title).toMatch(/hat’s case/)
    }
  })

  it('keeps the scenario moments in one place: the slide the cards are printed from', () => {
    const slide = readFileSync(join(SLIDES_DIR, 'sections', '09-tables.md'), 'utf8')
    for (const moment of moments) expect(slide.split(moment.text).length - 1, moment.title).toBe(1)
  })
})

describe.each(NAMES)('%s deck: a rehearsal the room can run from the slide', (name) => {
  it('shows the two rows with both cells, who speaks first, and where the countdown changes rounds', async () => {
    const { slides } = await readDeck(deckEntry(name))
    const rehearsal = slides.find((slide) => /Rehearse the switch|Say your first sentence/.test(slide.content))
    expect(rehearsal).toBeTruthy()
    const content = rehearsal?.content ?? ''
    // Each check row's cells, as the breakdown has them, on the slide itself.
    for (const area of loadCheckRows()) {
      const row = loadBreakdown().find((candidate) => candidate.area === area)
      expect(content).toMatch(new RegExp(`<th>${area}</th><td>${row?.leadership}</td><td>${row?.management}</td>`))
    }
    expect(content).toMatch(/first: whose moment comes soonest/)
    expect(Number(rehearsal?.frontmatter.rounds)).toBeGreaterThan(1)
  })
})

describe('polls that ask something the session uses', () => {
  const inDecks = () => [...new Set(NAMES.flatMap((name) => deck(name).slides.flatMap((s) => s.pollId ?? [])))]

  it('keeps them few: at most seven in the full workshop, five in the lunch and learn', () => {
    expect(new Set(deck('workshop').slides.flatMap((s) => s.pollId ?? [])).size).toBeLessThanOrEqual(7)
    expect(new Set(deck('short').slides.flatMap((s) => s.pollId ?? [])).size).toBeLessThanOrEqual(5)
  })

  it('has no filler reactions, and "none" where people tick what is true', () => {
    for (const id of inDecks()) {
      const poll = polls.get(id)
      expect(poll?.kind, id).not.toBe('reactions')
      if (poll?.kind === 'multiple') expect(poll.options.at(-1)?.label, id).toMatch(/^None/)
    }
  })

  it('asks the same 0–10 confidence question at the start and the end, on one scale', () => {
    const [start, end] = [polls.get('confidence-start'), polls.get('confidence-end')]
    const points = Array.from({ length: 11 }, (_, i) => String(i))
    for (const poll of [start, end]) {
      expect(poll?.kind).toBe('scale')
      expect(poll?.options.map((option) => option.id)).toEqual(points)
    }
    expect(end?.question.replace(' now', '')).toBe(start?.question)
    for (const name of NAMES) {
      const last = indexOf(name, (slide) => slide.pollId === 'confidence-end')
      expect(
        indexOf(name, (slide) => slide.pollId === 'confidence-start'),
        name,
      ).toBeLessThan(last)
      expect(sources.get(name)?.[last], name).toContain('<PollResults compare="confidence-start"')
    }
  })

  it('reveals the scenario round as a suggested answer with the other hat’s case', () => {
    const rounds = inDecks()
      .map((id) => polls.get(id))
      .filter((poll) => poll?.kind === 'quiz')
    expect(rounds.length).toBeGreaterThanOrEqual(1)
    for (const poll of rounds) {
      expect(poll?.explain, poll?.id).toMatch(/^Suggested: (leader|manager) hat first\./)
      expect(poll?.explain, poll?.id).toMatch(/The (leader|manager) hat’s case:/)
      expect(poll?.question, poll?.id).toMatch(/need first\?$/)
    }
  })

  it.each(NAMES)('%s deck: takes the room’s questions before the close, with notes on running them', (name) => {
    const slides = deck(name).slides
    const questions = slides.findIndex((slide) => slide.questions)
    expect(questions, 'a questions slide').toBeGreaterThan(0)
    expect(questions).toBeLessThan(indexOf(name, (slide) => slide.pollId === 'confidence-end'))
    const notes = slides[questions]?.notes ?? ''
    expect(notes).toMatch(/approve first/i)
    expect(notes).toMatch(/\bpin/i)
    expect(notes).toMatch(/follow-up/i)
    expect(notes).toMatch(/\*\*Without phones:\*\*/)
  })

  it('lets the presenter extend or turn off every timed poll', () => {
    for (const name of NAMES) {
      for (const slide of deck(name).slides.filter((candidate) => polls.get(candidate.pollId ?? '')?.timer)) {
        expect(slide.notes, slide.title).toMatch(/\+30 s[\s\S]*timer off/)
      }
    }
  })
})

describe('what is the article’s and what is the kit’s', () => {
  const all = () => plain(NAMES.flatMap((name) => sources.get(name) ?? []).join('\n'))

  it('has the article’s lines, the three earlier decks left out among them, word for word', () => {
    const text = all()
    for (const line of [
      "In an era when 'CEO' is stamped on every bio and folks are calling themselves thought leaders after a single viral post",
      'move people with clarity, not just credentials',
      'makes others feel capable—sometimes just by being in the room',
      'but no one feels invested or inspired',
      'Productivity without meaning just leads to burnout in disguise',
      'trusted, respected, and magnetic to work with',
      'clarity, structure, and direction',
      'the tools are synced',
    ]) {
      expect(text).toContain(line)
      // (a quote may start its sentence with a capital the article has in mid-sentence)
      expect(article.toLowerCase()).toContain(line.toLowerCase())
    }
    expect(text).not.toMatch(/nobody cares/i)
  })

  it('shows the breakdown with the article’s own words in every cell', () => {
    for (const row of loadBreakdown()) {
      for (const cell of [row.area, row.leadership, row.management])
        expect(article.toLowerCase()).toContain(cell.toLowerCase())
    }
  })

  it('labels the kit’s own scenarios, models and checks on the slide the room sees', () => {
    const seen = (name: DeckName, find: (slide: SlideInfo) => boolean) =>
      contents.get(name)?.[indexOf(name, find)] ?? ''
    expect(seen('workshop', (slide) => slide.title.startsWith('One moment to call'))).toMatch(
      /written for this workshop/,
    )
    expect(seen('workshop', (slide) => slide.title.startsWith('Six moments'))).toMatch(/written for this workshop/)
    expect(seen('workshop', (slide) => slide.pollId === 'moment-map')).toMatch(/the kit’s 2×2/)
    for (const name of NAMES) {
      expect(seen(name, (slide) => /first sentence wear the hat/.test(slide.title))).toMatch(/The kit’s check/)
      expect(seen(name, (slide) => slide.title === 'The breakdown')).toMatch(/From the article/)
      // The article's two lists carry no heading of the kit's own.
      const lists = seen(name, (slide) => slide.title === 'Which hat, when?')
      expect(lists).toMatch(/the article’s two lists/)
      expect(lists).not.toMatch(/lead-when|manage-when|Uncertainty and change/)
    }
  })

  it('lists the article’s further reading on the last slide', () => {
    expect(loadFurtherReading()).toEqual([
      'Gamification – How It Works and Why It’s a Game-Changer',
      'Developing Leadership Competencies That Will Set You Apart in Your Career',
      'Trust in Leadership: 5 Powerful Habits to Strengthen Your Team’s Confidence in You',
      'Efficient Time Management Skills',
    ])
    for (const name of NAMES) expect(sources.get(name)?.at(-1)).toContain('Efficient Time Management Skills')
  })

  it('attributes every block quote', () => {
    for (const name of NAMES) {
      for (const source of sources.get(name) ?? []) {
        for (const [quote] of source.matchAll(/<div class="quote[^"]*"[^>]*>[\s\S]*?<\/div>/g)) {
          expect(quote).toMatch(/<span class="by">— [^<]*(article|Management vs Leadership)/)
        }
      }
    }
  })

  it('carries the article’s full text, cites it by its exact title, and asks for its source and rights', () => {
    const title = 'Management vs Leadership: The Difference That Can Make or Break Your Success'
    for (const name of NAMES) {
      expect(deck(name).source?.title).toBe(title)
      expect(plain(readFileSync(deck(name).source?.file ?? '', 'utf8'))).toBe(article)
      // The kit knows no author or address: it says so, and asks the facilitator to confirm them.
      expect(deck(name).source?.note).toMatch(/Confirm where it comes from, and your right to reprint it/)
      // The title slide and the thank-you slide name the article exactly.
      expect(contents.get(name)?.[0]).toContain(`“${title}”`)
      expect(contents.get(name)?.at(-1)).toContain(`“${title}”`)
    }
    expect(readFileSync(join(SLIDES_DIR, 'source', 'management-vs-leadership.txt'), 'utf8')).not.toMatch(/https?:/)
  })
})

describe('the follow-up messages', () => {
  it('ask one concrete question at one week and one at four weeks, and carry the key and the reading', () => {
    const workshop = deck('workshop')
    const key = scenarioKey(workshop, [...polls.values()], moments)
    const text = followUpMarkdown({
      title: workshop.title,
      format: 'Workshop · 90 minutes',
      date: '3 March 2026',
      goals: loadGoals(),
      key,
      furtherReading: loadFurtherReading(),
    })
    expect(text).not.toMatch(/\{\{/)
    const week = (heading: RegExp) => {
      const from = text.search(heading)
      expect(from).toBeGreaterThan(0)
      const rest = text.slice(from + 1)
      return rest.slice(0, rest.search(/\n## |$/))
    }
    for (const part of [week(/## 2\. One week later/), week(/## 3\. Four weeks later/)]) {
      // Exactly one question in the message, in bold (the subject line may announce it).
      const body = part.replace(/^\*\*Subject:\*\*.*$/m, '')
      expect(body.match(/\*\*[^*]+\?\*\*/g)).toHaveLength(1)
      expect(body.replace(/\*\*[^*]+\?\*\*/, '').match(/\?/g)).toBeNull()
    }
    for (const entry of key) expect(text).toContain(entry.suggestion)
    expect(key.length).toBe(moments.length + 1) // the round and the table moments
    for (const title of loadFurtherReading()) expect(text).toContain(title)
    // The short deck has no round and no table work: no key.
    expect(scenarioKey(deck('short'), [...polls.values()], moments)).toEqual([])
    expect(() => followUpMarkdown({ ...baseInput(), key }, '{{nope}}')).toThrow(/unknown placeholder \{\{nope\}\}/)
    // The pulses' links: where to get them, until the messages are printed for a session.
    expect(text).toContain('[the link for “pulse-1w”: `npm run questionnaire -- list` prints it')
    const link = 'http://192.0.2.1:3030/vote?s=4&q=pulse-4w'
    const linked = followUpMarkdown({ ...baseInput(), links: { 'pulse-4w': link } }, 'Four weeks: {{link_pulse_4w}}')
    expect(linked).toBe(`Four weeks: ${link}\n`)
  })
})

function baseInput() {
  return { title: 'T', format: 'F', date: 'D', goals: [], key: [], furtherReading: [] }
}

describe('the README', () => {
  /** The rows of the Markdown table under a line that starts with `**<label>**`. */
  function tableAfter(readme: string, label: string): string[][] {
    const from = readme.indexOf(`**${label}**`)
    expect(from, label).toBeGreaterThan(0)
    const lines = readme.slice(from).split('\n').slice(1)
    const start = lines.findIndex((line) => line.startsWith('|'))
    const rows: string[][] = []
    for (const line of lines.slice(start + 2)) {
      if (!line.startsWith('|')) break
      rows.push(
        line
          .replace(/^\||\|$/g, '')
          .split('|')
          .map((cell) => cell.trim()),
      )
    }
    return rows
  }

  it.each([
    ['workshop', 'Full workshop'],
    ['short', 'Lunch and learn'],
  ] as const)('lists the %s deck’s agenda exactly: blocks, minutes and floors', (name, label) => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    const floors = new Map(blocksOf(deck(name)).map((block) => [block.row.title, block.floorSeconds / 60]))
    const expected = deck(name).agenda.map((row) => [
      row.title,
      String(row.minutes),
      row.buffer ? '' : String(floors.get(row.title)),
    ])
    expect(tableAfter(readme, label)).toEqual(expected)
    expect(readme).toContain(`(\`${name}.md\`, ${deck(name).minutes} minutes`)
  })
})
