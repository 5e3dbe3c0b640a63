// The phone page: shows the poll that is open, sends an answer, and shows that it counted; under
// it, the room's questions. Kept tiny (it is inlined into one HTML response) and free of
// frameworks. Text from polls and people is set with textContent, never as HTML.

import { HATS, type HatKind, hatOf, svgMarkup } from '../../components/drawings.ts'
import { orderAnswers, orderQuestions, placedItems, readKey, roomOrder } from '../answers.ts'
import { LIMITS } from '../limits.ts'
import type { Ack, CardView, PollView, Takeaway, VotePayload } from '../protocol.ts'
import { isolate } from '../text.ts'
import { rankWords } from '../words.ts'
import { applyCards, syncCards } from './cards.ts'
import { receive, showCountdown, timeToAnswer } from './countdown.ts'
import { $, announce, el, form, randomId } from './dom.ts'
import { matrix } from './matrix.ts'
import { openAnswers } from './open-answers.ts'
import {
  atFirst,
  currentQuestion,
  isQuestion,
  mountQuestionnaires,
  move,
  note,
  offer,
  progressLine,
  sessionOf,
  showDone,
} from './questionnaire.ts'
import { mountQuestions } from './questions.ts'
import { ranking } from './ranking.ts'
import { becomeParticipant, joinRoom, myCode, NOT_SENT, sendWithRetry, socket } from './socket.ts'

const polls = new Map<string, PollView>()
let mine: Record<string, string[]> = {}
let shownKey = ''
let sending = false
/** Multiple choice: what is ticked but not yet sent. */
let picked = new Set<string>()

function currentPoll(): PollView | undefined {
  let newest: PollView | undefined
  for (const poll of polls.values()) {
    if (poll.state === 'open' && (!newest || (poll.openedAt ?? 0) > (newest.openedAt ?? 0))) newest = poll
  }
  return newest
}

function setStatus(text: string, tone: 'ok' | 'bad' | '' = ''): void {
  const status = $('status')
  status.textContent = text
  status.dataset.tone = tone
}

/** The drawn hats (the deck's own pictures), as decoration: the text beside them names them. */
function hatPicture(kind: HatKind | 'both'): HTMLElement {
  const span = el('span')
  // Constant markup from components/drawings.ts, never text from a poll or a person.
  span.innerHTML =
    kind === 'both'
      ? `<svg viewBox="0 0 120 100" aria-hidden="true"><g transform="translate(0 4) scale(.62)">${svgMarkup(HATS.lead)}</g><g transform="translate(45 34) scale(.62)">${svgMarkup(HATS.manage)}</g></svg>`
      : svgMarkup(HATS[kind])
  return span.firstElementChild as HTMLElement
}

function choiceButton(text: string, value: string, onClick: () => void): HTMLButtonElement {
  const hat = hatOf(text)
  const button = el('button', { type: 'button' }, ...(hat ? [hatPicture(hat)] : []), el('span', { textContent: text }))
  button.dataset.value = value
  button.addEventListener('click', onClick)
  return button
}

/** What to do, above the question. */
const HINTS: Record<PollView['kind'], string> = {
  single: 'Choose one',
  multiple: 'Choose several',
  quiz: 'Which hat?',
  scale: 'Choose a number',
  words: 'Type a word or a few',
  reactions: 'Tap to react',
  steps: 'Private to you',
  text: 'In a sentence or two',
  ranking: 'Put in order',
  matrix: 'Place on the grid',
}

const labelOf = (poll: PollView, id: string) => poll.options.find((option) => option.id === id)?.label ?? id

function answeredText(poll: PollView): string {
  const answer = mine[poll.id]
  if (!answer) return ''
  if (isQuestion(poll)) return 'Saved. Change it, or tap Next.'
  if (poll.kind === 'quiz' && poll.revealed && poll.correct) {
    // A suggested answer, not a score: the screen shows the reasoning and the other case.
    return poll.correct.includes(answer[0] ?? '')
      ? 'You picked the suggested answer. The other case is on the screen.'
      : `The suggested answer was ${poll.correct.map((id) => labelOf(poll, id)).join(' or ')}. Your pick has a case too: see the screen.`
  }
  if (poll.kind === 'words') return `You said "${isolate(answer[0] ?? '')}". Send another to change it.`
  if (poll.kind === 'steps') return 'Saved. Open "My takeaway" at the end to keep them.'
  if (poll.kind === 'ranking') return 'Your order counted. Tap to change it and send again.'
  if (poll.kind === 'matrix') return 'Your places counted. Move any and send again.'
  return 'Your vote counted. Tap another option to change it.'
}

/** Builds the controls for a poll; called when a different poll (or its reveal) comes up. */
function build(poll: PollView): HTMLElement[] {
  const vote = (answer: VotePayload['answer']) => send(poll.id, answer)
  switch (poll.kind) {
    case 'single':
      return poll.options.map((option) => choiceButton(option.label, option.id, () => vote(option.id)))
    case 'quiz':
      return poll.options.map((option) => {
        const button = choiceButton(option.label, option.id, () => vote(option.id))
        // After the reveal the suggested answer's tile says so in words, not only by its frame.
        if (poll.correct?.includes(option.id)) button.classList.add('right')
        return button
      })
    case 'multiple': {
      picked = new Set(mine[poll.id] ?? [])
      const submit = el('button', { type: 'submit', className: 'primary', id: 'send' })
      const buttons = poll.options.map((option) =>
        choiceButton(option.label, option.id, () => {
          if (picked.has(option.id)) picked.delete(option.id)
          else if (picked.size < (poll.max ?? poll.options.length)) picked.add(option.id)
          else setStatus(`Pick at most ${poll.max}; untick one first.`, 'bad')
          refresh(poll)
        }),
      )
      return [
        el('p', { className: 'hint', textContent: `Pick up to ${poll.max}, then send.` }),
        ...buttons,
        form(() => vote([...picked]), submit),
      ]
    }
    case 'scale': {
      const points = poll.options.map((option) => choiceButton(option.label, option.id, () => vote(Number(option.id))))
      const end = (label = '', last = false) => {
        const hat = hatOf(label)
        const pictures = hat && hat !== 'both' ? [hatPicture(hat)] : []
        const text = el('span', { textContent: label })
        return el('span', { className: hat ? `end-${hat}` : '' }, ...(last ? [text, ...pictures] : [...pictures, text]))
      }
      const ends = el('div', { className: 'ends' }, end(poll.minLabel), end(poll.maxLabel, true))
      return [el('div', { className: 'scale' }, ...points), ends]
    }
    case 'words': {
      const input = el('input', {
        type: 'text',
        id: 'word',
        maxLength: poll.maxLength ?? LIMITS.wordLength,
        autocomplete: 'off',
        required: true,
      })
      input.setAttribute('aria-label', 'Your answer')
      input.placeholder = 'Your word'
      input.setAttribute('enterkeyhint', 'send')
      const submit = el('button', {
        type: 'submit',
        className: 'primary',
        id: 'send',
        textContent: 'Send',
      })
      // The box empties only once the word counted, so a refused word can be corrected.
      const sendWord = async () => {
        if (await vote(input.value)) input.value = ''
      }
      return [input, form(sendWord, submit)]
    }
    case 'steps': {
      const saved = mine[poll.id] ?? []
      const inputs = Array.from({ length: poll.count ?? 3 }, (_, i) => {
        const input = el('textarea', {
          rows: 2,
          maxLength: LIMITS.stepLength,
          value: saved[i] ?? '',
          className: 'step',
        })
        input.setAttribute('aria-label', `Action step ${i + 1}`)
        input.placeholder = `Step ${i + 1}`
        return input
      })
      const submit = el('button', { type: 'submit', className: 'primary', id: 'send', textContent: 'Save my steps' })
      return [
        el('p', { className: 'hint', textContent: 'Private: only you see these, on this phone and in your takeaway.' }),
        ...inputs,
        form(() => vote(inputs.map((input) => input.value)), submit),
      ]
    }
    case 'text':
      return isQuestion(poll) ? note(poll, mine[poll.id], vote) : openAnswers(poll)
    case 'ranking':
      return ranking(poll, mine[poll.id], vote)
    case 'matrix':
      return matrix(poll, mine[poll.id], vote)
    case 'reactions':
      return [
        el(
          'div',
          { className: 'reactions', style: `--n:${Math.min(poll.options.length, 5)}` },
          ...poll.options.map((option) => {
            const button = choiceButton(option.label, option.id, () => react(poll.id, option.id))
            button.setAttribute('aria-label', `React ${option.label}`)
            return button
          }),
        ),
      ]
  }
}

/** Updates pressed states and the send button without rebuilding (keeps focus and typing). */
function refresh(poll: PollView): void {
  const chosen = poll.kind === 'multiple' ? [...picked] : (mine[poll.id] ?? [])
  for (const button of $('options').querySelectorAll<HTMLButtonElement>('button[data-value]')) {
    if (poll.kind !== 'reactions')
      button.setAttribute('aria-pressed', String(chosen.includes(button.dataset.value ?? '')))
    button.disabled = sending
  }
  const send = document.getElementById('send') as HTMLButtonElement | null
  if (send) {
    send.disabled = sending || (poll.kind === 'multiple' && picked.size === 0)
    if (poll.kind === 'multiple') send.textContent = `Send (${picked.size} of ${poll.max})`
  }
}

/** Quiz options that name hats are drawn as two large tiles. */
const asTiles = (poll: PollView) =>
  poll.kind === 'quiz' && poll.options.length <= 4 && poll.options.every((option) => hatOf(option.label))

function render(): void {
  // A live poll comes first; a questionnaire the attendee is answering waits where it was.
  const live = currentPoll()
  const poll = live ?? currentQuestion() ?? undefined
  const done = !live && showDone()
  showCountdown(live)
  $('poll').hidden = !poll
  $('qnav').hidden = !poll || !!live
  $('waiting').hidden = $('qlist').hidden = Boolean(poll) || done
  if (!poll) {
    if (shownKey && !shownKey.includes('/')) {
      setStatus('Voting closed.')
      announce('Voting closed. Wait for the next question.')
    }
    shownKey = ''
    return
  }
  const key = `${poll.id}:${poll.revealed}`
  if (key !== shownKey) {
    const sameQuestion = shownKey.startsWith(`${poll.id}:`)
    shownKey = key
    $('hint').textContent = isQuestion(poll) ? progressLine() : HINTS[poll.kind]
    ;($('qback') as HTMLButtonElement).disabled = atFirst()
    $('question').textContent = poll.question
    $('options').className = `options kind-${poll.kind}${asTiles(poll) ? ' tiles' : ''}`
    $('wall').replaceChildren()
    $('options').replaceChildren(...build(poll))
    setStatus(answeredText(poll), poll.kind === 'quiz' && poll.revealed && mine[poll.id] ? 'ok' : '')
    if (!sameQuestion) announce(`New question: ${poll.question}${timeToAnswer(poll)}`)
    else if (poll.revealed) announce('The answer is revealed.')
  }
  $('qnext').textContent = mine[poll.id] ? 'Next' : 'Skip'
  refresh(poll)
}

/** Sends one answer; retries with the same vote id, so a flaky network never counts it twice. */
async function send(pollId: string, answer: VotePayload['answer']): Promise<boolean> {
  const voteId = randomId(9)
  sending = true
  render()
  setStatus('Sending…')
  const sessionId = pollId.includes('/') ? sessionOf() : undefined
  const result = await sendWithRetry<Ack<{ answer: string[] }>>(
    () => socket.timeout(8000).emitWithAck('vote', { pollId, answer, voteId, ...(sessionId ? { sessionId } : {}) }),
    () => setStatus('Still sending… (the connection is slow)'),
  )
  sending = false
  const poll = polls.get(pollId) ?? currentQuestion()
  if (result?.ok && poll && isQuestion(poll)) {
    mine[pollId] = result.answer
    // Moving on is what a person sees; a screen reader hears that it was saved.
    move(1)
    announce('Saved.')
    return true
  }
  if (result?.ok && poll) {
    mine[pollId] = result.answer
    setStatus(answeredText(poll), 'ok')
  } else {
    setStatus(
      result && !result.ok ? result.error : 'Your answer could not be sent. Check the Wi-Fi and try again.',
      'bad',
    )
  }
  render()
  return Boolean(result?.ok)
}

let lastTap = 0
async function react(pollId: string, emoji: string): Promise<void> {
  // Answers may come back out of order (refusals are instant, saved taps wait for the disk):
  // only the newest tap's answer is shown.
  const tap = ++lastTap
  let text = 'Not sent: the connection is slow.'
  let tone: 'ok' | 'bad' = 'bad'
  try {
    const result = await socket.timeout(5000).emitWithAck('react', { pollId, emoji })
    text = result.ok ? `${emoji} sent` : result.error
    tone = result.ok ? 'ok' : 'bad'
  } catch {
    // keeps the message above
  }
  if (tap === lastTap) setStatus(text, tone)
}

function setConnection(online: boolean, text: string): void {
  // The pill never wraps: a long reason goes to the tooltip, not into the header.
  const conn = $('conn')
  conn.dataset.state = online ? 'online' : 'offline'
  conn.textContent = text
}

// "My takeaway": the group's results and this participant's own answers, as a page that
// prints cleanly to PDF from the phone's browser.
async function showTakeaway(): Promise<void> {
  const page = $('takeaway')
  const open = location.hash === '#takeaway'
  page.hidden = !open
  $('main').hidden = open
  if (!open) return
  window.scrollTo(0, 0)
  page.replaceChildren(el('p', { textContent: 'Loading your takeaway…' }))
  let result: Ack<Takeaway> | null = null
  try {
    result = await socket.timeout(8000).emitWithAck('takeaway')
  } catch {
    // shown below
  }
  if (!result?.ok) {
    page.replaceChildren(el('p', { textContent: result?.error ?? 'Not connected yet: try again in a moment.' }))
    return
  }
  const { session, polls: all, mine: answers } = result
  const day = new Date(session.startedAt).toLocaleDateString(undefined, { dateStyle: 'long' })
  const blocks: Node[] = [
    el('h2', { textContent: 'My takeaway' }),
    el('p', { className: 'hint', textContent: `Management vs Leadership · ${session.name} · ${day}` }),
  ]
  const steps = Object.entries(answers).find(([id]) => polls.get(id)?.kind === 'steps')?.[1]
  if (steps?.length)
    blocks.push(
      el('h3', { textContent: 'My action steps' }),
      el('ol', {}, ...steps.map((step) => el('li', { dir: 'auto', textContent: step }))),
    )
  for (const poll of all) {
    if (poll.tally.total === 0 && !answers[poll.id]) continue
    blocks.push(el('h3', { textContent: poll.question }), ...resultLines(poll, answers[poll.id], result))
  }
  const questions = orderQuestions(result.cards.filter((card) => !card.pollId))
  if (questions.length)
    blocks.push(
      el('h3', { textContent: 'Questions from the room' }),
      el('ul', {}, ...questions.map((card) => cardLine(card, result.myCards))),
    )
  for (const { title, questions } of result.questionnaires) {
    blocks.push(el('h3', { textContent: title }))
    for (const question of questions) {
      const answer = answers[question.id]
      if (answer)
        blocks.push(
          el('p', { textContent: question.question }),
          el('p', { className: 'mine', textContent: mineText(question, answer) }),
        )
    }
  }
  blocks.push(yourData())
  blocks.push(
    el('button', {
      type: 'button',
      className: 'primary no-print',
      textContent: 'Save as PDF / print',
      onclick: () => window.print(),
    }),
    el(
      'p',
      { className: 'back no-print' },
      el('a', { className: 'button', href: '#', textContent: 'Back to the poll' }),
    ),
  )
  page.replaceChildren(...blocks)
}

/**
 * The personal code (to carry on from another device, typed here) and deleting everything
 * stored under it. Not printed: the code is what links a person's answers.
 */
function yourData(): HTMLElement {
  const status = el('p', { className: 'status', role: 'status' })
  const code = el('input', { type: 'text', id: 'code', autocomplete: 'off', autocapitalize: 'characters' })
  const ask = async <T>(reply: Promise<Ack<T>>, then: (result: T) => void) => {
    const result = await reply.catch(() => null)
    if (result?.ok) then(result)
    else status.textContent = result?.error ?? NOT_SENT
  }
  return el(
    'section',
    { className: 'no-print' },
    el('h3', { textContent: 'Your personal code' }),
    el('p', { className: 'code', textContent: myCode() }),
    el('p', {
      className: 'hint',
      textContent:
        'It links your answers before, during and after the session, without your name. To carry on from another device, type it there, here:',
    }),
    form(
      () => ask(socket.timeout(8000).emitWithAck('code', { code: code.value }), (r) => becomeParticipant(r.code)),
      el('label', { htmlFor: 'code', textContent: 'A code from your other device' }),
      code,
      el('button', { type: 'submit', className: 'button', textContent: 'Carry on with this code' }),
    ),
    status,
    el('h3', { textContent: 'Your data' }),
    el('p', {
      className: 'hint',
      textContent: 'Deletes every answer, question and upvote stored under your code, in every session, for good.',
    }),
    el('button', {
      type: 'button',
      className: 'button danger',
      textContent: 'Delete my data',
      onclick: () =>
        confirm('Delete everything stored under your code? This cannot be undone.') &&
        ask(socket.timeout(8000).emitWithAck('forget', { confirm: true }), () => becomeParticipant(null)),
    }),
  )
}

/** A card as a line of a list: its text (as text), its votes, and whether it is yours. */
const cardLine = (card: CardView, mine: string[]) =>
  el('li', { textContent: `${isolate(card.text)} (${card.upvotes})${mine.includes(card.id) ? ' · yours' : ''}` })

/** Your own answer in words: a ranking's order, a 2×2's points, or the options' labels. */
function mineText(poll: PollView, answer: string[]): string {
  const read = answer.map((key) => ({ key, at: readKey(key) }))
  if (poll.kind === 'ranking')
    read.sort((a, b) => (a.at && 'place' in a.at && b.at && 'place' in b.at ? a.at.place - b.at.place : 0))
  return read
    .map(({ key, at }) =>
      at ? `${labelOf(poll, at.id)}${'x' in at ? ` (${at.x}, ${at.y})` : ''}` : labelOf(poll, key),
    )
    .join(', ')
}

function resultLines(poll: Takeaway['polls'][number], answer: string[] | undefined, result: Takeaway): Node[] {
  const { tally } = poll
  const lines: Node[] = []
  if (tally.hidden) lines.push(el('p', { textContent: `${tally.total} answered; results not shown.` }))
  else if (poll.kind === 'ranking') {
    const order = roomOrder(poll.options, tally.counts)
    lines.push(el('ol', {}, ...order.map((o) => el('li', { textContent: `${o.label} (${o.points} Borda points)` }))))
  } else if (poll.kind === 'matrix') {
    for (const item of placedItems(poll.options, tally.counts)) {
      const at = item.average ? `${poll.x?.label} ${item.average.x}, ${poll.y?.label} ${item.average.y}` : '–'
      lines.push(el('p', { textContent: `${item.label}, on average: ${at}` }))
    }
  } else if (poll.kind === 'text') {
    const wall = orderAnswers(
      result.cards.filter((card) => card.pollId === poll.id),
      'liked',
    )
    lines.push(el('ul', {}, ...wall.map((card) => cardLine(card, result.myCards))))
  } else if (poll.kind === 'words') {
    const top = rankWords(tally.counts, 12).map(([word, n]) => `${isolate(word)} (${n})`)
    lines.push(el('p', { textContent: top.join(' · ') }))
  } else {
    for (const option of poll.options) {
      const count = tally.counts[option.id] ?? 0
      const share = tally.total ? Math.round((count / tally.total) * 100) : 0
      const bar = el('span', { className: 'bar' }, el('span', { style: `width:${share}%` }))
      const right = poll.correct?.includes(option.id) ? ' ✓' : ''
      lines.push(
        el(
          'div',
          { className: 'row' },
          el('span', { textContent: `${option.label}${right}` }),
          bar,
          el('span', { textContent: String(count) }),
        ),
      )
    }
    if (poll.kind === 'scale') lines.push(el('p', { textContent: `Average: ${tally.mean ?? '–'}` }))
  }
  if (answer) lines.push(el('p', { className: 'mine', textContent: `You: ${mineText(poll, answer)}` }))
  return lines
}

window.addEventListener('hashchange', () => void showTakeaway())
socket.on('connect', () => void showTakeaway())
socket.on('connect', () => {
  setConnection(true, 'Connected')
  $('room').hidden = true
})
socket.on('disconnect', () => setConnection(false, 'Reconnecting…'))
socket.on('connect_error', (error) => {
  setConnection(false, 'Reconnecting…')
  $('conn').title = error.message
  // Refused: come back when the server says (many phones joining at once, too many wrong room
  // codes), or ask for the room code (again, if this one was wrong). A lost network retries by itself.
  const { retryAfterMs, room } = (error as { data?: { retryAfterMs?: number; room?: string } }).data ?? {}
  if (!socket.active && (retryAfterMs || room === 'wait')) setTimeout(() => socket.connect(), retryAfterMs ?? 60_000)
  if (!room) return
  $('main').hidden = true
  $('room').hidden = false
  $('room-status').textContent = room === 'needed' ? '' : error.message
  if (room === 'needed') $<HTMLInputElement>('room-code').focus()
})
$('room').addEventListener('submit', (event) => {
  event.preventDefault()
  $('room-status').textContent = 'Joining…'
  joinRoom($<HTMLInputElement>('room-code').value)
})
socket.on('sync', (state) => {
  polls.clear()
  for (const poll of state.polls) {
    polls.set(poll.id, poll)
    receive(poll)
  }
  mine = state.mine ?? {}
  offer(state.questionnaires)
  shownKey = ''
  syncCards(state)
  render()
})
socket.on('poll:state', (poll) => {
  polls.set(poll.id, poll)
  receive(poll)
  render()
})
socket.on('cards', applyCards)
// Everything under this id was deleted (here or on another device with the code): start afresh.
socket.on('forgotten', () => becomeParticipant(null))
socket.on('rejected', ({ error }) => setStatus(error, 'bad'))

$('logo').innerHTML = $('waiting-art').innerHTML = hatPicture('both').outerHTML
mountQuestions()
mountQuestionnaires(() => mine, render)
