// Self-paced questionnaires (pre-work, pulses): when each is open for a session, and what an
// answer to one of their questions must be. Answers are stored, logged and tallied as votes on a
// poll whose id is `questionnaire/question` (server/questionnaire-definition.ts), so they are
// durable, shared by every process and exported like votes; this module holds the rules that
// are the questionnaires' own. Windows are state, like a countdown: every process reads one by
// the clock, so a window that opens or closes on a date needs no write.
import type { PollDefinition } from './poll-definition.ts'
import { parseAnswer } from './poll-definition.ts'
import type { QuestionnaireView } from './protocol.ts'
import type { Questionnaire } from './questionnaire-definition.ts'
import { cleanLine, invisibleText, isInvisible } from './text.ts'

const DAY_MS = 24 * 60 * 60 * 1000

/** When one questionnaire is open for one session: from `opensAt` (null: never opened) to `closesAt`. */
export interface WindowRecord {
  sessionId: number
  questionnaireId: string
  opensAt: number | null
  closesAt: number | null
}

export type WindowAction =
  | { action: 'open' }
  | { action: 'close' }
  | { action: 'schedule'; from: number; until: number }

export const windowKey = (sessionId: number, questionnaireId: string) => `${sessionId}/${questionnaireId}`

export function isOpen(window: WindowRecord | undefined, now = Date.now()): boolean {
  return (
    !!window && window.opensAt !== null && window.opensAt <= now && (window.closesAt === null || now < window.closesAt)
  )
}

/** The window after a facilitator's action; a sentence when the action does not apply. */
export function changed(
  questionnaire: Questionnaire,
  window: WindowRecord,
  change: WindowAction,
  now = Date.now(),
): WindowRecord | string {
  switch (change.action) {
    case 'open':
      if (isOpen(window, now)) return `"${questionnaire.title}" is open already.`
      return { ...window, opensAt: now, closesAt: questionnaire.days ? now + questionnaire.days * DAY_MS : null }
    case 'close':
      if (!isOpen(window, now) && !(window.opensAt !== null && window.opensAt > now)) {
        return `"${questionnaire.title}" is not open.`
      }
      return { ...window, closesAt: now, opensAt: Math.min(window.opensAt ?? now, now) }
    case 'schedule':
      if (change.until <= change.from) return 'The closing date must come after the opening date.'
      if (change.until <= now) return 'The closing date has passed already.'
      return { ...window, opensAt: change.from, closesAt: change.until }
  }
}

/** The next moment any of these windows opens or closes (for telling phones), or null. */
export function nextBoundary(windows: Iterable<WindowRecord>, now = Date.now()): number | null {
  let next: number | null = null
  for (const { opensAt, closesAt } of windows) {
    for (const at of [opensAt, closesAt]) if (at !== null && at > now && (next === null || at < next)) next = at
  }
  return next
}

/**
 * Checks an answer to a questionnaire's question. Open text is a private sentence for the
 * facilitator (cleaned like the room's questions), not a card on a wall; every other kind reads
 * as the same kind of live poll does.
 */
export function parseQuestionAnswer(
  question: PollDefinition,
  answer: unknown,
): { ok: true; value: string[] } | { ok: false; error: string } {
  if (question.kind !== 'text') return parseAnswer(question, answer)
  const sentence = typeof answer === 'string' ? cleanLine(answer) : ''
  if (!sentence) return { ok: false, error: 'Write a few words first, or skip this question.' }
  if (isInvisible(sentence)) return { ok: false, error: invisibleText('answer') }
  if (sentence.length > (question.maxLength ?? 280)) {
    return { ok: false, error: `Keep it under ${question.maxLength} characters.` }
  }
  if (/\p{Cc}/u.test(sentence)) return { ok: false, error: 'Use letters, digits and punctuation only.' }
  return { ok: true, value: [sentence] }
}

/** What phones and decks are told of a questionnaire for one session. */
export function questionnaireView(
  questionnaire: Questionnaire,
  window: WindowRecord,
  now = Date.now(),
): QuestionnaireView {
  const open = isOpen(window, now)
  return {
    ...questionnaire,
    // Each question as a poll the phone already knows how to show, open while the window is.
    questions: questionnaire.questions.map((question) => ({
      ...question,
      state: open ? 'open' : 'closed',
      openedAt: window.opensAt,
      revealed: false,
      countdown: null,
    })),
    sessionId: window.sessionId,
    open,
    opensAt: window.opensAt,
    closesAt: window.closesAt,
  }
}

/** How many people answered at least one question, and how many answered every one. */
export function progress(
  questionnaire: Questionnaire,
  answered: (questionId: string) => Iterable<string>,
): { started: number; finished: number } {
  const counts = new Map<string, number>()
  for (const question of questionnaire.questions) {
    for (const participant of answered(question.id)) counts.set(participant, (counts.get(participant) ?? 0) + 1)
  }
  let finished = 0
  for (const n of counts.values()) if (n === questionnaire.questions.length) finished++
  return { started: counts.size, finished }
}
