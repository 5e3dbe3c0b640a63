// The wire protocol: the events clients and servers exchange and their payloads. Every payload
// that comes in is parsed here; code downstream trusts the parsed values and never re-checks a
// field.
import { z } from 'zod'
import { LIMITS } from './limits.ts'
import { type PollDefinition, PollIdSchema } from './poll-definition.ts'
import { QuestionKeySchema, type Questionnaire } from './questionnaire-definition.ts'

/** Events that a client may send; anything else is answered with `rejected`. */
export const CLIENT_EVENTS = [
  'vote',
  'react',
  'takeaway',
  'post',
  'upvote',
  'control',
  'moderate',
  'session',
  'follow',
  'approval',
  'slide',
  'questionnaire',
  'window',
  'code',
  'forget',
  'presenters',
  'stage',
  'move',
] as const

// ---------------------------------------------------------------------------------------------
// Connection handshake (`io(url, { auth })`).

export const ParticipantIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/)

export const HandshakeSchema = z
  .object({
    role: z.enum(['voter', 'deck']).default('voter'),
    participantId: ParticipantIdSchema.optional(),
    secret: z.string().max(200).optional(),
    /** The room code shown on the screen, when the session has one. */
    room: z.string().max(40).optional(),
  })
  .strip()

export type Handshake = z.output<typeof HandshakeSchema>

// ---------------------------------------------------------------------------------------------
// Client → server payloads.

export const SessionIdSchema = z.number().int().min(1).max(1e9)

export const VoteSchema = z
  .object({
    /** A live poll, or a questionnaire's question (`questionnaire/question`). */
    pollId: z.union([PollIdSchema, QuestionKeySchema]),
    /** Questionnaires only: the session it belongs to (a pulse may follow an earlier session). */
    sessionId: SessionIdSchema.optional(),
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

export const ReactSchema = z.object({ pollId: PollIdSchema, emoji: z.string().min(1).max(16) }).strict()

/** A question for the room (no pollId) or an open answer to a `text` poll. */
export const PostSchema = z
  .object({
    pollId: PollIdSchema.optional(),
    text: z.string().max(LIMITS.cardLength * 2),
    /** Questions only: signed with a name; anonymous without. */
    name: z
      .string()
      .max(LIMITS.nameLength * 2)
      .optional(),
    /** Made on the phone per post; a retried post with the same id is stored once. */
    postId: z.string().regex(/^[A-Za-z0-9_-]{6,64}$/),
  })
  .strict()

export const CardIdSchema = z.string().regex(/^[A-Za-z0-9_-]{6,32}$/)

/** An upvote on a question (a like on an open answer), or taking it back (`on: false`). */
export const UpvoteSchema = z.object({ cardId: CardIdSchema, on: z.boolean() }).strict()

/** The presenter's moderation: hide or show (approve), pin (highlight), mark answered. */
export const ModerateSchema = z
  .object({
    cardId: CardIdSchema,
    action: z.enum(['hide', 'show', 'pin', 'unpin', 'answered', 'unanswered']),
  })
  .strict()

export const ControlSchema = z.discriminatedUnion('action', [
  z
    .object({
      pollId: PollIdSchema,
      // pause/resume/extend/timer-off: a timed poll's countdown (extend adds LIMITS.timerExtendSeconds).
      action: z.enum(['open', 'close', 'reveal', 'reset', 'pause', 'resume', 'extend', 'timer-off']),
    })
    .strict(),
  /** Hides a word from the cloud for good (this session). */
  z
    .object({
      pollId: PollIdSchema,
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

/** `follow`: polls open and close with the slides; `approval`: new questions wait for approval. */
export const FlagSchema = z.object({ on: z.boolean() }).strict()
/** The presenter's deck says which poll's slide is on screen (null: none). */
export const SlideSchema = z.object({ pollId: PollIdSchema.nullable() }).strict()
/** Signs out one presenter device, or every one (this one too). */
export const PresentersSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('sign-out-all') }).strict(),
  z.object({ action: z.literal('sign-out'), id: z.string().regex(/^[A-Za-z0-9_-]{6,32}$/) }).strict(),
])

/** A move's id, made by the server: the presenter window answers a move with its id. */
const MoveIdSchema = z.string().regex(/^[A-Za-z0-9_-]{6,32}$/)

/**
 * Where the laptop's presenter window stands, as it reports it after every change: the slide and
 * click step, Slidev's presenter clock and the focus timers on the slide. Times are durations,
 * never clock readings: each device counts on from when it received them.
 */
export const StageReportSchema = z
  .object({
    slide: z.number().int().min(1).max(10_000),
    clicks: z.number().int().min(0).max(1000),
    clicksTotal: z.number().int().min(0).max(1000),
    slides: z.number().int().min(1).max(10_000),
    clock: z
      .object({ status: z.enum(['stopped', 'running', 'paused']), elapsedMs: z.number().min(0).max(1e9) })
      .strict(),
    timers: z
      .array(
        z
          .object({
            name: z.string().min(1).max(60),
            minutes: z.number().positive().max(600),
            running: z.boolean(),
            leftMs: z.number().min(0).max(1e9),
          })
          .strict(),
      )
      .max(4),
    /** The move this change carries out, when a remote asked for it, and who asked. */
    move: MoveIdSchema.optional(),
    by: z.string().max(80).optional(),
  })
  .strict()

/** A remote (or any presenter device) asks the presenter window to move, or to run its clock or timer. */
export const MoveSchema = z.discriminatedUnion('action', [
  z.object({ action: z.enum(['next', 'prev']) }).strict(),
  z.object({ action: z.literal('go'), slide: z.number().int().min(1).max(10_000) }).strict(),
  /** Slidev's presenter clock, or the focus timers on the slide on screen. */
  z.object({ action: z.enum(['clock', 'timer']), run: z.enum(['start', 'pause', 'reset']) }).strict(),
])

/** A phone asks for one questionnaire of a session (default: the current one) and its own answers. */
export const QuestionnaireSchema = z
  .object({ questionnaireId: PollIdSchema, sessionId: SessionIdSchema.optional() })
  .strict()

/** The facilitator opens, closes or schedules (dates as ms since epoch) a questionnaire. */
export const WindowSchema = z.discriminatedUnion('action', [
  z
    .object({ questionnaireId: PollIdSchema, sessionId: SessionIdSchema.optional(), action: z.enum(['open', 'close']) })
    .strict(),
  z
    .object({
      questionnaireId: PollIdSchema,
      sessionId: SessionIdSchema.optional(),
      action: z.literal('schedule'),
      from: z.number().int().min(0),
      until: z.number().int().min(0),
    })
    .strict(),
])

/** A personal code typed on another device: the participant id it carries, as shown on a takeaway. */
export const CodeSchema = z
  .object({
    code: z
      .string()
      .max(80)
      .transform((code) => code.replace(/[\s-]/g, '').toLowerCase())
      .pipe(ParticipantIdSchema),
  })
  .strict()

/** Deleting everything stored under this phone's id: asked for in so many words. */
export const ForgetSchema = z.object({ confirm: z.literal(true) }).strict()

export type VotePayload = z.output<typeof VoteSchema>
export type WindowPayload = z.output<typeof WindowSchema>
export type ReactPayload = z.output<typeof ReactSchema>
export type ControlPayload = z.output<typeof ControlSchema>
export type SessionPayload = z.output<typeof SessionSchema>
export type PostPayload = z.output<typeof PostSchema>
export type UpvotePayload = z.output<typeof UpvoteSchema>
export type ModeratePayload = z.output<typeof ModerateSchema>
export type PresentersPayload = z.output<typeof PresentersSchema>
export type StageReport = z.output<typeof StageReportSchema>
export type MovePayload = z.output<typeof MoveSchema>

/** A move on its way to the presenter windows: who asked for it, and its id. */
export type Move = MovePayload & { id: string; by: string }

/** Where the laptop stands, as every presenter device sees it (server/stage.ts). */
export interface StageView {
  /** Presenter windows connected, on every process: none, and no remote can move the slides. */
  windows: number
  /** The presenter window's last report; null until one has reported. */
  at: Omit<StageReport, 'move' | 'by'> | null
  /** Who made the last change: "the laptop", or the paired device's name. */
  by: string
  /** The remote's move that this change carried out, if any. */
  move?: string
}

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
  /**
   * Answers per option, scale point or word; a ranking's places as "option@place" and a 2×2's
   * points as "item@x,y" (read with server/answers.ts). Empty while results are hidden.
   */
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
  /**
   * A timed poll's countdown while it is open: milliseconds left when this view was made, and
   * whether it runs. Null when no countdown applies (no timer, turned off, or closed).
   */
  countdown: { leftMs: number; running: boolean } | null
  /** Quiz: the right option ids and why, present only once revealed. */
  correct?: string[]
  explain?: string
}

/** `GET /api/polls/:id`: a poll with what the room may see of its results. */
export type PollResults = PollView & Omit<Tally, 'pollId'>

/** A questionnaire for one session: its questions as polls, and whether it is open now. */
export interface QuestionnaireView extends Omit<Questionnaire, 'questions'> {
  sessionId: number
  questions: PollView[]
  open: boolean
  opensAt: number | null
  closesAt: number | null
  /** Presenters only: how many answered at least one question, and every one. */
  progress?: { started: number; finished: number }
}

export interface SessionView {
  id: number
  name: string
  startedAt: number
}

/** A browser or device signed in as the presenter (server/presenter-sessions.ts). */
export interface PresenterSessionView {
  id: string
  /** `link`: a browser that opened a presenter link; `paired`: a device paired by a code. */
  kind: 'link' | 'paired'
  /** What the presenter view lists it as, e.g. "Chrome on macOS". */
  label: string
  createdAt: number
  expiresAt: number
  /** The presenter session that made the code it came from; null for a printed link. */
  createdBy: string | null
}

/** A question from the room, or an open answer to a `text` poll: a card on the wall. */
export interface CardView {
  id: string
  /** The `text` poll it answers; absent for a question to the room. */
  pollId?: string
  /** Always shown as text, never as markup. Empty when the card is held or hidden (see status). */
  text: string
  name?: string
  at: number
  upvotes: number
  /** `waiting`: held until the presenter approves it; `hidden`: hidden by the presenter. */
  status: 'shown' | 'waiting' | 'hidden'
  /** Questions: pinned to the top. Open answers: highlighted. */
  pinned: boolean
  answered: boolean
}

/** How many cards the room cannot read, per wall (pollId null: the room's questions). */
export interface HeldCount {
  pollId: string | null
  hidden: number
  waiting: number
}

export interface CardsPayload {
  /** Cards that changed (the presenter gets them whole; the room gets held ones without text). */
  cards: CardView[]
  held: HeldCount[]
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
  /** New questions wait for the presenter's approval. */
  approveQuestions: boolean
  /** The cards this client may read (the presenter: every card; a voter: its own held ones too). */
  cards: CardView[]
  held: HeldCount[]
  /** Only for voters: ids of the cards it posted and of those it upvoted. */
  myCards?: string[]
  myUpvotes?: string[]
  /** Voters: the questionnaires open now in this session; decks: every one, presenters with progress. */
  questionnaires: QuestionnaireView[]
  /** Only for presenters: every signed-in presenter device, and which one this is (null: the secret). */
  presenterSessions?: PresenterSessionView[]
  presenterSessionId?: string | null
  /** Only for presenters: where the laptop's presenter window stands. */
  stage?: StageView
}

export interface Takeaway {
  session: SessionView
  /** Every poll with what the room may see of it (hidden results stay hidden). */
  polls: (PollView & { tally: Tally })[]
  /** This participant's answers, action steps included (never shown to anyone else). */
  mine: Record<string, string[]>
  /** The room's questions and open answers that the room may read. */
  cards: CardView[]
  /** Ids of the cards this participant posted. */
  myCards: string[]
  /** Questionnaires of this session the participant answered (their answers are in `mine`). */
  questionnaires: QuestionnaireView[]
}

export type Ack<T = object> = ({ ok: true } & T) | { ok: false; error: string }

export interface ClientToServerEvents {
  vote: (payload: VotePayload, ack: (result: Ack<{ answer: string[] }>) => void) => void
  react: (payload: ReactPayload, ack?: (result: Ack) => void) => void
  /** The group's results and this participant's own answers, for "my takeaway". */
  takeaway: (ack: (result: Ack<Takeaway>) => void) => void
  /** Resolves once the card is on disk: as the room sees it (status `waiting` when held). */
  post: (payload: PostPayload, ack: (result: Ack<{ card: CardView }>) => void) => void
  upvote: (payload: UpvotePayload, ack: (result: Ack<{ upvotes: number }>) => void) => void
  control: (payload: ControlPayload, ack: (result: Ack) => void) => void
  moderate: (payload: ModeratePayload, ack: (result: Ack) => void) => void
  session: (payload: SessionPayload, ack: (result: Ack<{ session: SessionView }>) => void) => void
  follow: (payload: { on: boolean }, ack: (result: Ack) => void) => void
  approval: (payload: { on: boolean }, ack: (result: Ack) => void) => void
  slide: (payload: { pollId: string | null }, ack: (result: Ack) => void) => void
  /** One questionnaire and this participant's answers to it, by question key. */
  questionnaire: (
    payload: z.input<typeof QuestionnaireSchema>,
    ack: (result: Ack<{ questionnaire: QuestionnaireView; mine: Record<string, string[]> }>) => void,
  ) => void
  window: (payload: WindowPayload, ack: (result: Ack) => void) => void
  /** Whether anything is stored under a personal code (so a typo is not taken for a new person). */
  code: (payload: { code: string }, ack: (result: Ack<{ code: string }>) => void) => void
  forget: (payload: { confirm: true }, ack: (result: Ack) => void) => void
  presenters: (payload: PresentersPayload, ack: (result: Ack<{ signedOut: number }>) => void) => void
  /** The presenter window says where it stands (after each change, and on connecting). */
  stage: (payload: StageReport, ack: (result: Ack) => void) => void
  /** A presenter device asks the presenter window to move; acknowledged once it is on its way. */
  move: (payload: MovePayload, ack: (result: Ack<{ id: string }>) => void) => void
}

export interface ServerToClientEvents {
  /** Full state, sent on every (re)connect and after a reset, so a client can always resync. */
  sync: (payload: SyncPayload) => void
  'poll:state': (poll: PollView) => void
  tally: (tallies: Tally[]) => void
  /** Reaction taps since the last message, by poll and emoji: they float up on the slide. */
  reactions: (bursts: { pollId: string; counts: Record<string, number> }[]) => void
  /** Questions and open answers that changed, coalesced (at most every LIMITS.cardIntervalMs). */
  cards: (payload: CardsPayload) => void
  /** Everything stored under this phone's id was deleted (from this device or another with its code). */
  forgotten: () => void
  /** A message that had no acknowledgement callback was refused: here is why. */
  rejected: (reason: { event: string; error: string }) => void
  /** Presenters only: the signed-in presenter devices, whenever that list changes. */
  presenters: (sessions: PresenterSessionView[]) => void
  /** Presenters only: where the laptop stands, whenever that changes. */
  stage: (stage: StageView) => void
  /** Presenter windows only: a move a presenter device asked for. */
  move: (move: Move) => void
}

export interface SocketData {
  role: 'voter' | 'deck'
  participantId: string | null
  presenter: boolean
  /** The presenter session it came with (null: the secret itself, or not a presenter). */
  presenterSession: string | null
  /** Where it connects from, as the per-address limits count it. */
  address: string
  /** How it is named when it moves the slides: "the laptop", or a paired device's name. */
  label: string
}
