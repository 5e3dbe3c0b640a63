// Vitest's global set-up for `npm test`: every deck that changed since its last build is built
// once, here, before any test file runs. Test files run two at a time; each finding a stale deck
// and rebuilding it in place would let one serve the other a half-built deck.
import { buildDeck, deckIsStale, deckNames } from '../../server/deck.ts'

export default async function buildStaleDecks(): Promise<void> {
  // One after the other: two Slidev builds at once do not fit a small machine's memory.
  // The workshops, then the kit's sample deck of every poll kind (slides/_poll-kinds.md).
  for (const deck of [...deckNames(), '_poll-kinds']) if (deckIsStale(deck)) await buildDeck(deck)
}
