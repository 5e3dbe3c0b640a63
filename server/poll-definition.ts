// Poll definitions, as authors write them in a slide's frontmatter (`poll:`): the schema the
// server checks at start-up, and how an answer to each kind is read.
import { z } from 'zod'
import { pointKey, rankKey } from './answers.ts'
import { LIMITS } from './limits.ts'
import { cleanLine, invisibleText, isInvisible } from './text.ts'
import { normaliseWord } from './words.ts'

export const PollIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'use lowercase letters, digits and dashes (at most 48)')

/** Turns an option label into a stable id, so reordering options keeps stored votes valid. */
export function optionId(label: string): string {
  return (
    label
      .toLowerCase()
      .normalize('NFKD')
      .replace(/\p{M}/gu, '') // drop accents: "Ça" → "ca"
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'option'
  )
}

const label = z.string().trim().min(1).max(LIMITS.labelLength)
const choices = z.array(label).min(2, 'a poll needs at least two options').max(LIMITS.optionsPerPoll)

const common = {
  id: PollIdSchema,
  question: z.string().trim().min(1).max(LIMITS.questionLength),
  /** `hidden`: the room sees only how many answered until the presenter reveals the results. */
  results: z.enum(['live', 'hidden']).default('live'),
  /** Seconds from opening to closing by itself: a countdown on the phones and the slide. */
  timer: z.number().int().min(5).max(LIMITS.timerMaxSeconds).optional(),
}

const axis = z.object({ label, low: label, high: label }).strict()

const DeclaredPollSchema = z.discriminatedUnion('kind', [
  z.object({ ...common, kind: z.literal('single'), options: choices }).strict(),
  z
    .object({
      ...common,
      kind: z.literal('multiple'),
      options: choices,
      /** How many options one person may pick. */
      max: z.number().int().min(1).optional(),
    })
    .strict(),
  z
    .object({
      ...common,
      kind: z.literal('quiz'),
      options: choices,
      /** Label(s) of the right option(s). Kept on the server until the presenter reveals. */
      correct: z.union([label, z.array(label).min(1)]),
      /** Why that is the answer; shown with it at the reveal. */
      explain: z.string().trim().min(1).max(LIMITS.questionLength).optional(),
    })
    .strict(),
  z
    .object({
      ...common,
      kind: z.literal('scale'),
      min: z.number().int().min(0).max(10).default(1),
      max: z.number().int().min(1).max(10).default(5),
      minLabel: label.optional(),
      maxLabel: label.optional(),
    })
    .strict(),
  z
    .object({
      ...common,
      kind: z.literal('words'),
      maxLength: z.number().int().min(3).max(LIMITS.wordLength).default(30),
    })
    .strict(),
  z
    .object({
      ...common,
      kind: z.literal('steps'),
      /** How many action steps a participant may write. They stay private to that participant. */
      count: z.number().int().min(1).max(5).default(3),
    })
    .strict(),
  z
    .object({
      ...common,
      kind: z.literal('reactions'),
      options: z.array(z.string().trim().min(1).max(16)).min(1).max(8).default(['👍', '❤️', '😂', '🤔', '👏']),
    })
    .strict(),
  z
    .object({
      ...common,
      kind: z.literal('text'),
      /** Longest answer accepted: a sentence or two. */
      maxLength: z.number().int().min(20).max(LIMITS.cardLength).default(LIMITS.cardLength),
      /** How many answers one participant may post. */
      count: z.number().int().min(1).max(LIMITS.answersPerPoll).default(1),
      /** The wall's order on the slide: most liked or newest first. */
      order: z.enum(['liked', 'newest']).default('liked'),
    })
    .strict(),
  z
    .object({
      ...common,
      kind: z.literal('ranking'),
      options: z.array(label).min(2, 'a ranking needs at least two options').max(LIMITS.rankingOptions),
    })
    .strict(),
  z
    .object({
      ...common,
      kind: z.literal('matrix'),
      /** What each attendee places on the two scales (one item: a single dot each). */
      items: z.array(label).min(1).max(LIMITS.matrixItems),
      x: axis,
      y: axis,
      /** Names of the quarters: top left, top right, bottom left, bottom right. */
      quadrants: z.array(z.string().trim().max(LIMITS.labelLength)).length(4).optional(),
    })
    .strict(),
])

export type PollKind = z.output<typeof DeclaredPollSchema>['kind']

export interface PollOption {
  id: string
  label: string
}

/** A poll as the server holds it. `correct` never leaves the server before a reveal. */
export interface PollDefinition {
  id: string
  kind: PollKind
  question: string
  results: 'live' | 'hidden'
  /** Choices, scale points or reaction emoji; empty for word polls. */
  options: PollOption[]
  /** Multiple choice: how many options one person may pick. */
  max?: number
  /** Scale: what the two ends mean. */
  minLabel?: string
  maxLabel?: string
  /** Word polls: the longest answer accepted. */
  maxLength?: number
  /** Action steps: how many one participant may write. */
  count?: number
  /** Quiz: ids of the right options, and why. Both stay on the server until the reveal. */
  correct?: string[]
  explain?: string
  /** Seconds from opening to closing by itself. */
  timer?: number
  /** Open answers: the wall's order on the slide. */
  order?: 'liked' | 'newest'
  /** 2×2: the two scales (0 to LIMITS.matrixSteps) and the names of the quarters. */
  x?: Axis
  y?: Axis
  quadrants?: string[]
}

export interface Axis {
  label: string
  low: string
  high: string
}

const withIds = (labels: string[]): PollOption[] => labels.map((text) => ({ id: optionId(text), label: text }))

export const PollDefinitionSchema = z
  .preprocess(
    // Single choice is the default kind, so the simplest poll needs no `kind:` line.
    (input) => (input && typeof input === 'object' && !('kind' in input) ? { ...input, kind: 'single' } : input),
    DeclaredPollSchema,
  )
  .transform((declared, ctx): PollDefinition => {
    const { id, kind, question, results, timer } = declared
    const base = { id, kind, question, results, ...(timer ? { timer } : {}) }
    const problem = (message: string) => ctx.addIssue({ code: 'custom', message })
    switch (declared.kind) {
      case 'scale': {
        if (declared.max <= declared.min) problem('a scale needs max greater than min')
        const points = Array.from({ length: Math.max(0, declared.max - declared.min + 1) }, (_, i) => {
          const value = String(declared.min + i)
          return { id: value, label: value }
        })
        return {
          ...base,
          options: points,
          minLabel: declared.minLabel,
          maxLabel: declared.maxLabel,
        }
      }
      case 'words':
        return { ...base, options: [], maxLength: declared.maxLength }
      case 'steps':
        return { ...base, options: [], count: declared.count }
      case 'text':
        // The wall is the room's own answers, read as it fills: there is nothing to reveal.
        if (results === 'hidden') problem('open answers show as they come: remove results: hidden')
        return { ...base, options: [], maxLength: declared.maxLength, count: declared.count, order: declared.order }
      case 'matrix': {
        const items = withIds(declared.items)
        if (new Set(items.map((item) => item.id)).size !== items.length) problem('two items read the same')
        const { x, y, quadrants } = declared
        return { ...base, options: items, x, y, ...(quadrants ? { quadrants } : {}) }
      }
      case 'reactions':
        if (new Set(declared.options).size !== declared.options.length) problem('each reaction must be different')
        return { ...base, options: declared.options.map((emoji) => ({ id: emoji, label: emoji })) }
      default: {
        const options = withIds(declared.options)
        const ids = new Set(options.map((option) => option.id))
        if (ids.size !== options.length) problem('two options read the same')
        if (declared.kind === 'multiple') {
          const max = declared.max ?? options.length
          if (max > options.length) problem('max is larger than the number of options')
          return { ...base, options, max }
        }
        if (declared.kind === 'quiz') {
          const correct = [declared.correct].flat().map(optionId)
          const unknown = correct.filter((answer) => !ids.has(answer))
          if (unknown.length) problem(`correct answer "${unknown[0]}" is not one of the options`)
          return { ...base, options, correct, ...(declared.explain ? { explain: declared.explain } : {}) }
        }
        return { ...base, options }
      }
    }
  })

/**
 * Checks an answer against its poll and returns it as a list of keys to count: option ids,
 * a scale point, or one normalised word. The error is a sentence for the person who voted.
 */
export function parseAnswer(
  poll: PollDefinition,
  answer: unknown,
): { ok: true; value: string[] } | { ok: false; error: string } {
  const refuse = (error: string) => ({ ok: false as const, error })
  const isOption = (value: unknown): value is string =>
    typeof value === 'string' && poll.options.some((option) => option.id === value)
  switch (poll.kind) {
    case 'single':
    case 'quiz':
      return isOption(answer) ? { ok: true, value: [answer] } : refuse('That is not one of the options.')
    case 'multiple': {
      if (!Array.isArray(answer) || answer.length === 0) return refuse('Pick at least one option.')
      if (!answer.every(isOption)) return refuse('That is not one of the options.')
      const unique = [...new Set(answer)]
      if (unique.length > (poll.max ?? poll.options.length)) return refuse(`Pick at most ${poll.max}.`)
      return { ok: true, value: unique }
    }
    case 'scale': {
      const value = String(answer)
      if (typeof answer !== 'number' || !isOption(value)) {
        return refuse(`Choose a whole number from ${poll.options[0]?.id} to ${poll.options.at(-1)?.id}.`)
      }
      return { ok: true, value: [value] }
    }
    case 'words': {
      if (typeof answer !== 'string') return refuse('Type a word or a few.')
      const word = normaliseWord(answer)
      if (!word) return refuse('Type a word or a few.')
      if (isInvisible(word)) return refuse(invisibleText('word'))
      if (word.length > (poll.maxLength ?? LIMITS.wordLength))
        return refuse(`Keep it under ${poll.maxLength} characters.`)
      // Control characters have no place in a word and could upset spreadsheets or terminals.
      if (/\p{Cc}/u.test(word)) return refuse('Use letters, digits and punctuation only.')
      return { ok: true, value: [word] }
    }
    case 'steps': {
      if (!Array.isArray(answer) || !answer.every((step) => typeof step === 'string')) {
        return refuse('Send your steps as a list of text.')
      }
      const steps = answer.map(cleanLine).filter(Boolean)
      if (steps.length === 0) return refuse('Write at least one step.')
      if (steps.some(isInvisible)) return refuse(invisibleText('step'))
      if (steps.length > (poll.count ?? 3)) return refuse(`Write at most ${poll.count} steps.`)
      if (steps.some((step) => step.length > LIMITS.stepLength))
        return refuse(`Keep each step under ${LIMITS.stepLength} characters.`)
      if (steps.some((step) => /\p{Cc}/u.test(step))) return refuse('Use letters, digits and punctuation only.')
      return { ok: true, value: steps }
    }
    case 'reactions':
      return refuse('Reactions are sent with a tap, not as a vote.')
    case 'text':
      return refuse('Open answers are posted, not voted.')
    case 'ranking': {
      // The whole order, first to last: every option once.
      const order = Array.isArray(answer) ? answer : []
      if (order.length !== poll.options.length || !order.every(isOption) || new Set(order).size !== order.length) {
        return refuse('Put every option in order, each once.')
      }
      return { ok: true, value: order.map((optionId, i) => rankKey(optionId, i + 1)) }
    }
    case 'matrix': {
      // One point per item, as "item@x,y" with whole steps from 0 to LIMITS.matrixSteps.
      const points = Array.isArray(answer) ? answer : []
      const placed = new Map<string, string>()
      for (const point of points) {
        const match = typeof point === 'string' ? /^(.+)@(\d{1,2}),(\d{1,2})$/.exec(point) : null
        const [, itemId = '', x = '', y = ''] = match ?? []
        if (!match || !isOption(itemId) || Number(x) > LIMITS.matrixSteps || Number(y) > LIMITS.matrixSteps) {
          return refuse(`Place each item on both scales, from 0 to ${LIMITS.matrixSteps}.`)
        }
        placed.set(itemId, pointKey(itemId, Number(x), Number(y)))
      }
      if (placed.size !== poll.options.length || points.length !== placed.size)
        return refuse('Place every item, each once.')
      return { ok: true, value: [...placed.values()] }
    }
  }
}
