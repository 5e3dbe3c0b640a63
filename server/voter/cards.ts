// The room's questions and the open answers on a wall, as this phone knows them: the cards it
// may read, its own (waiting ones too), its upvotes, and the counts of what it may not read.
// Card text and names are set as textContent only.
import type { Ack, CardsPayload, CardView, SyncPayload } from '../protocol.ts'
import { el, say } from './dom.ts'
import { KnownCards } from './known-cards.ts'
import { NOT_SENT, socket } from './socket.ts'

/** What this phone knows of the room's cards. */
export const known = new KnownCards()

/** Called after any change, to redraw the question list and the wall. */
export const onCards: (() => void)[] = []
const changed = () => {
  for (const listener of onCards) listener()
}

export function syncCards(state: SyncPayload): void {
  known.sync(state)
  changed()
}

export function applyCards(payload: CardsPayload): void {
  known.apply(payload)
  changed()
}

/** A card this phone just posted, with the text it sent (the acknowledgement may omit it). */
export function addMine(card: CardView, text: string): void {
  known.addMine(card, text)
  changed()
}

export const isMine = (id: string) => known.mine.has(id)

/** The cards of one wall (pollId undefined: the room's questions). */
export const wallOf = (pollId?: string) => known.wallOf(pollId)

/** "3 hidden by the facilitator · 2 waiting for approval": counts only, never the text. */
export function heldLine(pollId: string | null): string {
  const count = known.held.find((h) => h.pollId === pollId)
  // This phone's own waiting cards are listed, marked: the count is of the others'.
  const waiting = (count?.waiting ?? 0) - wallOf(pollId ?? undefined).filter((card) => card.status === 'waiting').length
  const parts: string[] = []
  if (count?.hidden) parts.push(`${count.hidden} hidden by the facilitator`)
  if (waiting > 0) parts.push(`${waiting} waiting for approval`)
  return parts.join(' · ')
}

const ICONS = {
  question: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 3l8 9h-5v8H9v-8H4z"/></svg>',
  answer:
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 21s-8-5.2-8-11a4.4 4.4 0 0 1 8-2.6A4.4 4.4 0 0 1 20 10c0 5.8-8 11-8 11z"/></svg>',
}

/**
 * A list of cards that updates in place: items are kept by id, so a focused upvote button
 * keeps its focus when the order changes. `status` hears refusals.
 */
export function cardList(kind: 'question' | 'answer', status: () => HTMLElement) {
  const list = el('ol', { className: 'cards' })
  const items = new Map<string, { item: HTMLLIElement; body: HTMLElement; vote: HTMLButtonElement }>()
  const verb = kind === 'question' ? 'Upvote' : 'Like'

  async function toggle(id: string, button: HTMLButtonElement): Promise<void> {
    const on = !known.upvoted.has(id)
    button.disabled = true
    let result: Ack<{ upvotes: number }> | null = null
    try {
      result = await socket.timeout(8000).emitWithAck('upvote', { cardId: id, on })
    } catch {
      // said below
    }
    button.disabled = false
    if (result?.ok) {
      if (on) known.upvoted.add(id)
      else known.upvoted.delete(id)
      const card = known.cards.get(id)
      if (card) card.upvotes = result.upvotes
      changed()
    } else say(status(), result ? result.error : NOT_SENT, 'bad')
  }

  function draw(card: CardView) {
    let entry = items.get(card.id)
    if (!entry) {
      const vote = el('button', { type: 'button', className: 'up' })
      vote.addEventListener('click', () => void toggle(card.id, vote))
      entry = { item: el('li'), body: el('div', { className: 'card-body' }), vote }
      entry.item.append(entry.body, vote)
      items.set(card.id, entry)
    }
    const { item, body, vote } = entry
    const waiting = card.status === 'waiting'
    const tags: [string, string][] = []
    if (card.pinned) tags.push(['pin', kind === 'question' ? 'Pinned' : 'Highlighted'])
    if (card.answered) tags.push(['done', 'Answered'])
    if (isMine(card.id)) tags.push(['you', 'Yours'])
    if (waiting) tags.push(['wait', 'Waiting for the facilitator'])
    item.className = `card${card.answered ? ' answered' : ''}${card.pinned ? ' pinned' : ''}`
    const text = el('p', { id: `card-${card.id}`, className: 'card-text', dir: 'auto', textContent: card.text })
    const meta = el(
      'p',
      { className: 'card-meta' },
      ...tags.map(([tone, label]) => el('span', { className: `tag ${tone}`, textContent: label })),
      ...(kind === 'question' ? [el('span', { dir: 'auto', textContent: card.name || 'Anonymous' })] : []),
    )
    body.replaceChildren(text, meta)
    vote.hidden = waiting
    vote.innerHTML = ICONS[kind] // constant markup: the icon
    // Named by its words, not an aria-label, so the name holds the count people see.
    vote.append(el('span', { className: 'sr-only', textContent: `${verb} ` }), String(card.upvotes))
    vote.setAttribute('aria-describedby', text.id)
    vote.setAttribute('aria-pressed', String(known.upvoted.has(card.id)))
    return item
  }

  /** Shows these cards in this order. */
  function show(ordered: CardView[]): void {
    const focused = document.activeElement
    const wanted = ordered.map(draw)
    const ids = new Set(ordered.map((card) => card.id))
    for (const [id, entry] of items)
      if (!ids.has(id)) {
        entry.item.remove()
        items.delete(id)
      }
    // Moves only what is out of place, then gives focus back if a move took it.
    wanted.forEach((item, i) => {
      if (list.children[i] !== item) list.insertBefore(item, list.children[i] ?? null)
    })
    if (focused instanceof HTMLElement && focused !== document.activeElement && list.contains(focused)) focused.focus()
  }

  return { list, show }
}
