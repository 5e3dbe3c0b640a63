// What a phone remote shows of the deck: every slide's title, outline, poll, planned time and
// notes, and the agenda's blocks with their slides and what to cut when late. Read with the
// handouts' own deck reader (handouts/deck.ts), so the remote, the facilitator guide and the
// timing checks agree on every minute.
import { blocksOf, cueText, type DeckInfo } from '../handouts/deck.ts'
import type { PresenterNotes } from './presenter-notes.ts'

export interface RunSheetSlide {
  number: number
  title: string
  /** Its headings and first lines, as plain text. */
  outline: string[]
  pollId?: string
  /** Planned start, seconds from the start of the session, and planned length. */
  startsAt: number
  seconds?: number
  /** The facilitator's notes as HTML (Say / Ask / Do / Cut if late). */
  notes: string
}

export interface RunSheetBlock {
  title: string
  minutes: number
  /** Planned start, seconds from the start of the session (by its slides' times, no buffer). */
  startsAt: number
  /** Its first and last slide. */
  from: number
  to: number
  /** What its slides' notes say to cut when late. */
  cuts: { slide: number; text: string }[]
}

export interface RunSheet {
  title: string
  slides: RunSheetSlide[]
  /** The agenda's blocks (the buffer left out); empty when the deck has no agenda. */
  blocks: RunSheetBlock[]
}

export const EMPTY_RUN_SHEET: RunSheet = { title: '', slides: [], blocks: [] }

export function runSheetOf(deck: DeckInfo, notes: PresenterNotes): RunSheet {
  return {
    title: deck.title,
    slides: deck.slides.map((slide) => ({
      number: slide.number,
      title: slide.title,
      outline: slide.outline,
      ...(slide.pollId ? { pollId: slide.pollId } : {}),
      startsAt: slide.startsAt,
      ...(slide.timing.seconds ? { seconds: slide.timing.seconds } : {}),
      notes: notes.notes[slide.number] ?? '',
    })),
    blocks: blocksOf(deck)
      .filter((block) => block.slides.length)
      .map((block) => ({
        title: block.row.title,
        minutes: block.row.minutes,
        startsAt: block.slides[0]?.startsAt ?? 0,
        from: block.slides[0]?.number ?? 0,
        to: block.slides.at(-1)?.number ?? 0,
        cuts: block.slides.flatMap((slide) => {
          const text = cueText(slide.notes, 'Cut if late')
          return text ? [{ slide: slide.number, text }] : []
        }),
      })),
  }
}
