// Words typed by attendees: how they are folded so that one word counts once, and the one order
// in which every view ranks them (the tally, the slide, the phone, the exports, the handout).
// No dependencies but the text rules: the phone page imports it too.
import { cleanLine } from './text.ts'

/** Folds a free-text answer so "Trust ", "trust" and "TRUST" count as one word. */
export function normaliseWord(text: string): string {
  return cleanLine(text).toLowerCase()
}

/** Words with their counts, most frequent first, ties in alphabetical order; at most `limit`. */
export function rankWords(counts: Record<string, number>, limit = Number.POSITIVE_INFINITY): [string, number][] {
  return Object.entries(counts)
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
}
