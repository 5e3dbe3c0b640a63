// The sponsor's report, as figures: what one session changed, from the pre-work to the last
// pulse, read from the store as the deck's `report:` and `journey:` name it. Aggregates only:
// a figure over fewer than MIN_GROUP people is left out (null), and the only attendee text is
// what the room could read (shown questions and one-liners), never hidden, held or private text.
import { type JourneyResult, journeyOf } from '../server/journey.ts'
import type { PollDefinition } from '../server/poll-definition.ts'
import type { FollowUp } from '../server/questionnaire-definition.ts'
import { progress } from '../server/questionnaires.ts'
import type { CardRecord, Session, SessionSnapshot, Vote } from '../server/store.ts'

/** No figure is shown for a group smaller than this. */
export const MIN_GROUP = 5

/** A count of people, or null when it is under MIN_GROUP (and says nothing more). */
export type Count = number | null

const count = (n: number): Count => (n >= MIN_GROUP ? n : null)

export interface ReportFigures {
  session: Session
  /** People who answered at least one live poll or wrote in the room during the session. */
  attended: Count
  /** Each questionnaire: how many started it and how many finished it. */
  questionnaires: { id: string; title: string; started: Count; finished: Count }[]
  /** How the room rated the session: answers per option (a scale's points), with the average. */
  reaction: {
    question: string
    n: Count
    mean: number | null
    options: { label: string; count: number }[]
  } | null
  /** The same people's confidence over time; stages under MIN_GROUP have no figures. */
  journey: JourneyResult | null
  commitments: {
    made: Count
    kept: { label: string; answered: Count; yes: number | null }[]
  } | null
  /** What the room asked and said, as the room could read it. */
  voices: { questions: Count; oneLiners: Count; themes: string[]; quotes: string[] }
}

/** Words too common to be a theme. */
const COMMON = new Set(
  `about after again also always another because been before being between both could does doing during each even every first from have having here just know like make many more most much must need only other over really same should some such than that their them then there these they thing things this those through time very want well were what when where which while will with would your yours`.split(
    ' ',
  ),
)

/** The words that come back across the room's readable texts: in two or more of them, most first. */
export function themes(texts: readonly string[], limit = 8): string[] {
  const seen = new Map<string, number>()
  for (const text of texts) {
    const words = new Set(text.toLowerCase().match(/\p{L}[\p{L}'’-]{3,}/gu) ?? [])
    for (const word of words) if (!COMMON.has(word)) seen.set(word, (seen.get(word) ?? 0) + 1)
  }
  return [...seen]
    .filter(([, n]) => n >= 2)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([word]) => word)
}

export function reportFigures(
  session: Session,
  snapshot: Pick<SessionSnapshot, 'votes' | 'cards' | 'upvotes'>,
  polls: readonly PollDefinition[],
  followUp: FollowUp,
): ReportFigures {
  const { votes, cards } = snapshot
  const plan = followUp.report
  const votesOn = (pollId: string) => votes.filter((vote) => vote.pollId === pollId)
  const questions = followUp.questionnaires.flatMap((questionnaire) => questionnaire.questions)
  const find = (id: string) => [...polls, ...questions].find((poll) => poll.id === id)

  const live = new Set<string>()
  for (const vote of votes) if (!vote.pollId.includes('/')) live.add(vote.participantId)
  for (const card of cards) live.add(card.participantId)

  const upvotes = new Map<string, number>()
  for (const { cardId } of snapshot.upvotes) upvotes.set(cardId, (upvotes.get(cardId) ?? 0) + 1)
  const shown = (filter: (card: CardRecord) => boolean) =>
    cards
      .filter((card) => card.status === 'shown' && filter(card))
      .sort((a, b) => (upvotes.get(b.id) ?? 0) - (upvotes.get(a.id) ?? 0) || a.at - b.at)
  const roomQuestions = shown((card) => card.pollId === null)
  const oneLiners = shown((card) => card.pollId !== null && (plan?.voices ?? []).includes(card.pollId))
  const authors = (list: CardRecord[]) => new Set(list.map((card) => card.participantId)).size

  return {
    session,
    attended: count(live.size),
    questionnaires: followUp.questionnaires.map((questionnaire) => {
      const { started, finished } = progress(questionnaire, (id) => votesOn(id).map((vote) => vote.participantId))
      return { id: questionnaire.id, title: questionnaire.title, started: count(started), finished: count(finished) }
    }),
    reaction: plan?.reaction ? reaction(find(plan.reaction) as PollDefinition, votesOn(plan.reaction)) : null,
    journey: followUp.journey ? suppressed(journeyOf(followUp.journey, votes)) : null,
    commitments: plan?.commitments
      ? {
          made: count(votesOn(plan.commitments).length),
          kept: plan.kept.map(({ label, from, yes }) => {
            const answers = votesOn(from)
            const kept = answers.filter((vote) => yes.includes(vote.answer[0] ?? '')).length
            return { label, answered: count(answers.length), yes: answers.length >= MIN_GROUP ? kept : null }
          }),
        }
      : null,
    voices: {
      questions: count(authors(roomQuestions)),
      oneLiners: count(authors(oneLiners)),
      themes: themes([...roomQuestions, ...oneLiners].map((card) => card.text)),
      quotes: [...roomQuestions.slice(0, 3), ...oneLiners.slice(0, 2)].map((card) => card.text),
    },
  }
}

function reaction(poll: PollDefinition, answers: Vote[]): ReportFigures['reaction'] {
  const n = answers.length
  const enough = n >= MIN_GROUP
  const points = answers.map((vote) => Number(vote.answer[0]))
  return {
    question: poll.question,
    n: count(n),
    mean:
      enough && poll.kind === 'scale'
        ? Math.round((points.reduce((sum, point) => sum + point, 0) / n) * 10) / 10
        : null,
    options: enough
      ? poll.options.map((option, i) => ({
          // A scale's ends say what they mean: "1 · Not at all", "5 · Very".
          label:
            i === 0 && poll.minLabel
              ? `${option.label} · ${poll.minLabel}`
              : i === poll.options.length - 1 && poll.maxLabel
                ? `${option.label} · ${poll.maxLabel}`
                : option.label,
          count: answers.filter((vote) => vote.answer[0] === option.id).length,
        }))
      : [],
  }
}

/** The chart with every stage under MIN_GROUP emptied, and no one's own row. */
function suppressed(journey: JourneyResult): JourneyResult {
  return {
    ...journey,
    people: [],
    stages: journey.stages.map((stage) => ({
      ...stage,
      mean: stage.n >= MIN_GROUP ? stage.mean : null,
      sinceFirst: stage.sinceFirst.n >= MIN_GROUP ? stage.sinceFirst : { n: stage.sinceFirst.n, change: null },
    })),
  }
}
