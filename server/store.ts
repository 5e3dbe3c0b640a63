// What the poll engine needs from storage. SQLite is the embedded default; a Redis store for
// several processes can implement the same interface. Every write resolves only once it is
// durable, so the engine may acknowledge after awaiting it.
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

export interface SessionSnapshot {
  polls: PollRecord[]
  votes: Vote[]
  hiddenWords: { pollId: string; word: string }[]
  reactions: { pollId: string; emoji: string; count: number }[]
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
  setPollState(sessionId: number, poll: PollRecord): Promise<void>
  /** Removes every vote and reaction for the poll in the session (hidden words stay hidden). */
  clearVotes(sessionId: number, pollId: string): Promise<void>
  hideWord(sessionId: number, pollId: string, word: string): Promise<void>
  /** Adds reaction taps to the stored counts, in one durable step. */
  addReactions(sessionId: number, taps: readonly { pollId: string; emoji: string; count: number }[]): Promise<void>
  close(): Promise<void>
}
