// Results of a whole session, for exports (JSON, CSV), the results command and comparisons
// between sessions. Read from the store, so any session can be exported, not only the current one.

import { KitError } from './errors.ts'
import type { PollDefinition } from './poll-definition.ts'
import type { Session, Store } from './store.ts'
import { type PollTally, talliesFromSnapshot } from './tally.ts'
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
}

export interface SessionResults {
  session: Session
  polls: PollResult[]
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
): Promise<SessionResults> {
  const snapshot = await store.loadSession(session.id)
  const tallies = talliesFromSnapshot(polls, snapshot)
  return {
    session,
    polls: polls.map((poll) => {
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
    }),
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
]

/**
 * RFC 4180 quoting, plus a leading apostrophe on text that a spreadsheet would otherwise run
 * as a formula (an attendee's word like "=HYPERLINK(...)").
 */
function cell(value: string | number | undefined): string {
  if (value === undefined) return ''
  let text = String(value)
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

export function resultsCsv({ session, polls }: SessionResults): string {
  const lines = [CSV_HEADER.join(',')]
  for (const poll of polls) {
    const labels = new Map(poll.options.map((option) => [option.id, option.label]))
    // Options in slide order (even with no votes); words, most frequent first.
    const keys =
      poll.kind === 'words' ? rankWords(poll.counts).map(([word]) => word) : poll.options.map((option) => option.id)
    for (const key of keys) {
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
        ]
          .map(cell)
          .join(','),
      )
    }
  }
  return `${lines.join('\r\n')}\r\n`
}
