// The workshop a facilitator would run, checked from the real deck sources (read with Slidev's
// own parser, as the handouts read them): agendas that keep a buffer and add up, slide timings
// that fill each block, notes a facilitator can run from, practice time between attendees,
// polls that ask something and have a no-phone version, scenario rounds that offer a suggested
// answer, a close on spoken commitments, and the article's own lines.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { load } from '@slidev/parser/fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadBreakdown } from '../handouts/breakdown.ts'
import { blocksOf, type DeckInfo, loadDeck, type SlideInfo } from '../handouts/deck.ts'
import { followUpMarkdown } from '../handouts/follow-up.ts'
import { scenarioKey } from '../handouts/scenario-key.ts'
import { loadFurtherReading, loadGoals, loadMoments, type Moment } from '../handouts/slide-content.ts'
import { deckEntry } from '../server/deck.ts'
import type { PollDefinition } from '../server/poll-definition.ts'
import { loadPolls } from '../server/polls.ts'
import { SLIDES_DIR } from '../server/settings.ts'

/** What the issue asks of each deck: its length, its buffer and the talk between attendees. */
const PLAN = {
  workshop: { minutes: 75, buffer: 5, talks: 3 },
  short: { minutes: 25, buffer: 2, talks: 1 },
} as const
type DeckName = keyof typeof PLAN
const NAMES = Object.keys(PLAN) as DeckName[]

const decks = new Map<DeckName, DeckInfo>()
/** Every slide's source text (content and notes), in deck order. */
const sources = new Map<DeckName, string[]>()
let polls: Map<string, PollDefinition>
let moments: Moment[]

beforeAll(async () => {
  for (const name of NAMES) {
    decks.set(name, await loadDeck(name))
    const { slides } = await load({ userRoot: SLIDES_DIR, roots: [SLIDES_DIR] }, deckEntry(name))
    sources.set(
      name,
      slides.map((slide) => `${slide.content}\n${slide.note ?? ''}`),
    )
  }
  polls = new Map((await loadPolls(SLIDES_DIR)).map((poll) => [poll.id, poll]))
  moments = loadMoments()
})

const deck = (name: DeckName) => decks.get(name) as DeckInfo
const minutes = (slide: SlideInfo) => (slide.timing.seconds ?? 0) / 60
/** Folds typographic quotes and spacing, so the article's lines compare with the slides' text. */
const plain = (text: string) => text.replace(/[’‘]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, ' ')

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
})

describe.each(NAMES)('%s deck: notes a facilitator can run from', (name) => {
  it('gives every slide notes and a planned time', () => {
    for (const slide of deck(name).slides) {
      expect(slide.notes.length, `slide ${slide.number} (${slide.title}) has notes`).toBeGreaterThan(40)
      expect(slide.timing.seconds, `slide ${slide.number} (${slide.title}) has a time`).toBeGreaterThan(0)
    }
  })

  it('opens every block with what to cut when late, and every block after the first with a transition', () => {
    for (const [i, block] of blocksOf(deck(name)).entries()) {
      const first = block.slides[0] as SlideInfo
      expect(first.notes, `${block.row.title}: cut if late`).toMatch(/\*\*Cut if late:\*\*/)
      if (i > 0) expect(first.notes, `${block.row.title}: transition`).toMatch(/\*\*Transition:\*\*/)
    }
  })

  it('gives every poll a show-of-hands or paper version in its notes', () => {
    const pollSlides = deck(name).slides.filter((slide) => slide.pollId)
    expect(pollSlides.length).toBeGreaterThan(3)
    for (const slide of pollSlides) {
      expect(slide.notes, `${slide.pollId}: without phones`).toMatch(
        /\*\*Without phones:\*\*[^\n]*(hands?|fingers|paper|flipchart|thumbs)/i,
      )
    }
  })

  it('only points at rounds and cards this deck shows', () => {
    const titles = deck(name).slides.map((slide) => slide.title)
    const hasTables = deck(name).slides.some((slide) => slide.activity === 'tables')
    for (const slide of deck(name).slides) {
      for (const [, round] of slide.notes.matchAll(/\bround (\d)\b/gi)) {
        expect(
          titles.some((title) => title.startsWith(`Round ${round}`)),
          `slide ${slide.number}: round ${round}`,
        ).toBe(true)
      }
      if (!hasTables) expect(slide.notes, `slide ${slide.number} mentions a card`).not.toMatch(/\bcard \d/i)
    }
  })
})

describe.each(NAMES)('%s deck: practice, not a talk', (name) => {
  const talks = () => deck(name).slides.filter((slide) => slide.activity)

  it('has attendees talking to each other for 4 minutes or more, each time with a debrief', () => {
    const long = talks().filter((slide) => minutes(slide) >= 4)
    expect(long.length).toBeGreaterThanOrEqual(PLAN[name].talks)
    for (const slide of talks()) {
      expect(slide.timing.seconds, slide.title).toBeGreaterThan(0)
      expect(slide.notes, `${slide.title}: debrief`).toMatch(/\*\*Debrief:\*\*/)
    }
  })

  it('states its goals on an early slide', () => {
    const goals = deck(name).slides.findIndex((slide) => slide.title === 'What you’ll leave with')
    expect(goals).toBeGreaterThanOrEqual(0)
    expect(goals).toBeLessThan(4)
    expect(loadGoals().length).toBeGreaterThanOrEqual(3)
  })

  it('closes on a spoken commitment: compare, write, tell someone, (tell the room), then thank you', () => {
    const slides = deck(name).slides
    const at = (find: (slide: SlideInfo) => boolean, what: string) => {
      const index = slides.findIndex(find)
      expect(index, what).toBeGreaterThanOrEqual(0)
      return index
    }
    const compare = at((slide) => slide.pollId === 'confidence-end', 'the start-vs-now comparison')
    const write = at((slide) => slide.pollId === 'action-steps', 'writing the action steps')
    const tell = at((slide) => slide.activity === 'pairs' && /one step/i.test(slide.title), 'telling a neighbour')
    expect(compare).toBeLessThan(write)
    expect(write).toBeLessThan(tell)
    // Between the pair turn and the thank-you, at most the room's wall of next steps (open answers).
    const between = slides.slice(tell + 1, -1)
    expect(between.map((slide) => polls.get(slide.pollId ?? '')?.kind)).toEqual(between.length ? ['text'] : [])
    expect(slides.at(-1)?.title).toBe('Thank you')
    // The short deck: a 3-minute action step and a 2-minute pair turn; the workshop: the
    // article's 10-minute focus.
    expect(minutes(slides[write] as SlideInfo)).toBeGreaterThanOrEqual(name === 'short' ? 3 : 10)
    expect(minutes(slides[tell] as SlideInfo)).toBeGreaterThanOrEqual(2)
  })
})

describe('the table activity', () => {
  it('is a 12–15 minute block in the full workshop, on cards that each have a suggested reading', () => {
    const block = blocksOf(deck('workshop')).find((candidate) =>
      candidate.slides.some((slide) => slide.activity === 'tables'),
    )
    expect(block?.row.minutes).toBeGreaterThanOrEqual(12)
    expect(block?.row.minutes).toBeLessThanOrEqual(15)
    expect(moments.length).toBeGreaterThanOrEqual(4)
    expect(new Set(moments.map((moment) => moment.title)).size).toBe(moments.length)
    for (const moment of moments) {
      expect(moment.text.length, moment.title).toBeGreaterThan(40)
      // One reasonable reading, and the case for the other hat.
      expect(moment.reading, moment.title).toMatch(/hat first/i)
      expect(moment.reading, moment.title).toMatch(/hat’s case/)
    }
  })

  it('asks which moment was hardest with exactly the cards’ titles, and "none"', () => {
    const options = polls.get('hardest-moment')?.options.map((option) => option.label) ?? []
    expect(options.slice(0, -1)).toEqual(moments.map((moment) => moment.title))
    expect(options.at(-1)).toMatch(/^None/)
  })
})

describe('polls that ask something', () => {
  const inDecks = () => [...new Set(NAMES.flatMap((name) => deck(name).slides.flatMap((s) => s.pollId ?? [])))]

  it('has no filler reactions, and "none" where people tick what they have seen', () => {
    for (const id of inDecks()) {
      const poll = polls.get(id)
      expect(poll?.question, id).not.toMatch(/how does this land/i)
      if (poll?.kind === 'multiple') expect(poll.options.at(-1)?.label, id).toMatch(/^None/)
    }
  })

  it('asks the same 0–10 confidence question at the start and the end, side by side', () => {
    const [start, end] = [polls.get('confidence-start'), polls.get('confidence-end')]
    const points = Array.from({ length: 11 }, (_, i) => String(i))
    for (const poll of [start, end]) {
      expect(poll?.kind).toBe('scale')
      expect(poll?.options.map((option) => option.id)).toEqual(points)
    }
    expect(end?.question.replace(' now', '')).toBe(start?.question)
    for (const name of NAMES) {
      const slides = deck(name).slides
      const first = slides.findIndex((slide) => slide.pollId === 'confidence-start')
      const last = slides.findIndex((slide) => slide.pollId === 'confidence-end')
      expect(first, name).toBeGreaterThanOrEqual(0)
      expect(last, name).toBeGreaterThan(first)
      expect(sources.get(name)?.[last], name).toContain('<PollResults id="confidence-start"')
    }
  })

  it('asks for the hardest row with the breakdown’s own rows', () => {
    const rows = loadBreakdown().map((row) => row.area.toLowerCase())
    expect(polls.get('hardest-row')?.options.map((option) => option.label.toLowerCase())).toEqual(rows)
  })

  it('reveals each scenario round as a suggested answer with the other hat’s case', () => {
    const rounds = inDecks()
      .map((id) => polls.get(id))
      .filter((poll) => poll?.kind === 'quiz')
    expect(rounds.length).toBeGreaterThanOrEqual(2)
    for (const poll of rounds) {
      expect(poll?.explain, poll?.id).toMatch(/^Suggested: (leader|manager) hat first\./)
      expect(poll?.explain, poll?.id).toMatch(/The (leader|manager) hat’s case:/)
      expect(poll?.question, poll?.id).toMatch(/need first\?$/)
    }
  })
})

describe('the room’s own voice', () => {
  const kindsIn = (name: DeckName) =>
    deck(name).slides.flatMap((slide) => (slide.pollId ? [{ slide, poll: polls.get(slide.pollId) }] : []))

  it.each(NAMES)('%s deck: takes the room’s questions before the close, with notes on running them', (name) => {
    const slides = deck(name).slides
    const questions = slides.findIndex((_, i) => /<Questions\b/.test(sources.get(name)?.[i] ?? ''))
    const close = slides.findIndex((slide) => slide.pollId === 'confidence-end')
    expect(questions, 'a questions slide').toBeGreaterThan(0)
    expect(questions).toBeLessThan(close)
    const notes = slides[questions]?.notes ?? ''
    expect(notes).toMatch(/approve first/i)
    expect(notes).toMatch(/\bpin/i)
    expect(notes).toMatch(/follow-up/i)
    expect(notes).toMatch(/\*\*Without phones:\*\*/)
  })

  it.each(NAMES)('%s deck: has a timed poll the presenter can extend or turn off', (name) => {
    const timed = kindsIn(name).filter(({ poll }) => poll?.timer)
    expect(timed.length).toBeGreaterThan(0)
    for (const { slide } of timed) expect(slide.notes, slide.title).toMatch(/\+30 s[\s\S]*timer off/)
  })

  it('places moments of the week on a 2×2 in the modern-reality block, leader and manager quarters named', () => {
    const found = kindsIn('workshop').find(({ poll }) => poll?.kind === 'matrix')
    const block = blocksOf(deck('workshop')).find((candidate) => candidate.slides.includes(found?.slide as SlideInfo))
    expect(block?.row.title).toMatch(/already doing both/)
    expect(found?.poll?.x?.label).toMatch(/uncertain/i)
    expect(found?.poll?.y?.label).toMatch(/urgent/i)
    // Top left, top right, bottom left, bottom right: known and due now is the manager's.
    expect(found?.poll?.quadrants?.[0]).toMatch(/^Manager hat/)
    expect(found?.poll?.quadrants?.[3]).toMatch(/^Leader hat/)
    expect(found?.slide.notes).toMatch(/\*\*Debrief:\*\*/)
  })

  it('ranks the breakdown’s rows and collects one open line per person for the room', () => {
    expect(polls.get('hardest-row')?.kind).toBe('ranking')
    const ranking = deck('workshop').slides.find((slide) => slide.pollId === 'hardest-row')
    expect(ranking?.notes).toMatch(/Borda/)
    const text = kindsIn('workshop').filter(({ poll }) => poll?.kind === 'text')
    expect(text.length).toBeGreaterThan(0)
    for (const { poll, slide } of text) {
      expect(poll?.count, poll?.id).toBe(1)
      // Unlike action steps, open answers are read by the room: the notes say so.
      expect(slide.notes, poll?.id).toMatch(/for the room/)
    }
  })
})

describe('fidelity to the article', () => {
  const all = () => plain(NAMES.flatMap((name) => sources.get(name) ?? []).join('\n'))

  it('has the lines the earlier decks left out, and quotes the distorted one faithfully', () => {
    const text = all()
    for (const line of [
      "In an era when 'CEO' is stamped on every bio and folks are calling themselves thought leaders after a single viral post",
      'move people with clarity, not just credentials',
      'makes others feel capable—sometimes just by being in the room',
      'but no one feels invested or inspired',
      'Productivity without meaning just leads to burnout in disguise',
    ]) {
      expect(text).toContain(line)
    }
    expect(text).not.toMatch(/nobody cares/i)
  })

  it('lists the article’s further reading on the last slide', () => {
    const reading = loadFurtherReading()
    expect(reading).toEqual([
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
})

describe('the follow-up message', () => {
  it('carries the nudges, the scenario key and the further reading, and fills every placeholder', async () => {
    const workshop = deck('workshop')
    const key = scenarioKey(workshop, [...polls.values()], moments)
    const text = followUpMarkdown({
      title: workshop.title,
      format: 'Workshop · 75 minutes',
      date: '3 March 2026',
      goals: loadGoals(),
      key,
      furtherReading: loadFurtherReading(),
    })
    expect(text).not.toMatch(/\{\{/)
    expect(text).toMatch(/## 2\. One week later/)
    expect(text).toMatch(/## 3\. Four weeks later/)
    for (const entry of key) expect(text).toContain(entry.suggestion)
    expect(key.length).toBe(moments.length + 2) // two rounds and the table moments
    for (const title of loadFurtherReading()) expect(text).toContain(title)
    // The short deck has no table work: its key is its rounds only.
    expect(scenarioKey(deck('short'), [...polls.values()], moments).map((entry) => entry.label)).toEqual([
      'Round 1: the customer’s big idea',
      'Round 2: the Friday launch',
    ])
    expect(() => followUpMarkdown({ ...baseInput(), key }, '{{nope}}')).toThrow(/unknown placeholder \{\{nope\}\}/)
  })
})

function baseInput() {
  return { title: 'T', format: 'F', date: 'D', goals: [], key: [], furtherReading: [] }
}

it('keeps the scenario moments in one place: the slide the cards are printed from', () => {
  const slide = readFileSync(join(SLIDES_DIR, 'sections', '05-table-moments.md'), 'utf8')
  for (const moment of moments) expect(slide.split(moment.text).length - 1, moment.title).toBe(1)
})
