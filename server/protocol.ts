// The one place that says what may cross the wire. Every payload that comes in is parsed here;
// code downstream trusts the parsed values and never re-checks a field.
import { z } from 'zod'

export const LIMITS = {
  /** Largest Socket.IO message the server accepts, in bytes. */
  maxMessageBytes: 4 * 1024,
  /** Messages per second one connection may send before it is told to slow down. */
  messagesPerSecond: 20,
  /** Burst allowance on top of the steady rate. */
  messageBurst: 40,
  /** Tallies go to decks at most this often (ms): coalesced, never one broadcast per vote. */
  tallyIntervalMs: 50,
  optionsPerPoll: 12,
  labelLength: 80,
  questionLength: 200,
  /** Longest answer a word poll may accept. */
  wordLength: 60,
  /** Longest action step a participant may write. */
  stepLength: 200,
  /** Words shown in a cloud; the long tail stays in the export. */
  cloudWords: 40,
  /** Reactions one participant may send in a window, and the window (ms). */
  reactionsPerWindow: 5,
  reactionWindowMs: 3000,
} as const

/** Events that a client may send; anything else is answered with `rejected`. */
export const CLIENT_EVENTS = ['vote', 'react', 'takeaway', 'control', 'session', 'follow', 'slide'] as const

// ---------------------------------------------------------------------------------------------
// Poll definitions, as authors write them in a slide's frontmatter (`poll:`).

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'use lowercase letters, digits and dashes (at most 48)')

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
  id,
  question: z.string().trim().min(1).max(LIMITS.questionLength),
  /** `hidden`: the room sees only how many answered until the presenter reveals the results. */
  results: z.enum(['live', 'hidden']).default('live'),
}

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
}

const withIds = (labels: string[]): PollOption[] => labels.map((text) => ({ id: optionId(text), label: text }))

export const PollDefinitionSchema = z
  .preprocess(
    // Single choice is the default kind, so the simplest poll needs no `kind:` line.
    (input) => (input && typeof input === 'object' && !('kind' in input) ? { ...input, kind: 'single' } : input),
    DeclaredPollSchema,
  )
  .transform((declared, ctx): PollDefinition => {
    const { id, kind, question, results } = declared
    const base = { id, kind, question, results }
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

/** Folds a free-text answer so "Trust ", "trust" and "TRUST" count as one word. */
export function normaliseWord(text: string): string {
  return text.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase()
}

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
      const steps = answer.map((step) => step.normalize('NFKC').trim().replace(/\s+/g, ' ')).filter(Boolean)
      if (steps.length === 0) return refuse('Write at least one step.')
      if (steps.length > (poll.count ?? 3)) return refuse(`Write at most ${poll.count} steps.`)
      if (steps.some((step) => step.length > LIMITS.stepLength))
        return refuse(`Keep each step under ${LIMITS.stepLength} characters.`)
      if (steps.some((step) => /\p{Cc}/u.test(step))) return refuse('Use letters, digits and punctuation only.')
      return { ok: true, value: steps }
    }
    case 'reactions':
      return refuse('Reactions are sent with a tap, not as a vote.')
  }
}

// ---------------------------------------------------------------------------------------------
// Connection handshake (`io(url, { auth })`).

export const ParticipantIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/)

export const HandshakeSchema = z
  .object({
    role: z.enum(['voter', 'deck']).default('voter'),
    participantId: ParticipantIdSchema.optional(),
    secret: z.string().max(200).optional(),
  })
  .strip()

export type Handshake = z.output<typeof HandshakeSchema>

// ---------------------------------------------------------------------------------------------
// Client → server payloads.

export const VoteSchema = z
  .object({
    pollId: id,
    /** An option id (single, quiz), a list of them (multiple), a number (scale) or text (words). */
    answer: z.union([
      z.string().max(LIMITS.wordLength * 4),
      z.number().finite(),
      z.array(z.string().max(LIMITS.stepLength)).max(LIMITS.optionsPerPoll),
    ]),
    /** Made on the phone per tap; a retried vote with the same id is counted once. */
    voteId: z.string().regex(/^[A-Za-z0-9_-]{6,64}$/),
  })
  .strict()

export const ReactSchema = z.object({ pollId: id, emoji: z.string().min(1).max(16) }).strict()

export const ControlSchema = z.discriminatedUnion('action', [
  z.object({ pollId: id, action: z.enum(['open', 'close', 'reveal', 'reset']) }).strict(),
  /** Hides a word from the cloud for good (this session). */
  z
    .object({
      pollId: id,
      action: z.literal('hide'),
      word: z.string().min(1).max(LIMITS.wordLength),
    })
    .strict(),
])

const sessionName = z.string().trim().min(1).max(80)
export const SessionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('start'), name: sessionName }).strict(),
  z.object({ action: z.literal('rename'), name: sessionName }).strict(),
])

export const FollowSchema = z.object({ on: z.boolean() }).strict()
/** The presenter's deck says which poll's slide is on screen (null: none). */
export const SlideSchema = z.object({ pollId: id.nullable() }).strict()

export type VotePayload = z.output<typeof VoteSchema>
export type ReactPayload = z.output<typeof ReactSchema>
export type ControlPayload = z.output<typeof ControlSchema>
export type SessionPayload = z.output<typeof SessionSchema>

/** Parses an incoming payload; the error is one sentence a person can act on. */
export function parse<T extends z.ZodType>(
  schema: T,
  input: unknown,
): { ok: true; value: z.output<T> } | { ok: false; error: string } {
  const result = schema.safeParse(input)
  if (result.success) return { ok: true, value: result.data }
  const issue = result.error.issues[0]
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : ''
  return { ok: false, error: `Invalid message: ${where}${issue?.message ?? 'malformed'}` }
}

// ---------------------------------------------------------------------------------------------
// Server → client payloads (types only: the server builds them, it does not parse them).

export type PollState = 'closed' | 'open'

export interface Tally {
  pollId: string
  /** Answers per option, scale point or word. Empty while results are hidden. */
  counts: Record<string, number>
  /** How many people answered (for reactions: how many taps). */
  total: number
  /** Scale polls: the average answer. */
  mean?: number
  /** True while the room may see only the total. */
  hidden?: boolean
}

/** What anyone may know about a poll: the definition without the quiz answer, plus its state. */
export interface PollView extends Omit<PollDefinition, 'correct' | 'explain'> {
  state: PollState
  /** When it was last opened (ms since epoch), so phones can show the newest open poll. */
  openedAt: number | null
  revealed: boolean
  /** Quiz: the right option ids and why, present only once revealed. */
  correct?: string[]
  explain?: string
}

/** `GET /api/polls/:id`: a poll with what the room may see of its results. */
export type PollResults = PollView & Omit<Tally, 'pollId'>

export interface SessionView {
  id: number
  name: string
  startedAt: number
}

export interface SyncPayload {
  session: SessionView
  polls: PollView[]
  /** Only for decks: the current counts. */
  tallies?: Tally[]
  /** Only for voters: what this participant answered, by poll id. */
  mine?: Record<string, string[]>
  presenter: boolean
  /** Polls open and close with the presenter's slides. */
  followSlides: boolean
}

export interface Takeaway {
  session: SessionView
  /** Every poll with what the room may see of it (hidden results stay hidden). */
  polls: (PollView & { tally: Tally })[]
  /** This participant's answers, action steps included (never shown to anyone else). */
  mine: Record<string, string[]>
}

export type Ack<T = object> = ({ ok: true } & T) | { ok: false; error: string }

export interface ClientToServerEvents {
  vote: (payload: VotePayload, ack: (result: Ack<{ answer: string[] }>) => void) => void
  react: (payload: ReactPayload, ack?: (result: Ack) => void) => void
  /** The group's results and this participant's own answers, for "my takeaway". */
  takeaway: (ack: (result: Ack<Takeaway>) => void) => void
  control: (payload: ControlPayload, ack: (result: Ack) => void) => void
  session: (payload: SessionPayload, ack: (result: Ack<{ session: SessionView }>) => void) => void
  follow: (payload: { on: boolean }, ack: (result: Ack) => void) => void
  slide: (payload: { pollId: string | null }, ack: (result: Ack) => void) => void
}

export interface ServerToClientEvents {
  /** Full state, sent on every (re)connect and after a reset, so a client can always resync. */
  sync: (payload: SyncPayload) => void
  'poll:state': (poll: PollView) => void
  tally: (tallies: Tally[]) => void
  /** Reaction taps since the last message, by poll and emoji: they float up on the slide. */
  reactions: (bursts: { pollId: string; counts: Record<string, number> }[]) => void
  /** A message that had no acknowledgement callback was refused: here is why. */
  rejected: (reason: { event: string; error: string }) => void
}

export interface SocketData {
  role: 'voter' | 'deck'
  participantId: string | null
  presenter: boolean
}
