// A questionnaire's answers as a log: one row per question that shares the same choices (Day 1,
// Day 2, …), each row the room's answers split by choice. Pure, so tests read it as the slide does.
import type { PollView, QuestionnaireView, Tally } from '../server/protocol'

export interface LogRow {
  id: string
  /** The question up to its first colon ("Day 1"), or whole. */
  label: string
  total: number
  /** Each choice's count and its share of the row (0–1). */
  parts: { id: string; count: number; share: number }[]
}

export interface QuestionnaireLog {
  choices: { id: string; label: string }[]
  rows: LogRow[]
  /** The most people who answered any one row. */
  people: number
}

const sameChoices = (a: PollView, b: PollView) =>
  a.options.length === b.options.length && a.options.every((option, i) => option.id === b.options[i]?.id)

/**
 * The log of a questionnaire: the questions named in `only` (ids without the questionnaire's
 * prefix), or else every single-choice question with the same choices as its first one.
 */
export function questionnaireLog(
  view: QuestionnaireView | undefined,
  tallies: Record<string, Tally>,
  only: string[] = [],
): QuestionnaireLog {
  const singles = (view?.questions ?? []).filter((question) => question.kind === 'single')
  const first = singles[0]
  const chosen = only.length
    ? singles.filter((question) => only.includes(question.id.slice(question.id.indexOf('/') + 1)))
    : singles.filter((question) => first && sameChoices(question, first))
  const rows = chosen.map((question): LogRow => {
    const tally = tallies[question.id]
    const total = tally?.total ?? 0
    return {
      id: question.id,
      label: question.question.split(':')[0]?.trim() ?? question.question,
      total,
      parts: question.options.map((option) => {
        const count = tally?.counts[option.id] ?? 0
        return { id: option.id, count, share: total ? count / total : 0 }
      }),
    }
  })
  return {
    choices: chosen[0]?.options ?? [],
    rows,
    people: Math.max(0, ...rows.map((row) => row.total)),
  }
}
