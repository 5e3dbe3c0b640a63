// The room's voice: questions waiting for approval (approve, hide), the questions on the wall
// (pin, mark answered, hide), and the open answers to the poll on the slide (highlight, hide).
// Text from the room is only ever set as text.
import type { CardView, ModeratePayload } from '../protocol.ts'
import { el } from '../voter/dom.ts'
import { type Ask, keyed, type RemoteState, slideOf } from './state.ts'

type Action = ModeratePayload['action']

export function roomPanel(state: RemoteState, ask: Ask): Node[] {
  const cards = Object.values(state.cards)
  const questions = cards.filter((card) => !card.pollId)
  const pollId = slideOf(state, state.stage?.at?.slide)?.pollId
  const answers = pollId && state.polls[pollId]?.kind === 'text' ? cards.filter((card) => card.pollId === pollId) : []
  const byRank = (a: CardView, b: CardView) =>
    Number(b.pinned) - Number(a.pinned) || b.upvotes - a.upvotes || a.at - b.at
  const button = (card: CardView, action: Action, label: string, className = '') => {
    const node = keyed(el('button', { type: 'button', className }, label), `${card.id}-${action}`)
    node.addEventListener('click', () => ask('moderate', { cardId: card.id, action }))
    return node
  }
  const item = (card: CardView, ...buttons: HTMLButtonElement[]) =>
    el(
      'li',
      { className: card.pinned ? 'pinned' : '' },
      el('p', { className: 'text' }, card.text),
      el(
        'p',
        { className: 'meta' },
        [card.name ?? 'Anonymous', `${card.upvotes} ▲`, card.pinned ? 'pinned' : '', card.answered ? 'answered' : '']
          .filter(Boolean)
          .join(' · '),
      ),
      el('div', { className: 'row' }, ...buttons),
    )
  const list = (items: Node[], empty: string) =>
    items.length ? el('ul', { className: 'cards' }, ...items) : el('p', { className: 'empty' }, empty)
  const waiting = questions.filter((card) => card.status === 'waiting').sort((a, b) => a.at - b.at)
  const shown = questions.filter((card) => card.status === 'shown').sort(byRank)
  const hidden = cards.filter((card) => card.status === 'hidden' && (!card.pollId || card.pollId === pollId))
  const parts: Node[] = [
    el('p', { className: 'kicker' }, 'The room’s voice'),
    el('h1', { id: 'room-title', tabIndex: -1 }, 'Questions'),
    el('h2', {}, `Waiting for approval (${waiting.length})`),
    list(
      waiting.map((card) => item(card, button(card, 'show', 'Approve', 'primary'), button(card, 'hide', 'Hide'))),
      'None waiting.',
    ),
    el('h2', {}, `On the wall (${shown.length})`),
    list(
      shown.map((card) =>
        item(
          card,
          card.pinned ? button(card, 'unpin', 'Unpin') : button(card, 'pin', 'Pin'),
          card.answered ? button(card, 'unanswered', 'Not answered') : button(card, 'answered', 'Answered'),
          button(card, 'hide', 'Hide'),
        ),
      ),
      'No questions yet.',
    ),
  ]
  if (pollId && answers.length) {
    parts.push(
      el('h2', {}, 'Open answers on this slide'),
      list(
        answers
          .filter((card) => card.status !== 'hidden')
          .sort(byRank)
          .map((card) =>
            item(
              card,
              ...(card.status === 'waiting' ? [button(card, 'show', 'Approve', 'primary')] : []),
              card.pinned ? button(card, 'unpin', 'Unhighlight') : button(card, 'pin', 'Highlight'),
              button(card, 'hide', 'Hide'),
            ),
          ),
        'No answers yet.',
      ),
    )
  }
  if (hidden.length) {
    parts.push(
      el('h2', {}, `Hidden (${hidden.length})`),
      list(
        hidden.map((card) => item(card, button(card, 'show', 'Show again'))),
        '',
      ),
    )
  }
  return parts
}
