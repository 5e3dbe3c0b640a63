// Text the printed documents take from the slides, so the cards, the worksheet, the guide and the
// follow-up message always say what the deck says: the table moments (and the suggested reading
// of each, from the debrief's notes), the session's goals, the focus time's prompts and the
// article's further reading.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { SLIDES_DIR } from '../server/settings.ts'
import { plainTitle } from './deck.ts'

export interface Moment {
  number: number
  title: string
  /** Who is in the moment ("Freelancer and client", "Peer, no authority"): `data-who` on the slide. */
  who: string
  text: string
  /** One reasonable reading, for the facilitator's debrief: never printed for participants. */
  reading: string
}

export const MOMENTS_SLIDE = join(SLIDES_DIR, 'sections', '09-tables.md')
export const GOALS_SLIDE = join(SLIDES_DIR, 'sections', '01-opening.md')
export const CLOSE_SLIDE = join(SLIDES_DIR, 'sections', '14-close.md')
export const CHECK_SLIDE = join(SLIDES_DIR, 'sections', '07-breakdown.md')
export const FOCUS_SLIDE = join(SLIDES_DIR, 'sections', '13-reflection.md')

/**
 * `<div class="moment" data-who="Team lead"><strong>1 · The reorg:</strong> text</div>` on the
 * slide, and in the notes, after "**Suggested readings:**", `1. **The reorg.** reading` for each.
 */
export function parseMoments(markdown: string): Moment[] {
  const readings = new Map<number, string>()
  const notes = markdown.slice(markdown.indexOf('**Suggested readings:**'))
  for (const [, number, reading] of notes.matchAll(/^(\d+)\.\s+\*\*[^*]+\*\*\s*(.+)$/gm)) {
    readings.set(Number(number), (reading ?? '').trim())
  }
  const moments: Moment[] = []
  for (const [, who, number, title, text] of markdown.matchAll(
    /<div class="moment\b[^"]*"(?:\s+data-who="([^"]*)")?>\s*<strong>(\d+) · ([^<]+?):<\/strong>\s*([^<]+?)\s*<\/div>/g,
  )) {
    const n = Number(number)
    moments.push({
      number: n,
      title: (title ?? '').trim(),
      who: (who ?? '').trim(),
      text: (text ?? '').trim(),
      reading: readings.get(n) ?? '',
    })
  }
  return moments
}

/** The items of the first `<ol>` or `<ul>` after `marker` in the text, as plain text. */
export function listAfter(markdown: string, marker: string): string[] {
  const from = markdown.indexOf(marker)
  if (from < 0) return []
  const list = /<(ol|ul)\b[^>]*>([\s\S]*?)<\/\1>/.exec(markdown.slice(from))
  return [...(list?.[2] ?? '').matchAll(/<li>([\s\S]*?)<\/li>/g)].map(([, item]) => plainTitle(item ?? ''))
}

const read = (file: string) => readFileSync(file, 'utf8')

export const loadMoments = (file = MOMENTS_SLIDE) => parseMoments(read(file))
/** "What you'll leave with": the session's goals. */
export const loadGoals = (file = GOALS_SLIDE) => listAfter(read(file), '# What you’ll leave with')
/** What people write in the focus time: the prompts on the action-steps slide. */
export const loadActionPrompts = (file = FOCUS_SLIDE) => listAfter(read(file), '# Your action steps')
/** The article's own further-reading list, from the thank-you slide. */
export const loadFurtherReading = (file = CLOSE_SLIDE) => listAfter(read(file), 'class="further-reading')
/** The rows of the breakdown a first sentence is checked against: `check: [...]` on the check slide. */
export function loadCheckRows(file = CHECK_SLIDE): string[] {
  const list = /^check:\s*\[([^\]]*)\]\s*$/m.exec(read(file))?.[1] ?? ''
  return list
    .split(',')
    .map((row) => row.trim())
    .filter(Boolean)
}
