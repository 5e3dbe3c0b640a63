// What the handouts need from a deck, read with Slidev's own parser (so `src:` imports resolve
// exactly as in the deck): every slide's title, facilitator notes and timing, the agenda and
// the polls, in slide order.
import { basename, resolve } from 'node:path'
import { deckEntry } from '../server/deck.ts'
import { durationMinutes } from '../server/deck-rules.ts'
import { readDeck } from '../server/deck-source.ts'
import { KitError } from '../server/errors.ts'
import { SLIDES_DIR } from '../server/settings.ts'
import { declaredSteps, type FloorSlide, floorSeconds } from './timing-floor.ts'

export interface AgendaRow {
  title: string
  minutes: number
  hat: 'lead' | 'manage' | 'both'
  /** Minutes from the start. */
  start: number
  /** Slack for overruns and questions (`buffer: true`), not a block of slides. */
  buffer: boolean
  /** The remote variant of the block: its minutes and what changes (`remote:` on the agenda row). */
  remote?: { minutes: number; how?: string }
}

/** What the room does on a slide: `activity: pairs | trios | tables | alone`. */
export type Activity = NonNullable<FloorSlide['activity']>
/** The activities where attendees talk to each other. */
export const TALK: readonly Activity[] = ['pairs', 'trios', 'tables']

export interface Timing {
  /** Planned length of the slide in this deck, in seconds (undefined when the notes give none). */
  seconds?: number
  /** The timing as written, e.g. "3 min (short deck: 2 min; reveal quickly)". */
  text?: string
  /** What is left of the parenthesis once this deck's time is taken out, e.g. "reveal quickly". */
  remark?: string
}

export interface SlideInfo {
  /** 1-based, as Slidev numbers slides and as they appear in the exported PDF. */
  number: number
  title: string
  /** Facilitator notes (Markdown), without the timing line. */
  notes: string
  timing: Timing
  /** Seconds from the start of the deck at which this slide begins (from the timings above). */
  startsAt: number
  pollId?: string
  layout?: string
  activity?: Activity
  /** The slide shows the room's questions (`<Questions />`). */
  questions?: true
  /**
   * The slide shows something live: a poll, the join code, a countdown, the questions wall or a
   * comparison of sessions. Printed later it would show an empty chart, a dead address or a timer.
   */
  live: boolean
  /** What the timing floor reads of the slide (handouts/timing-floor.ts). */
  floor: FloorSlide
  /** The least seconds a room of 30 needs for this slide. */
  floorSeconds: number
  /** The slide's headings and first lines as plain text (a phone remote shows them as its outline). */
  outline: string[]
}

/**
 * A point on the run sheet where the facilitator checks the clock: not on the slide by `by`
 * minutes from the start, take `cut` (`checkpoints:` beside the deck's agenda).
 */
export interface Checkpoint {
  /** The slide's number. */
  slide: number
  by: number
  cut: string
}

export class CheckpointError extends KitError {}

export interface DeckInfo {
  name: string
  title: string
  /** What kind of event, from the deck's titleTemplate ("%s · Workshop" → "Workshop"). */
  kind?: string
  /** The deck draws the workshop's two hats (`art: hats`): its agenda rows name the hat they wear. */
  hats: boolean
  /** The deck's `duration` headmatter in minutes, when it has one. */
  minutes?: number
  slides: SlideInfo[]
  agenda: AgendaRow[]
  checkpoints: Checkpoint[]
  /** Markdown files the facilitator guide prints as "running the room" (`guide:` headmatter, from slides/). */
  guide: string[]
  /** The text the deck is built on (`source:` headmatter): its title and the file with its full text. */
  source?: { title: string; file: string; note?: string }
}

/** "75min", "1h", "25" → minutes: the same reading as the start-up check of agendas. */
export const parseDuration = durationMinutes

const AMOUNT = /(\d+(?:[.,]\d+)?)\s*(minutes?|mins?|m|seconds?|secs?|s)\b/i

function seconds(text: string): number | undefined {
  const match = AMOUNT.exec(text)
  if (!match) return undefined
  const value = Number((match[1] ?? '0').replace(',', '.'))
  return /^m/i.test(match[2] ?? '') ? Math.round(value * 60) : Math.round(value)
}

const TIME_LINE = /^\s*(?:[-*]\s*)?\*\*Time:?\*\*:?\s*(.+?)\s*$/im

/**
 * Reads the slide's timing from its notes: a "**Time:** 3 min (short deck: 2 min)" line, or a
 * bare "(3 min)". In a deck other than the full workshop, a "short deck: …" or "<deck> deck: …"
 * time wins, and a slide "not in the <deck> deck" gets no time of its own.
 */
export function parseTiming(note: string, deck: string): { timing: Timing; notes: string } {
  const line = TIME_LINE.exec(note)
  let text: string | undefined
  let notes = note
  if (line) {
    text = line[1]?.trim()
    notes = (note.slice(0, line.index) + note.slice(line.index + line[0].length)).replace(/\n{3,}/g, '\n\n').trim()
  } else {
    const bare = /\((\d+(?:[.,]\d+)?\s*(?:minutes?|mins?|min|seconds?|secs?|s))\)/i.exec(note)
    text = bare?.[1]
  }
  if (!text) return { timing: {}, notes: notes.trim() }
  const main = text.replace(/\(.*\)$/, '').trim()
  const inside = /\((.*)\)\s*$/.exec(text)?.[1] ?? ''
  const parts = inside
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean)
  let value = seconds(main)
  const remarks: string[] = []
  for (const part of parts) {
    const own = new RegExp(`^${deck}(?:\\s+deck)?\\s*:\\s*(.+)$`, 'i').exec(part)
    if (own?.[1] && deck !== 'workshop') {
      value = seconds(own[1]) ?? value
      continue
    }
    if (/^not in the /i.test(part)) continue
    if (/^\w+\s+deck\s*:/i.test(part)) continue
    remarks.push(part)
  }
  return {
    timing: { seconds: value, text, ...(remarks.length ? { remark: remarks.join('; ') } : {}) },
    notes: notes.trim(),
  }
}

/** Plain text of a slide title: no tags, no Markdown emphasis. */
export function plainTitle(raw: string): string {
  return raw
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/[*_`]+/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim()
}

function agendaOf(frontmatter: Record<string, unknown>): AgendaRow[] {
  const list = frontmatter.agenda
  if (!Array.isArray(list)) return []
  let start = 0
  return list.map((item: Record<string, unknown>) => {
    const minutes = Number(item?.minutes) || 0
    const hat = item?.hat === 'manage' || item?.hat === 'both' ? item.hat : 'lead'
    const remote = item?.remote as { minutes?: unknown; how?: unknown } | undefined
    const row = {
      title: String(item?.title ?? ''),
      minutes,
      hat,
      start,
      buffer: item?.buffer === true,
      ...(remote && Number(remote.minutes) > 0
        ? { remote: { minutes: Number(remote.minutes), ...(remote.how ? { how: String(remote.how) } : {}) } }
        : {}),
    } as AgendaRow
    start += minutes
    return row
  })
}

function kindOf(template: unknown): string | undefined {
  if (typeof template !== 'string') return undefined
  const rest = plainTitle(template.replace('%s', '')).replace(/^[\s·|:–—-]+|[\s·|:–—-]+$/g, '')
  return rest || undefined
}

/** "Workshop · 75 minutes", for covers and title blocks. */
export function formatOf(deck: DeckInfo): string {
  const length = deck.minutes ? `${deck.minutes} minutes` : ''
  return [deck.kind ?? deck.name, length].filter(Boolean).join(' · ')
}

export const loadDeck = (name: string): Promise<DeckInfo> => loadDeckFile(deckEntry(name))

/** A deck from its Markdown file (its `src:` imports resolve from its own folder). */
export async function loadDeckFile(entry: string): Promise<DeckInfo> {
  const data = await readDeck(entry)
  const headmatter = data.headmatter as Record<string, unknown>
  const deck = basename(entry, '.md')
  const slides: SlideInfo[] = []
  let agenda: AgendaRow[] = []
  let checkpoints: unknown
  let clock = 0
  for (const slide of data.slides) {
    const frontmatter = (slide.frontmatter ?? {}) as Record<string, unknown>
    // Hidden slides are left out of Slidev's export, so they are left out here too.
    if (frontmatter.hide === true || frontmatter.hidden === true || frontmatter.disabled === true) continue
    if (!agenda.length) {
      agenda = agendaOf(frontmatter)
      if (agenda.length) checkpoints = frontmatter.checkpoints
    }
    const { timing, notes } = parseTiming(slide.note ?? '', deck)
    const poll = frontmatter.poll as { id?: unknown; kind?: unknown; timer?: unknown } | undefined
    const activity = ACTIVITIES.find((kind) => kind === frontmatter.activity)
    const where = `${basename(slide.source?.filepath ?? entry)}, slide ${slides.length + 1}`
    const floor: FloorSlide = {
      ...(poll
        ? { poll: { kind: String(poll.kind ?? 'single'), ...(poll.timer ? { timer: Number(poll.timer) } : {}) } }
        : {}),
      ...(/<JoinQr\b/.test(slide.content) ? { join: true } : {}),
      ...(/<Questions\b/.test(slide.content) ? { questions: true } : {}),
      ...(activity ? { activity } : {}),
      ...(Number(frontmatter.minutes) > 0 ? { minutes: Number(frontmatter.minutes) } : {}),
    }
    const steps = declaredSteps(frontmatter.steps, where)
    if (steps) floor.steps = steps
    slides.push({
      number: slides.length + 1,
      title: plainTitle(String(frontmatter.title ?? slide.title ?? '')) || `Slide ${slides.length + 1}`,
      notes,
      timing,
      startsAt: clock,
      ...(typeof poll?.id === 'string' ? { pollId: poll.id } : {}),
      ...(typeof frontmatter.layout === 'string' ? { layout: frontmatter.layout } : {}),
      ...(activity ? { activity } : {}),
      ...(floor.questions ? { questions: true as const } : {}),
      live: Boolean(poll) || LIVE.test(slide.content) || (frontmatter.layout === 'practice' && Boolean(floor.minutes)),
      outline: outlineOf(slide.content),
      floor,
      floorSeconds: floorSeconds(floor),
    })
    clock += timing.seconds ?? 0
  }
  return {
    name: deck,
    title: plainTitle(String(headmatter.title ?? 'Workshop')),
    hats: headmatter.art === 'hats',
    kind: kindOf(headmatter.titleTemplate),
    minutes: parseDuration(headmatter.duration),
    slides,
    agenda,
    checkpoints: checkpointsOf(checkpoints, slides, deck),
    guide: (Array.isArray(headmatter.guide) ? headmatter.guide : headmatter.guide ? [headmatter.guide] : []).map(
      (file) => resolve(SLIDES_DIR, String(file)),
    ),
    ...sourceOf(headmatter.source),
  }
}

/** `checkpoints:` as written beside the agenda, each slide found by its title. */
function checkpointsOf(raw: unknown, slides: SlideInfo[], deck: string): Checkpoint[] {
  if (raw === undefined) return []
  if (!Array.isArray(raw)) throw new CheckpointError(`${deck}.md: "checkpoints" must be a list of { slide, by, cut }.`)
  return raw.map((item: Record<string, unknown>) => {
    const title = String(item?.slide ?? '')
    const slide = slides.find((candidate) => candidate.title === title)
    const by = Number(item?.by)
    if (!slide)
      throw new CheckpointError(`${deck}.md: a checkpoint names the slide "${title}", which the deck does not have.`)
    if (!(by > 0) || !item?.cut) {
      throw new CheckpointError(
        `${deck}.md: the checkpoint at "${title}" needs "by" (minutes from the start) and "cut".`,
      )
    }
    return { slide: slide.number, by, cut: String(item.cut) }
  })
}

const ACTIVITIES: Activity[] = ['pairs', 'trios', 'tables', 'alone']
/** Components that show live state: results, the join code, countdowns, the room's questions. */
const LIVE = /<(PollResults|JoinQr|SessionBadge|SessionCompare|Questions|FocusTimer)\b/

/**
 * The first lines a slide shows, as plain text: its headings, list items and paragraphs, without
 * markup, components or code.
 */
function outlineOf(content: string): string[] {
  const lines = content
    .replace(/```[\s\S]*?```/g, '')
    .replace(/<(style|script)\b[\s\S]*?<\/\1>/g, '')
    .split('\n')
    // Slots (::lead::), table rows, a component's attributes, data or unclosed tag: not text.
    .filter((line) => !/^\s*(::|\||:?[\w-]+=|[{}[\]]|<[^>]*$)/.test(line))
    .map((line) => plainTitle(line.replace(/^\s*(?:#{1,6}|[-*+]|\d+\.|>)\s+/, '')))
    .filter((line) => line.length > 1 && !/^[-=|:{}[\]]+$/.test(line))
  return [...new Set(lines)].slice(0, 5).map((line) => (line.length > 120 ? `${line.slice(0, 117)}…` : line))
}

/** A slide that shows a live poll, the join code, a timer or the questions: never in a handout. */
export const isLive = (slide: Pick<SlideInfo, 'live'>) => slide.live

function sourceOf(raw: unknown): Pick<DeckInfo, 'source'> {
  const source = raw as { title?: unknown; file?: unknown; note?: unknown } | undefined
  if (!source?.title || !source.file) return {}
  return {
    source: {
      title: String(source.title),
      file: resolve(SLIDES_DIR, String(source.file)),
      ...(source.note ? { note: String(source.note) } : {}),
    },
  }
}

export interface Block {
  row: AgendaRow
  /** The slides that fall inside the block's minutes, by their planned start. */
  slides: SlideInfo[]
  /** Planned seconds of those slides: equal to the block's minutes when the timings add up. */
  seconds: number
  /** The least seconds a room of 30 needs for those slides (the timing floor). */
  floorSeconds: number
}

/**
 * The agenda's blocks (buffer rows left out) with the slides each one holds: a slide belongs to
 * the block its planned start falls in, counting the blocks' minutes without the buffer.
 */
export function blocksOf(deck: DeckInfo): Block[] {
  const rows = deck.agenda.filter((row) => !row.buffer)
  let start = 0
  return rows.map((row, i) => {
    const from = start * 60
    start += row.minutes
    const last = i === rows.length - 1
    const slides = deck.slides.filter((slide) => slide.startsAt >= from && (last || slide.startsAt < start * 60))
    const seconds = slides.reduce((sum, slide) => sum + (slide.timing.seconds ?? 0), 0)
    const floor = slides.reduce((sum, slide) => sum + slide.floorSeconds, 0)
    return { row, slides, seconds, floorSeconds: floor }
  })
}

/** Minutes as hours:minutes, whole minutes only, as a clock shows them: 75 → "1:15", 37.5 → "0:37". */
export function hourClock(minutes: number): string {
  const whole = Math.floor(minutes + 1e-9)
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`
}

/** 105 → "1 min 45 s"; 30 → "30 s"; 120 → "2 min". */
export function lengthText(totalSeconds: number): string {
  const minutes = Math.floor(totalSeconds / 60)
  const rest = Math.round(totalSeconds % 60)
  if (!minutes) return `${rest} s`
  return rest ? `${minutes} min ${rest} s` : `${minutes} min`
}

/** The text of the notes paragraph that starts with a bold cue ("**Without phones:** …"), plain. */
export function cueText(notes: string, cue: string): string | undefined {
  const match = new RegExp(`^\\*\\*${cue}:\\*\\*[ \\t]*((?:.+\\n?)+)`, 'm').exec(notes)
  return match?.[1]?.replace(/[*`]+/g, '').replace(/\s+/g, ' ').trim() || undefined
}
