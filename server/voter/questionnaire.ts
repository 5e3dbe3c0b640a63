// Self-paced questionnaires on the phone page (pre-work, pulses): one question at a time, shown
// with the same controls as a live poll, Back and Next, then "Done, thank you" with the personal
// code. Answers go out as votes on `questionnaire/question` for the questionnaire's session, so a
// pulse answered weeks later still belongs to the same person's session. A live poll, when one is
// open, comes first; the questionnaire waits where it was.
import type { PollView, QuestionnaireView } from '../protocol.ts'
import { $, el, form, textBox } from './dom.ts'
import { myCode, socket } from './socket.ts'

/** The questionnaire being answered, and where: an index past the last question is "done". */
let active: { view: QuestionnaireView; at: number } | null = null
let redraw = () => {}
/** The page's own answers by poll id (questions' keys are `questionnaire/question`). */
let answers: () => Record<string, string[]> = () => ({})

export const isQuestion = (poll: PollView) => poll.id.includes('/')

/** The question to show now, or null (none started, or done). */
export const currentQuestion = (): PollView | null => active?.view.questions[active.at] ?? null

/** The session a question's answer belongs to. */
export const sessionOf = () => active?.view.sessionId

/** "Pre-work · 2 of 7", above the question. */
export const progressLine = () =>
  active ? `${active.view.title.split(':')[0]} · ${active.at + 1} of ${active.view.questions.length}` : ''

export const atFirst = () => active?.at === 0

export function mountQuestionnaires(mine: () => Record<string, string[]>, render: () => void): void {
  redraw = render
  answers = mine
  const params = new URLSearchParams(location.search)
  const linked = params.get('q')
  // A link from an invitation or a follow-up message opens its questionnaire straight away; at
  // home, days from the session, the room's questions are not the place to be.
  if (linked) {
    $('ask').hidden = true
    socket.once('connect', () => void start(linked, Number(params.get('s')) || undefined))
  }
  $('qback').onclick = () => move(-1)
  $('qnext').onclick = () => move(1)
}

/** Asks for a questionnaire and this phone's answers, and shows the first unanswered question. */
async function start(questionnaireId: string, sessionId?: number): Promise<void> {
  const result = await socket
    .timeout(8000)
    .emitWithAck('questionnaire', { questionnaireId, ...(sessionId ? { sessionId } : {}) })
    .catch(() => null)
  if (!result?.ok) {
    $('status').textContent = result?.error ?? 'Not connected yet: try again in a moment.'
    return
  }
  const mine = Object.assign(answers(), result.mine)
  const { questions } = result.questionnaire
  const next = questions.findIndex((question: PollView) => !mine[question.id])
  active = { view: result.questionnaire, at: next < 0 ? questions.length : next }
  redraw()
}

/** Back or Next (Next also skips a question the attendee would rather not answer). */
export function move(by: number): void {
  if (!active) return
  active.at = Math.max(0, Math.min(active.view.questions.length, active.at + by))
  redraw()
  $('question').focus()
}

/** The open questionnaires while nothing else is asked: each with its Start (or Continue) button. */
export function offer(list: QuestionnaireView[]): void {
  const mine = answers()
  $('qlist').replaceChildren(
    ...list.map((view) => {
      const answered = view.questions.filter((question) => mine[question.id]).length
      return el(
        'div',
        { className: 'card' },
        el(
          'div',
          { className: 'card-body' },
          el('p', { className: 'kicker', textContent: 'At your own pace' }),
          el('p', { className: 'card-text', textContent: view.title }),
          el('p', { className: 'card-meta', textContent: `${view.questions.length} questions · ${answered} answered` }),
        ),
        el('button', {
          type: 'button',
          className: 'button',
          textContent: answered ? 'Continue' : 'Start',
          onclick: () => void start(view.id),
        }),
      )
    }),
  )
}

/** Shows the done page, or hides the questionnaire's parts; true when it is on screen. */
export function showDone(): boolean {
  const done = !!active && !currentQuestion()
  $('qdone').hidden = !done
  $('qnav').hidden = !active || done
  if (!active || !done) return done
  const until = active.view.closesAt
  const code = myCode()
  $('qdone').replaceChildren(
    el('p', { className: 'kicker', textContent: active.view.title }),
    el('h2', { textContent: 'Done, thank you.', tabIndex: -1 }),
    el('p', {
      textContent: `Your answers are saved.${until ? ` You can change them until ${new Date(until).toLocaleDateString(undefined, { dateStyle: 'long' })}.` : ''}`,
    }),
    el('p', { className: 'hint', textContent: 'Your personal code, to carry on from another device (My takeaway):' }),
    el('p', { className: 'code', textContent: code }),
    el('button', { type: 'button', className: 'button', textContent: 'Review my answers', onclick: () => move(-99) }),
  )
  return true
}

/** A questionnaire's open text: a private sentence for the facilitator, not a card on the wall. */
export function note(poll: PollView, saved: string[] | undefined, vote: (answer: string) => unknown): HTMLElement[] {
  const [field, box] = textBox('note', 'Your answer', poll.maxLength ?? 280)
  box.value = saved?.[0] ?? ''
  box.dispatchEvent(new Event('input'))
  return [
    el('p', { className: 'hint', textContent: 'Only your facilitator reads it, without your name.' }),
    form(
      () => vote(box.value),
      field,
      el('button', { type: 'submit', className: 'primary', id: 'send', textContent: 'Save' }),
    ),
  ]
}
