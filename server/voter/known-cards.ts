// The room's cards as one phone knows them, without any page: what it may list (shown cards, and
// its own waiting ones), its own cards, its upvotes and the held counts. The phone page draws from
// it; the tests read a phone's list through the same rules.
import type { CardsPayload, CardView, HeldCount, SyncPayload } from '../protocol.ts'

export class KnownCards {
  readonly cards = new Map<string, CardView>()
  readonly mine = new Set<string>()
  readonly upvoted = new Set<string>()
  held: HeldCount[] = []

  /** A full state: everything known before is replaced. */
  sync(state: SyncPayload): void {
    this.cards.clear()
    this.mine.clear()
    this.upvoted.clear()
    for (const id of state.myCards ?? []) this.mine.add(id)
    for (const id of state.myUpvotes ?? []) this.upvoted.add(id)
    for (const card of state.cards ?? []) this.merge(card)
    this.held = state.held ?? []
  }

  apply(payload: CardsPayload): void {
    for (const card of payload.cards) this.merge(card)
    this.held = payload.held // every wall's counts (a wall with none held is left out)
  }

  /** A card this phone just posted, with the text it sent (the acknowledgement may omit it). */
  addMine(card: CardView, text: string): void {
    this.mine.add(card.id)
    this.merge({ ...card, text: card.text || text })
  }

  /** The cards of one wall (pollId undefined: the room's questions), unordered. */
  wallOf(pollId?: string): CardView[] {
    return [...this.cards.values()].filter((card) => card.pollId === pollId)
  }

  private merge(card: CardView): void {
    // A card without text is one the room may not read (held, hidden, or off the top of its wall):
    // it goes, unless it is this phone's own, which keeps the text it sent.
    const text = card.text || (this.mine.has(card.id) ? this.cards.get(card.id)?.text : '') || ''
    const keep = card.status === 'shown' || (this.mine.has(card.id) && card.status === 'waiting')
    if (keep && text) this.cards.set(card.id, { ...card, text })
    else this.cards.delete(card.id)
  }
}
