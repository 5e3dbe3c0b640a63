// The room's questions and open answers in memory: every card with its upvoters, rebuilt from the
// store on start and kept up to date from the store's log, like the tallies. It decides what each
// reader may see: the presenter every card; the room only shown ones, the rest as a count.
import { createHash } from 'node:crypto'
import type { CardView, HeldCount } from './protocol.ts'
import type { CardResult } from './results.ts'
import type { CardRecord, SessionSnapshot, UpvoteCount } from './store.ts'
import { withoutBidiControls } from './text.ts'

/** The same participant and post id always make the same card id, so a retried post is stored once. */
export function cardId(participantId: string, postId: string): string {
  return createHash('sha256').update(`${participantId}\u0000${postId}`).digest('base64url').slice(0, 16)
}

export type Reader = 'presenter' | 'room'

/** A card as a reader sees it: the room reads a held or hidden card's status, never its text. */
export function cardView(record: CardRecord, upvotes: number, reader: Reader): CardView {
  const readable = reader === 'presenter' || record.status === 'shown'
  return {
    id: record.id,
    ...(record.pollId ? { pollId: record.pollId } : {}),
    // Cards stored before bidi controls were removed on the way in lose them here.
    text: readable ? withoutBidiControls(record.text) : '',
    ...(readable && record.name ? { name: withoutBidiControls(record.name) } : {}),
    at: record.at,
    upvotes,
    status: record.status,
    pinned: record.pinned,
    answered: record.answered,
  }
}

export class CardBoard {
  private readonly cards = new Map<string, { record: CardRecord; upvoters: Set<string> }>()
  private readonly byAuthor = new Map<string, Set<string>>()
  private readonly byVoter = new Map<string, Set<string>>()

  constructor(snapshot?: Pick<SessionSnapshot, 'cards' | 'upvotes'>) {
    if (!snapshot) return
    this.add(snapshot.cards)
    for (const { cardId, participantId } of snapshot.upvotes) this.mark(cardId, participantId, true)
  }

  get(id: string): CardRecord | undefined {
    return this.cards.get(id)?.record
  }

  /** New cards; one already held keeps its record (a retried post). Returns the ids added. */
  add(records: readonly CardRecord[]): string[] {
    const added: string[] = []
    for (const record of records) {
      if (this.cards.has(record.id)) continue
      this.cards.set(record.id, { record, upvoters: new Set() })
      this.index(this.byAuthor, record.participantId).add(record.id)
      added.push(record.id)
    }
    return added
  }

  /** A card's new record (moderation); false when the card is not held here. */
  set(record: CardRecord): boolean {
    const card = this.cards.get(record.id)
    if (!card) return false
    card.record = record
    return true
  }

  /** Applies upvotes as logged; the count comes from the store, so the change may repeat safely. */
  upvote(counts: readonly UpvoteCount[]): string[] {
    const changed = new Set<string>()
    for (const { cardId, participantId, on } of counts) {
      if (this.mark(cardId, participantId, on)) changed.add(cardId)
    }
    return [...changed]
  }

  /** Removes a `text` poll's cards (a reset); returns their ids. */
  clear(pollId: string): string[] {
    const removed: string[] = []
    for (const [id, { record, upvoters }] of this.cards) {
      if (record.pollId !== pollId) continue
      this.cards.delete(id)
      this.byAuthor.get(record.participantId)?.delete(id)
      for (const voter of upvoters) this.byVoter.get(voter)?.delete(id)
      removed.push(id)
    }
    return removed
  }

  /** How many cards this participant posted to a poll (null: questions to the room). */
  postedBy(participantId: string, pollId: string | null): number {
    let n = 0
    for (const id of this.byAuthor.get(participantId) ?? []) if (this.get(id)?.pollId === pollId) n++
    return n
  }

  mine(participantId: string): string[] {
    return [...(this.byAuthor.get(participantId) ?? [])]
  }

  upvotedBy(participantId: string): string[] {
    return [...(this.byVoter.get(participantId) ?? [])]
  }

  shown(pollId: string | null): number {
    let n = 0
    for (const { record } of this.cards.values()) if (record.pollId === pollId && record.status === 'shown') n++
    return n
  }

  /** A card as a reader may see it: the room reads a held or hidden card's status, never its text. */
  view(id: string, reader: Reader): CardView | undefined {
    const card = this.cards.get(id)
    return card && cardView(card.record, card.upvoters.size, reader)
  }

  /** Every card as the presenter reads it. */
  all(): CardView[] {
    return [...this.cards.keys()].map((id) => this.view(id, 'presenter') as CardView)
  }

  /** The shown cards of one wall (null: the questions), unordered. */
  shownOn(pollId: string | null): CardView[] {
    const views: CardView[] = []
    for (const [id, { record }] of this.cards) {
      if (record.pollId === pollId && record.status === 'shown') views.push(this.view(id, 'room') as CardView)
    }
    return views
  }

  /** The walls that hold cards (null: the questions). */
  walls(): (string | null)[] {
    return [...new Set([...this.cards.values()].map(({ record }) => record.pollId))]
  }

  /** How many cards the room cannot read, per wall. */
  held(): HeldCount[] {
    const counts = new Map<string | null, HeldCount>()
    for (const { record } of this.cards.values()) {
      if (record.status === 'shown') continue
      const count = counts.get(record.pollId) ?? { pollId: record.pollId, hidden: 0, waiting: 0 }
      count[record.status]++
      counts.set(record.pollId, count)
    }
    return [...counts.values()]
  }

  /** Every card of a wall (null: the questions), for exports: hidden ones too, marked. */
  results(pollId: string | null): CardResult[] {
    const results: CardResult[] = []
    for (const { record, upvoters } of this.cards.values()) {
      if (record.pollId !== pollId) continue
      const { pollId: _, ...result } = cardView(record, upvoters.size, 'presenter')
      results.push(result)
    }
    return results
  }

  private mark(id: string, participantId: string, on: boolean): boolean {
    const card = this.cards.get(id)
    if (!card || card.upvoters.has(participantId) === on) return false
    if (on) {
      card.upvoters.add(participantId)
      this.index(this.byVoter, participantId).add(id)
    } else {
      card.upvoters.delete(participantId)
      this.byVoter.get(participantId)?.delete(id)
    }
    return true
  }

  private index(map: Map<string, Set<string>>, key: string): Set<string> {
    let set = map.get(key)
    if (!set) {
      set = new Set()
      map.set(key, set)
    }
    return set
  }
}
