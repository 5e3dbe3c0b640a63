// "Ask a question": open for the whole session, under the poll. A question goes out with a
// postId made per question and reused when the same question is sent again after a failure,
// so a flaky network never posts it twice. The room's questions are listed in the order every
// view uses (orderQuestions), each with an upvote that can be taken back.
import { orderQuestions } from '../answers.ts'
import { LIMITS } from '../limits.ts'
import type { Ack, CardView } from '../protocol.ts'
import { addMine, cardList, heldLine, onCards, wallOf } from './cards.ts'
import { $, el, form, randomId, say, textBox } from './dom.ts'
import { NOT_SENT, sendWithRetry, socket } from './socket.ts'

export function mountQuestions(): void {
  const section = $('ask')
  const status = el('p', { className: 'status', role: 'status' })
  const [questionField, question] = textBox('ask-text', 'Your question', LIMITS.cardLength)
  const name = el('input', { type: 'text', id: 'ask-name', maxLength: LIMITS.nameLength, autocomplete: 'off' })
  name.setAttribute('aria-describedby', 'ask-anon')
  const nameField = el(
    'div',
    { className: 'field' },
    el('label', { htmlFor: 'ask-name', textContent: 'Your name (optional)' }),
    name,
    el('p', { id: 'ask-anon', className: 'hint small', textContent: 'Leave it empty to ask anonymously.' }),
  )
  const send = el('button', { type: 'submit', className: 'primary', textContent: 'Post my question' })
  const held = el('p', { className: 'hint small held' })
  const { list, show } = cardList('question', () => status)

  let pending: { text: string; name: string; postId: string } | null = null
  async function ask(): Promise<void> {
    const text = question.value.trim()
    if (!text) return say(status, 'Write your question first.', 'bad')
    const signed = name.value.trim()
    // Same question again after a failure: same postId, so it is stored once.
    if (pending?.text !== text || pending.name !== signed) pending = { text, name: signed, postId: randomId(9) }
    const payload = { text, postId: pending.postId, ...(signed ? { name: signed } : {}) }
    send.disabled = true
    say(status, 'Sending…')
    const result = await sendWithRetry<Ack<{ card: CardView }>>(
      () => socket.timeout(8000).emitWithAck('post', payload),
      () => say(status, 'Still sending… (the connection is slow)'),
    )
    send.disabled = false
    if (result) pending = null // answered, either way: a new attempt is a new question
    if (!result?.ok) return say(status, result ? result.error : NOT_SENT, 'bad')
    addMine(result.card, text)
    question.value = ''
    question.dispatchEvent(new Event('input'))
    const waiting = result.card.status === 'waiting'
    say(
      status,
      waiting ? 'Sent. The room sees it once the facilitator approves it.' : 'Sent: it is in the list below.',
      'ok',
    )
  }

  const redraw = () => {
    const questions = orderQuestions(wallOf(undefined))
    held.textContent = heldLine(null) || (questions.length ? '' : 'No questions yet.')
    held.hidden = !held.textContent
    show(questions)
    list.hidden = questions.length === 0
  }
  onCards.push(redraw)
  section.append(
    el('h2', { id: 'ask-title', textContent: 'Ask a question' }),
    el('p', { className: 'hint', textContent: 'Any time in the session. Upvote the questions you want answered.' }),
    form(ask, questionField, nameField, send),
    status,
    el('h3', { textContent: 'Questions from the room' }),
    held,
    list,
  )
  redraw()
}
