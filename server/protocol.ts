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
} as const

/** Events that a client may send; anything else is answered with `rejected`. */
export const CLIENT_EVENTS = ['vote', 'control'] as const

// ---------------------------------------------------------------------------------------------
// Poll definitions, as authors write them in a slide's frontmatter (`poll:`).

const id = z
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

export const PollDefinitionSchema = z
  .object({
    id,
    question: z.string().trim().min(1).max(LIMITS.questionLength),
    kind: z.literal('single').default('single'),
    options: z
      .array(z.string().trim().min(1).max(LIMITS.labelLength))
      .min(2, 'a poll needs at least two options')
      .max(LIMITS.optionsPerPoll),
  })
  .strict()
  .transform((poll, ctx) => {
    const options = poll.options.map((label) => ({ id: optionId(label), label }))
    const seen = new Set<string>()
    for (const option of options) {
      if (seen.has(option.id)) {
        ctx.addIssue({ code: 'custom', message: `two options read the same: "${option.label}"` })
      }
      seen.add(option.id)
    }
    return { ...poll, options }
  })

export type PollDefinition = z.output<typeof PollDefinitionSchema>
export type PollOption = PollDefinition['options'][number]

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
    optionId: z.string().min(1).max(48),
    /** Made on the phone per tap; a retried vote with the same id is counted once. */
    voteId: z.string().regex(/^[A-Za-z0-9_-]{6,64}$/),
  })
  .strict()

export const ControlSchema = z
  .object({
    pollId: id,
    action: z.enum(['open', 'close', 'reset']),
  })
  .strict()

export type VotePayload = z.output<typeof VoteSchema>
export type ControlPayload = z.output<typeof ControlSchema>

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
  counts: Record<string, number>
  total: number
}

export interface PollView extends PollDefinition {
  state: PollState
  /** When it was last opened (ms since epoch), so phones can show the newest open poll. */
  openedAt: number | null
}

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
  /** Only for voters: what this participant chose, by poll id. */
  mine?: Record<string, string>
  presenter: boolean
}

export type Ack<T = object> = ({ ok: true } & T) | { ok: false; error: string }

export interface ClientToServerEvents {
  vote: (payload: VotePayload, ack: (result: Ack<{ optionId: string }>) => void) => void
  control: (payload: ControlPayload, ack: (result: Ack) => void) => void
}

export interface ServerToClientEvents {
  /** Full state, sent on every (re)connect and after a reset, so a client can always resync. */
  sync: (payload: SyncPayload) => void
  'poll:state': (poll: { pollId: string; state: PollState; openedAt: number | null }) => void
  tally: (tallies: Tally[]) => void
  /** A message that had no acknowledgement callback was refused: here is why. */
  rejected: (reason: { event: string; error: string }) => void
}

export interface SocketData {
  role: 'voter' | 'deck'
  participantId: string | null
  presenter: boolean
}
