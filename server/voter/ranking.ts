// A ranking by taps, no dragging: tap the options in your order (1, 2, 3…), tap a placed one
// again to take it back (those after it move up). The options stay where they are, so a thumb
// or a screen reader finds them in the same place; each shows its place.
import { readKey } from '../answers.ts'
import type { PollView } from '../protocol.ts'
import { el, form } from './dom.ts'

/** The saved order, from the keys the server stored ("option@place"). */
function savedOrder(keys: string[] = []): string[] {
  const places = keys.map(readKey).filter((key) => key && 'place' in key) as { id: string; place: number }[]
  return places.sort((a, b) => a.place - b.place).map((key) => key.id)
}

export function ranking(
  poll: PollView,
  saved: string[] | undefined,
  vote: (answer: string[]) => Promise<boolean>,
): HTMLElement[] {
  let order = savedOrder(saved)
  const total = poll.options.length
  const send = el('button', { type: 'submit', className: 'primary' })
  const rows = poll.options.map((option) => {
    const place = el('span', { className: 'place' })
    const button = el('button', { type: 'button' }, place, el('span', { textContent: option.label }))
    button.addEventListener('click', () => {
      order = order.includes(option.id) ? order.filter((id) => id !== option.id) : [...order, option.id]
      update()
    })
    return { id: option.id, button, place }
  })
  function update(): void {
    for (const { id, button, place } of rows) {
      const at = order.indexOf(id) + 1
      place.textContent = at ? String(at) : ''
      button.setAttribute('aria-pressed', String(at > 0))
    }
    const left = total - order.length
    send.disabled = left > 0
    send.textContent = left ? `Place ${left} more` : 'Send my order'
  }
  update()
  const submit = async () => {
    send.disabled = true
    await vote(order)
    send.disabled = false
  }
  return [
    el('p', {
      className: 'hint',
      textContent: 'Tap the options in your order, first to last. Tap again to take one back.',
    }),
    el('div', { className: 'ranking' }, ...rows.map((row) => row.button)),
    form(submit, send),
  ]
}
