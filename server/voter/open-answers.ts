// Open answers (`text` polls): write a sentence or two, up to the poll's count, then see the
// wall of answers the room may read, with a like on each (your own marked). Posted with a
// postId per answer, reused while the same answer is retried.
import { orderAnswers } from '../answers.ts'
import { LIMITS } from '../limits.ts'
import type { Ack, CardView, PollView } from '../protocol.ts'
import { addMine, cardList, heldLine, isMine, onCards, wallOf } from './cards.ts'
import { $, el, form, randomId, say, textBox } from './dom.ts'
import { NOT_SENT, sendWithRetry, socket } from './socket.ts'

let redrawWall = () => {}
onCards.push(() => redrawWall())

export function openAnswers(poll: PollView): HTMLElement[] {
  const line = el('p', { className: 'status', role: 'status' })
  const status = () => line
  const max = poll.count ?? 1
  const [field, box] = textBox('answer-text', 'Your answer', poll.maxLength ?? LIMITS.cardLength)
  const send = el('button', { type: 'submit', className: 'primary', textContent: 'Post my answer' })
  const entry = form(post, field, send)
  const done = el('p', { className: 'hint' })
  const held = el('p', { className: 'hint small held' })
  const { list, show } = cardList('answer', status)
  let pending: { text: string; postId: string } | null = null

  async function post(): Promise<void> {
    const text = box.value.trim()
    if (!text) return say(status(), 'Write your answer first.', 'bad')
    if (pending?.text !== text) pending = { text, postId: randomId(9) }
    const payload = { pollId: poll.id, text, postId: pending.postId }
    send.disabled = true
    say(status(), 'Sending…')
    const result = await sendWithRetry<Ack<{ card: CardView }>>(
      () => socket.timeout(8000).emitWithAck('post', payload),
      () => say(status(), 'Still sending… (the connection is slow)'),
    )
    send.disabled = false
    if (result) pending = null
    if (!result?.ok) return say(status(), result ? result.error : NOT_SENT, 'bad')
    box.value = ''
    box.dispatchEvent(new Event('input'))
    addMine(result.card, text)
    say(status(), 'Posted: it is on the wall below.', 'ok')
  }

  redrawWall = () => {
    const wall = orderAnswers(wallOf(poll.id), poll.order ?? 'liked')
    const posted = wall.filter((card) => isMine(card.id)).length
    entry.hidden = posted >= max
    done.hidden = posted === 0
    done.textContent =
      posted >= max
        ? `You posted your answer${max > 1 ? 's' : ''}. Like the ones you agree with.`
        : `You can post ${max - posted} more.`
    held.textContent = heldLine(poll.id) || (wall.length ? '' : 'No answers yet.')
    show(wall)
  }
  redrawWall()
  // The wall sits outside the poll's fieldset, whose option-button styles are not for it.
  $('wall').replaceChildren(el('h3', { textContent: 'On the wall' }), held, list)
  return [entry, line, done]
}
