// What the poll engine needs from storage. SQLite is the embedded default (one process); Redis
// serves several processes. Every write resolves only once it is durable, so the engine may
// acknowledge after awaiting it.
//
// Every process agrees by construction: each write appends one Change to the store's log in the
// same atomic step, and every engine (the writer's included) applies the log in order. A change
// carries the new state of what it touched (a poll's whole record, a reaction's new count), so
// applying it twice, or replaying from before a snapshot, leaves the same state.
import type { PollState, SessionView } from './protocol.ts'

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
}

/** A reaction's count after a change, and how many taps the change added (they float up). */
export interface ReactionCount {
  pollId: string
  emoji: string
  count: number
  added: number
}

export type Change =
  /** Answers saved; each replaces the participant's earlier one unless that one is newer. */
  | { type: 'votes'; sessionId: number; votes: Vote[] }
  | { type: 'reactions'; sessionId: number; reactions: ReactionCount[] }
  /** A poll's whole new record; `cleared`: its answers and reactions were removed (reset). */
  | { type: 'poll'; sessionId: number; record: PollRecord; cleared?: boolean }
  | { type: 'hide'; sessionId: number; pollId: string; word: string }
  /** A session started or was renamed: it is the current one. */
  | { type: 'session'; session: Session }
  | { type: 'follow'; sessionId: number; on: boolean }
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
  /** Polls open and close with the presenter's slides. */
  followSlides: boolean
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
  /** Removes every vote and reaction for the poll, and writes its new record, in one step. */
  resetPoll(sessionId: number, poll: PollRecord): Promise<Position>
  hideWord(sessionId: number, pollId: string, word: string): Promise<Position>
  /** Adds reaction taps to the stored counts, in one durable step. */
  addReactions(sessionId: number, taps: readonly { pollId: string; emoji: string; count: number }[]): Promise<void>
  setFollowSlides(sessionId: number, on: boolean): Promise<Position>
  /**
   * Every change from now on, in log order, from every process sharing the store (this one's
   * own too). With SQLite the listener runs before the write that made the change resolves.
   */
  onChange(listener: (change: Change, position: Position) => void): void
  /** The newest position in the log: a snapshot read afterwards includes at least that much. */
  position(): Promise<Position>
  close(): Promise<void>
}
