// One person across time, still anonymous: the same participant id's answers to the deck's
// confidence polls at the start and end of the session and to the pulses weeks later, as the
// deck's `journey:` names them (server/questionnaire-definition.ts). Pure functions of the votes.
import type { Journey } from './questionnaire-definition.ts'
import type { Vote } from './store.ts'

export interface JourneyStage {
  label: string
  /** Poll id or `questionnaire/question`. */
  from: string
  /** People who answered at this stage, and their average. */
  n: number
  mean: number | null
  /** The same people's change since the first stage: how many answered both, and the average change. */
  sinceFirst: { n: number; change: number | null }
}

export interface JourneyResult {
  label: string
  stages: JourneyStage[]
  /** One row per person (in no particular order, no id): their answer at each stage, or null. */
  people: (number | null)[][]
}

const average = (values: number[]) =>
  values.length ? Math.round((values.reduce((sum, value) => sum + value, 0) / values.length) * 10) / 10 : null

export function journeyOf(journey: Journey, votes: readonly Vote[]): JourneyResult {
  const index = new Map(journey.stages.map((stage, i) => [stage.from, i]))
  const byPerson = new Map<string, (number | null)[]>()
  for (const vote of votes) {
    const i = index.get(vote.pollId)
    if (i === undefined) continue
    const row = byPerson.get(vote.participantId) ?? journey.stages.map(() => null)
    row[i] = Number(vote.answer[0])
    byPerson.set(vote.participantId, row)
  }
  const people = [...byPerson.values()]
  const stages = journey.stages.map((stage, i): JourneyStage => {
    const values = people.flatMap((row) => (row[i] === null ? [] : [row[i] as number]))
    const pairs = people.filter((row) => row[0] !== null && row[i] !== null)
    return {
      ...stage,
      n: values.length,
      mean: average(values),
      sinceFirst: { n: pairs.length, change: average(pairs.map((row) => (row[i] as number) - (row[0] as number))) },
    }
  })
  // Rows in the order of their first answers, so the export says nothing of who came first.
  people.sort((a, b) =>
    a
      .map((v) => v ?? -1)
      .join()
      .localeCompare(b.map((v) => v ?? -1).join()),
  )
  return { label: journey.label, stages, people }
}
