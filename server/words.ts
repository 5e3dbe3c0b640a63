// Words typed by attendees: how they are folded so that one word counts once, and the one order
// in which every view ranks them (the tally, the slide, the phone, the exports, the handout).
// No dependencies: the phone page imports it too.

/** Folds a free-text answer so "Trust ", "trust" and "TRUST" count as one word. */
export function normaliseWord(text: string): string {
  return text.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase()
}

/** Words with their counts, most frequent first, ties in alphabetical order; at most `limit`. */
export function rankWords(counts: Record<string, number>, limit = Number.POSITIVE_INFINITY): [string, number][] {
  return Object.entries(counts)
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
}

/** Attendee text as stored: one line of normalised text (the views show it as text, never markup). */
export function cleanText(text: string): string {
  return text.normalize('NFKC').trim().replace(/\s+/g, ' ')
}
