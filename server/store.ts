// What the poll engine needs from storage. SQLite is the embedded default (one process); Redis
// serves several processes. Every write resolves only once it is durable, so the engine may
// acknowledge after awaiting it.
//
// Every process agrees by construction: each write appends one Change to the store's log in the
// same atomic step, and every engine (the writer's included) applies the log in order. A change
// carries the new state of what it touched (a poll's whole record, a reaction's new count), so
// applying it twice, or replaying from before a snapshot, leaves the same state.
import type { PollState, PresenterSessionView, SessionView } from './protocol.ts'
import type { WindowRecord } from './questionnaires.ts'

export type Session = SessionView

/** One participant's current answer to one poll in one session. */
export interface Vote {
  sessionId: number
  pollId: string
  participantId: string
  /** What they answered, as keys to count: option ids, a scale point, or one normalised word. */
  answer: string[]
  /** The phone's id for this tap; a retry with the same id is recognised and not re-applied. */
  voteId: string
  at: number
}

export interface PollRecord {
  pollId: string
  state: PollState
  openedAt: number | null
  /** Results shown (hidden polls) and quiz answers told. */
  revealed: boolean
  /**
   * A timed poll's countdown: when it closes by itself while running (ms since epoch), or the
   * time left while paused. Both null (or absent, in records from before timers) without one.
   * Every process reads an open poll past `closesAt` as closed, so closing at zero needs no write.
   */
  closesAt?: number | null
  leftMs?: number | null
}

/** A question from the room (pollId null) or an open answer to a `text` poll. */
export interface CardRecord {
  /** Made from the participant and the phone's post id, so a retried post is stored once. */
  id: string
  pollId: string | null
  participantId: string
  text: string
  name: string | null
  at: number
  status: 'shown' | 'waiting' | 'hidden'
  pinned: boolean
  answered: boolean
}

/** A participant's upvote given or taken back, and the card's count after it. */
export interface UpvoteCount {
  cardId: string
  participantId: string
  on: boolean
  upvotes: number
}

/** What the presenter's moderation changes in a card: one field at a time. */
export type CardChange = Partial<Pick<CardRecord, 'status' | 'pinned' | 'answered'>>

/** Switches kept per session. */
export type Flag = 'followSlides' | 'approveQuestions'

/** A reaction's count after a change, and how many taps the change added (they float up). */
export interface ReactionCount {
  pollId: string
  emoji: string
  count: number
  added: number
}

/**
 * A browser or device with presenter rights (server/presenter-sessions.ts). The store keeps a
 * hash of the token its cookie holds, never the token: a copy of the data folder signs no one in.
 */
export interface PresenterSessionRecord extends PresenterSessionView {
  tokenHash: string
}

/** A one-time code that makes a presenter session (the presenter link), kept as its hash until used. */
export interface PresenterCodeRecord {
  codeHash: string
  kind: PresenterSessionRecord['kind']
  createdBy: string | null
  expiresAt: number
}

export type Change =
  /** Answers saved; each replaces the participant's earlier one unless that one is newer. */
  | { type: 'votes'; sessionId: number; votes: Vote[] }
  | { type: 'reactions'; sessionId: number; reactions: ReactionCount[] }
  /** A poll's whole new record; `cleared`: its answers, reactions and cards were removed (reset). */
  | { type: 'poll'; sessionId: number; record: PollRecord; cleared?: boolean }
  | { type: 'hide'; sessionId: number; pollId: string; word: string }
  /** A session started or was renamed: it is the current one. */
  | { type: 'session'; session: Session }
  | { type: 'flag'; sessionId: number; flag: Flag; on: boolean }
  /** New cards; one already stored (a retried post) keeps what it has. */
  | { type: 'cards'; sessionId: number; cards: CardRecord[] }
  /** A card's whole new record (moderation). */
  | { type: 'card'; sessionId: number; card: CardRecord }
  | { type: 'upvotes'; sessionId: number; upvotes: UpvoteCount[] }
  /** A questionnaire's new window for a session (opened, closed, scheduled). */
  | { type: 'window'; window: WindowRecord }
  /**
   * Everything stored under this participant id was deleted, at their request; the log before
   * this change was cleared of it too, so every process reloads from the store.
   */
  | { type: 'forget'; participantId: string }
  /** These sessions were deleted (retention), with the log before this change: reload. */
  | { type: 'purge'; sessionIds: number[] }
  /** A presenter session was made (it is not tied to a workshop session). */
  | { type: 'presenter'; session: PresenterSessionRecord }
  /** These presenter sessions were signed out (the ids the store removed). */
  | { type: 'presenters-revoked'; ids: string[] }
  /** The log cannot vouch for what came before (it was trimmed while this process was away): reload. */
  | { type: 'gap' }

/** Where a change sits in the store's log ("ms-seq" for Redis, a counter for SQLite). */
export type Position = string

/** True when `a` comes after `b` in the log. */
export function isAfter(a: Position, b: Position): boolean {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number)
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number)
  return aMs > bMs || (aMs === bMs && aSeq > bSeq)
}

export interface SessionSnapshot {
  polls: PollRecord[]
  votes: Vote[]
  hiddenWords: { pollId: string; word: string }[]
  reactions: { pollId: string; emoji: string; count: number }[]
  cards: CardRecord[]
  upvotes: { cardId: string; participantId: string }[]
  /** Polls open and close with the presenter's slides. */
  followSlides: boolean
  /** New questions wait for the presenter's approval. */
  approveQuestions: boolean
}

export interface Store {
  /** The session being run now; the first call creates one if the store is empty. */
  currentSession(): Promise<Session>
  startSession(name: string): Promise<Session>
  renameSession(sessionId: number, name: string): Promise<Session>
  listSessions(): Promise<Session[]>
  /** Everything needed to rebuild a session's tallies in memory. */
  loadSession(sessionId: number): Promise<SessionSnapshot>
  /** Writes a batch of votes in one durable step (insert or replace per participant and poll). */
  saveVotes(votes: readonly Vote[]): Promise<void>
  /** Writes a poll's record; resolves with the position of the change in the log (so with the next three). */
  setPollState(sessionId: number, poll: PollRecord): Promise<Position>
  /** Removes every vote, reaction and card for the poll, and writes its new record, in one step. */
  resetPoll(sessionId: number, poll: PollRecord): Promise<Position>
  hideWord(sessionId: number, pollId: string, word: string): Promise<Position>
  /** Adds reaction taps to the stored counts, in one durable step. */
  addReactions(sessionId: number, taps: readonly { pollId: string; emoji: string; count: number }[]): Promise<void>
  setFlag(sessionId: number, flag: Flag, on: boolean): Promise<Position>
  /** Writes new cards in one durable step; a card whose id is stored already is left as it is. */
  saveCards(sessionId: number, cards: readonly CardRecord[]): Promise<void>
  /**
   * Changes a stored card's moderation fields, leaving the rest as stored (two presenters
   * moderating one card at once each change only their field); logs the card's stored record.
   * A card that is not stored (a reset removed it) stays absent and nothing is logged.
   */
  moderateCard(sessionId: number, cardId: string, change: CardChange): Promise<Position>
  /** Gives or takes back upvotes in one durable step; the change carries each card's new count. */
  saveUpvotes(
    sessionId: number,
    upvotes: readonly { cardId: string; participantId: string; on: boolean }[],
  ): Promise<UpvoteCount[]>
  /** Every questionnaire window of every session. */
  loadWindows(): Promise<WindowRecord[]>
  setWindow(window: WindowRecord): Promise<Position>
  /**
   * Deletes everything stored under a participant id, in every session: votes and questionnaire
   * answers, questions and open answers (with their upvotes), upvotes given, and the log's copies.
   */
  forgetParticipant(participantId: string): Promise<Position>
  /** True when anything is stored under this participant id (a personal code typed on a phone). */
  hasParticipant(participantId: string): Promise<boolean>
  /** Deletes every session started before `before` (ms since epoch) with all it holds; their ids. */
  purgeSessions(before: number): Promise<number[]>
  /** Presenter sessions that have not been signed out (expired ones may be among them). */
  listPresenterSessions(): Promise<PresenterSessionRecord[]>
  savePresenterSession(session: PresenterSessionRecord): Promise<Position>
  /** Removes these presenter sessions (or all), in one step; logs and returns the ids it removed. */
  revokePresenterSessions(ids: readonly string[] | 'all'): Promise<string[]>
  savePresenterCode(code: PresenterCodeRecord): Promise<void>
  /** Removes a one-time code and returns it: once, and only before it expires (null otherwise). */
  takePresenterCode(codeHash: string): Promise<PresenterCodeRecord | null>
  /**
   * Every change from now on, in log order, from every process sharing the store (this one's
   * own too). With SQLite the listener runs before the write that made the change resolves.
   */
  onChange(listener: (change: Change, position: Position) => void): void
  /** The newest position in the log: a snapshot read afterwards includes at least that much. */
  position(): Promise<Position>
  close(): Promise<void>
}
