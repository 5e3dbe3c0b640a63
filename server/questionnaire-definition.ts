// Questionnaires as an author declares them, in a YAML file that a deck's headmatter names
// (`questionnaires: ./questionnaires.yaml`): the schema the server checks at start-up, and the
// references the follow-up chart and the sponsor's report make to the deck's polls.
import { z } from 'zod'
import { LIMITS } from './limits.ts'
import { optionId, type PollDefinition, PollDefinitionSchema, PollIdSchema, type PollKind } from './poll-definition.ts'

/** Kinds a self-paced question may use: those that need no room and no reveal. */
export const QUESTION_KINDS: readonly PollKind[] = ['single', 'multiple', 'scale', 'words', 'text', 'ranking', 'matrix']

/** A questionnaire's question is stored and tallied as a poll whose id is `questionnaire/question`. */
export const questionKey = (questionnaireId: string, questionId: string) => `${questionnaireId}/${questionId}`

export const QuestionKeySchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,47}\/[a-z0-9][a-z0-9-]{0,47}$/)

export interface Questionnaire {
  id: string
  title: string
  /** A sentence or two shown before the first question. */
  intro?: string
  /** Once opened, it closes by itself after this many days (unset: until closed). */
  days?: number
  /** Its questions as polls, ids `questionnaire/question`, in the order they are asked. */
  questions: PollDefinition[]
}

/** One point of the follow-up chart: a live poll of the deck, or a questionnaire's question. */
export interface Stage {
  label: string
  /** A poll id, or `questionnaire/question`. */
  from: string
}

export interface Journey {
  /** What the chart measures, e.g. "Confidence to tell which hat a moment needs". */
  label: string
  stages: Stage[]
}

export interface ReportPlan {
  /** How the room rated the session (a scale or choice poll, or a questionnaire's question). */
  reaction?: string
  /** An action-steps poll: people who wrote commitments. */
  commitments?: string
  /** Questions asking whether people kept them, and which answers count as kept. */
  kept: { label: string; from: string; yes: string[] }[]
  /** Open-answer polls whose shown answers are the room's one-liners (with the room's questions). */
  voices: string[]
}

/** Everything a deck declares about before and after the room. */
export interface FollowUp {
  questionnaires: Questionnaire[]
  journey?: Journey
  report?: ReportPlan
}

export const NO_FOLLOW_UP: FollowUp = { questionnaires: [], report: undefined, journey: undefined }

const text = (max: number) => z.string().trim().min(1).max(max)
const ref = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)?$/,
    'name a poll id (e.g. confidence-start) or a questionnaire question (e.g. pulse-1w/confidence)',
  )

const QuestionnaireSchema = z
  .object({
    id: PollIdSchema,
    title: text(LIMITS.questionLength),
    intro: text(400).optional(),
    days: z.number().int().min(1).max(365).optional(),
    questions: z.array(z.record(z.string(), z.unknown())).min(1, 'a questionnaire needs at least one question').max(20),
  })
  .strict()

const FileSchema = z
  .object({
    questionnaires: z.array(QuestionnaireSchema).min(1),
    journey: z
      .object({
        label: text(LIMITS.questionLength),
        stages: z
          .array(z.object({ label: text(24), from: ref }).strict())
          .min(2)
          .max(6),
      })
      .strict()
      .optional(),
    report: z
      .object({
        reaction: ref.optional(),
        commitments: ref.optional(),
        kept: z
          .array(z.object({ label: text(24), from: ref, yes: z.array(text(LIMITS.labelLength)).min(1) }).strict())
          .default([]),
        voices: z.array(PollIdSchema).default([]),
      })
      .strict()
      .optional(),
  })
  .strict()

export class FollowUpError extends Error {}

/**
 * Reads a declaration file's parsed YAML; `polls` are the decks' polls, which the chart and the
 * report may name. Throws a FollowUpError whose message says what to write instead.
 */
export function parseFollowUp(input: unknown, polls: readonly PollDefinition[]): FollowUp {
  const file = FileSchema.safeParse(input)
  if (!file.success) throw new FollowUpError(explain(file.error.issues[0]))
  const questionnaires: Questionnaire[] = []
  for (const declared of file.data.questionnaires) {
    if (questionnaires.some((other) => other.id === declared.id)) {
      throw new FollowUpError(`questionnaire "${declared.id}" is declared twice: give each its own id`)
    }
    const questions: PollDefinition[] = []
    for (const [i, raw] of declared.questions.entries()) {
      const where = `questionnaire "${declared.id}", question ${typeof raw.id === 'string' ? `"${raw.id}"` : i + 1}`
      const kind = raw.kind ?? 'single'
      if (!QUESTION_KINDS.includes(kind as PollKind)) {
        throw new FollowUpError(
          `${where}: kind ${String(kind)} needs the room; use one of ${QUESTION_KINDS.join(', ')}`,
        )
      }
      if ('timer' in raw || 'results' in raw) {
        throw new FollowUpError(`${where}: remove timer: and results: (people answer at their own pace)`)
      }
      const question = PollDefinitionSchema.safeParse({ ...raw, kind })
      if (!question.success) throw new FollowUpError(`${where}: ${explain(question.error.issues[0])}`)
      const id = questionKey(declared.id, question.data.id)
      if (questions.some((other) => other.id === id)) {
        throw new FollowUpError(`${where}: two questions have this id; give each its own`)
      }
      questions.push({ ...question.data, id })
    }
    const { questions: _, ...rest } = declared
    questionnaires.push({ ...rest, questions })
  }
  const followUp: FollowUp = { questionnaires, journey: file.data.journey, report: file.data.report }
  checkReferences(followUp, polls)
  // Kept answers are named by their labels in the file and counted by option id.
  followUp.report?.kept.forEach((kept) => {
    kept.yes = kept.yes.map(optionId)
  })
  return followUp
}

/** Every poll and question the chart and the report name exists, and is of a kind they can read. */
function checkReferences(followUp: FollowUp, polls: readonly PollDefinition[]): void {
  const find = (from: string): PollDefinition | undefined =>
    from.includes('/')
      ? followUp.questionnaires.flatMap((q) => q.questions).find((question) => question.id === from)
      : polls.find((poll) => poll.id === from)
  const need = (from: string, where: string, kinds: PollKind[]): PollDefinition => {
    const found = find(from)
    if (!found) {
      const what = from.includes('/') ? 'questionnaire question' : 'poll'
      throw new FollowUpError(`${where}: there is no ${what} "${from}"; name one declared in the deck or this file`)
    }
    if (!kinds.includes(found.kind)) {
      throw new FollowUpError(`${where}: "${from}" is a ${found.kind} poll; name a ${kinds.join(' or ')} poll`)
    }
    return found
  }
  const { journey, report } = followUp
  if (journey) {
    const scales = journey.stages.map((stage) => need(stage.from, `journey stage "${stage.label}"`, ['scale']))
    const range = (poll: PollDefinition) => `${poll.options[0]?.id}–${poll.options.at(-1)?.id}`
    const odd = scales.find((poll) => range(poll) !== range(scales[0] as PollDefinition))
    if (odd) {
      throw new FollowUpError(
        `journey: "${odd.id}" runs ${range(odd)} but "${scales[0]?.id}" runs ${range(scales[0] as PollDefinition)}; every stage needs the same scale`,
      )
    }
  }
  if (!report) return
  if (report.reaction) need(report.reaction, 'report reaction', ['scale', 'single'])
  if (report.commitments) need(report.commitments, 'report commitments', ['steps'])
  for (const kept of report.kept) {
    const poll = need(kept.from, `report kept "${kept.label}"`, ['single'])
    const unknown = kept.yes.find((label) => !poll.options.some((option) => option.id === optionId(label)))
    if (unknown) {
      throw new FollowUpError(
        `report kept "${kept.label}": "${unknown}" is not an option of "${kept.from}" (${poll.options.map((o) => o.label).join(', ')})`,
      )
    }
  }
  for (const voice of report.voices) need(voice, 'report voices', ['text'])
}

function explain(issue: z.core.$ZodIssue | undefined): string {
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : ''
  return `${where}${issue?.message ?? 'not valid'}`
}
