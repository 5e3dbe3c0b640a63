// Results of a whole session, for exports (JSON, CSV), the results command and comparisons
// between sessions. Read from the store, so any session can be exported, not only the current one.

import { orderAnswers, orderQuestions, readKey } from './answers.ts'
import { CardBoard } from './cards.ts'
import { KitError } from './errors.ts'
import { type JourneyResult, journeyOf } from './journey.ts'
import type { PollDefinition } from './poll-definition.ts'
import type { CardView } from './protocol.ts'
import { type FollowUp, NO_FOLLOW_UP } from './questionnaire-definition.ts'
import { progress } from './questionnaires.ts'
import type { Session, Store } from './store.ts'
import { type PollTally, talliesFromSnapshot } from './tally.ts'
import { withoutBidiControls } from './text.ts'
import { rankWords } from './words.ts'

export interface PollResult {
  id: string
  kind: PollDefinition['kind']
  question: string
  options: PollDefinition['options']
  correct?: string[]
  /** Every answer counted, by option, scale point, word or emoji (hidden words left out). */
  counts: Record<string, number>
  total: number
  mean?: number
  /** Open answers (`text` polls): every card, hidden ones marked (print only `shown` ones). */
  cards?: CardResult[]
  /** A questionnaire's open text: the sentences, for the facilitator only (no id, no name). */
  answers?: string[]
}

/** A questionnaire in one session: how many answered, and each question's results. */
export interface QuestionnaireResult {
  id: string
  title: string
  started: number
  finished: number
  questions: PollResult[]
}

/** A question from the room or an open answer, as exported and printed (hidden ones marked). */
export type CardResult = Omit<CardView, 'pollId'>

export interface SessionResults {
  session: Session
  polls: PollResult[]
  /** The room's questions, in the room's order (server/answers.ts orderQuestions), hidden ones marked. */
  questions: CardResult[]
  questionnaires: QuestionnaireResult[]
  /** The deck's before / end / pulses chart, when it declares one. */
  journey?: JourneyResult
}

export class UnknownSession extends KitError {}

/** `current`, or a session id as text, to a session that exists. */
export async function findSession(store: Store, key: string): Promise<Session> {
  if (key === 'current') return store.currentSession()
  const id = /^\d{1,9}$/.test(key) ? Number(key) : Number.NaN
  const session = (await store.listSessions()).find((candidate) => candidate.id === id)
  if (!session)
    throw new UnknownSession(`There is no session "${key.slice(0, 40)}": use "current" or an id from /api/sessions.`)
  return session
}

export async function sessionResults(
  store: Store,
  polls: readonly PollDefinition[],
  session: Session,
  followUp: FollowUp = NO_FOLLOW_UP,
): Promise<SessionResults> {
  const snapshot = await store.loadSession(session.id)
  const questions = followUp.questionnaires.flatMap((questionnaire) => questionnaire.questions)
  const tallies = talliesFromSnapshot([...polls, ...questions], snapshot)
  const board = new CardBoard(snapshot)
  const result = (poll: PollDefinition): PollResult => {
    const tally = tallies.get(poll.id) as PollTally
    const { total, mean } = tally.toTally(true)
    return {
      id: poll.id,
      kind: poll.kind,
      question: poll.question,
      options: poll.options,
      ...(poll.correct ? { correct: poll.correct } : {}),
      counts: tally.allCounts(),
      total,
      ...(mean !== undefined ? { mean } : {}),
    }
  }
  const texts = (pollId: string) =>
    snapshot.votes
      .filter((vote) => vote.pollId === pollId)
      .sort((a, b) => a.at - b.at)
      .map((vote) => vote.answer[0] ?? '')
  return {
    session,
    questions: orderQuestions(board.results(null)),
    questionnaires: followUp.questionnaires.map((questionnaire) => ({
      id: questionnaire.id,
      title: questionnaire.title,
      ...progress(questionnaire, (id) => (tallies.get(id) as PollTally).respondents()),
      questions: questionnaire.questions.map((question) => ({
        ...result(question),
        ...(question.kind === 'text' ? { answers: texts(question.id) } : {}),
      })),
    })),
    ...(followUp.journey ? { journey: journeyOf(followUp.journey, snapshot.votes) } : {}),
    polls: polls.map((poll) => ({
      ...result(poll),
      ...(poll.kind === 'text' ? { cards: orderAnswers(board.results(poll.id), poll.order ?? 'liked') } : {}),
    })),
  }
}

/** What anyone but the presenter may read of a session (RESULTS_PUBLIC): no held or hidden card. */
export function roomsResults(results: SessionResults): SessionResults {
  const shown = (cards: CardResult[]) => cards.filter((card) => card.status === 'shown')
  const { journey, ...rest } = results
  return {
    ...rest,
    // The room never reads the facilitator's sentences, nor one person's answers over time.
    questionnaires: results.questionnaires.map((questionnaire) => ({
      ...questionnaire,
      questions: questionnaire.questions.map(({ answers: _, ...question }) => question),
    })),
    ...(journey ? { journey: { ...journey, people: [] } } : {}),
    questions: shown(results.questions),
    polls: results.polls.map((poll) => (poll.cards ? { ...poll, cards: shown(poll.cards) } : poll)),
  }
}

/** One poll across every session, oldest first: for "this group against earlier groups". */
export async function pollHistory(store: Store, poll: PollDefinition) {
  const sessions = await store.listSessions()
  const rows = []
  for (const session of sessions) {
    const [result] = (await sessionResults(store, [poll], session)).polls
    if (result) rows.push({ session, counts: result.counts, total: result.total, mean: result.mean })
  }
  return rows
}

const CSV_HEADER = [
  'session_id',
  'session_name',
  'poll_id',
  'kind',
  'question',
  'answer_id',
  'answer',
  'count',
  'poll_total',
  'poll_mean',
  'correct',
  'status',
  'name',
]

/**
 * RFC 4180 quoting, plus a leading apostrophe on text that a spreadsheet would otherwise run
 * as a formula (an attendee's word like "=HYPERLINK(...)").
 */
function cell(value: string | number | undefined): string {
  if (value === undefined) return ''
  let text = withoutBidiControls(String(value))
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

export function resultsCsv({ session, polls: live, questions, questionnaires, journey }: SessionResults): string {
  // A questionnaire's questions are rows like polls', their poll_id "questionnaire/question".
  const polls = [...live, ...questionnaires.flatMap((questionnaire) => questionnaire.questions)]
  const lines = [CSV_HEADER.join(',')]
  /** One row per card: its text is the answer, its upvotes the count. */
  const cardRows = (pollId: string, kind: string, question: string, cards: readonly CardResult[]) => {
    for (const card of cards) {
      const row = [session.id, session.name, pollId, kind, question, card.id, card.text, card.upvotes]
      const flags = [card.status, card.answered ? 'answered' : '', card.pinned ? 'pinned' : ''].filter(Boolean)
      lines.push([...row, cards.length, undefined, undefined, flags.join(' '), card.name].map(cell).join(','))
    }
  }
  for (const poll of polls) {
    if (poll.cards) {
      cardRows(poll.id, poll.kind, poll.question, poll.cards)
      continue
    }
    if (poll.answers) {
      for (const text of poll.answers) {
        lines.push(
          [session.id, session.name, poll.id, poll.kind, poll.question, '', text, 1, poll.total].map(cell).join(','),
        )
      }
      continue
    }
    const labels = new Map(poll.options.map((option) => [option.id, option.label]))
    // Options in slide order (even with no votes); words, most frequent first; a ranking's
    // places and a 2×2's points as counted ("option@place", "item@x,y").
    const keys =
      poll.kind === 'words'
        ? rankWords(poll.counts).map(([word]) => word)
        : poll.kind === 'ranking' || poll.kind === 'matrix'
          ? Object.keys(poll.counts).sort()
          : poll.options.map((option) => option.id)
    for (const key of keys) {
      const read = readKey(key)
      if (read) {
        const where = 'place' in read ? `place ${read.place}` : `at (${read.x}, ${read.y})`
        labels.set(key, `${labels.get(read.id) ?? read.id}, ${where}`)
      }
      lines.push(
        [
          session.id,
          session.name,
          poll.id,
          poll.kind,
          poll.question,
          key,
          labels.get(key) ?? key,
          poll.counts[key] ?? 0,
          poll.total,
          poll.mean,
          poll.correct ? (poll.correct.includes(key) ? 'yes' : 'no') : undefined,
          undefined,
          undefined,
        ]
          .map(cell)
          .join(','),
      )
    }
  }
  cardRows('questions', 'question', 'Questions from the room', questions)
  // The chart's people: one row per person and stage, numbered in this export only.
  journey?.people.forEach((row, person) => {
    row.forEach((value, i) => {
      if (value === null) return
      const stage = journey.stages[i]
      lines.push(
        [session.id, session.name, 'journey', 'journey', journey.label, `person-${person + 1}`, stage?.label, value]
          .map(cell)
          .join(','),
      )
    })
  })
  return `${lines.join('\r\n')}\r\n`
}
