// The embedded default store: one SQLite file in the data folder. WAL with synchronous=FULL
// makes each committed transaction durable; the engine batches votes so a burst costs one
// fsync per batch, not one per vote.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { PollRecord, Session, SessionSnapshot, Store, Vote } from './store.ts'

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sessions (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  name       TEXT    NOT NULL,
  started_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS poll_states (
  session_id INTEGER NOT NULL REFERENCES sessions(id),
  poll_id    TEXT    NOT NULL,
  state      TEXT    NOT NULL CHECK (state IN ('open', 'closed')),
  opened_at  INTEGER,
  PRIMARY KEY (session_id, poll_id)
);
CREATE TABLE IF NOT EXISTS votes (
  session_id     INTEGER NOT NULL REFERENCES sessions(id),
  poll_id        TEXT    NOT NULL,
  participant_id TEXT    NOT NULL,
  answer         TEXT    NOT NULL,
  vote_id        TEXT    NOT NULL,
  at             INTEGER NOT NULL,
  PRIMARY KEY (session_id, poll_id, participant_id)
);
`

type SessionRow = { id: number; name: string; started_at: number }
const toSession = (row: SessionRow): Session => ({
  id: row.id,
  name: row.name,
  startedAt: row.started_at,
})

export const DATABASE_FILE = 'workshop.sqlite'

export function openSqliteStore(dataDir: string): Store {
  mkdirSync(dataDir, { recursive: true })
  const db = new Database(join(dataDir, DATABASE_FILE))
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.exec(SCHEMA)

  const latestSession = db.prepare<[], SessionRow>('SELECT * FROM sessions ORDER BY id DESC LIMIT 1')
  const insertSession = db.prepare<[string, number], SessionRow>(
    'INSERT INTO sessions (name, started_at) VALUES (?, ?) RETURNING *',
  )
  const allSessions = db.prepare<[], SessionRow>('SELECT * FROM sessions ORDER BY id')
  const pollsOf = db.prepare<[number], { poll_id: string; state: 'open' | 'closed'; opened_at: number | null }>(
    'SELECT poll_id, state, opened_at FROM poll_states WHERE session_id = ?',
  )
  const votesOf = db.prepare<[number], { poll_id: string; participant_id: string; answer: string; vote_id: string; at: number }>(
    'SELECT poll_id, participant_id, answer, vote_id, at FROM votes WHERE session_id = ?',
  )
  const upsertVote = db.prepare(
    `INSERT INTO votes (session_id, poll_id, participant_id, answer, vote_id, at)
     VALUES (@sessionId, @pollId, @participantId, @answer, @voteId, @at)
     ON CONFLICT (session_id, poll_id, participant_id)
     DO UPDATE SET answer = excluded.answer, vote_id = excluded.vote_id, at = excluded.at`,
  )
  const upsertPoll = db.prepare(
    `INSERT INTO poll_states (session_id, poll_id, state, opened_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (session_id, poll_id) DO UPDATE SET state = excluded.state, opened_at = excluded.opened_at`,
  )
  const deleteVotes = db.prepare('DELETE FROM votes WHERE session_id = ? AND poll_id = ?')
  const saveBatch = db.transaction((votes: readonly Vote[]) => {
    for (const vote of votes) upsertVote.run(vote)
  })

  const startSession = (name: string): Session => toSession(insertSession.get(name, Date.now()) as SessionRow)

  return {
    async currentSession() {
      const row = latestSession.get()
      return row ? toSession(row) : startSession('First session')
    },
    async startSession(name) {
      return startSession(name)
    },
    async listSessions() {
      return allSessions.all().map(toSession)
    },
    async loadSession(sessionId): Promise<SessionSnapshot> {
      const polls: PollRecord[] = pollsOf.all(sessionId).map((row) => ({
        pollId: row.poll_id,
        state: row.state,
        openedAt: row.opened_at,
      }))
      const votes: Vote[] = votesOf.all(sessionId).map((row) => ({
        sessionId,
        pollId: row.poll_id,
        participantId: row.participant_id,
        answer: row.answer,
        voteId: row.vote_id,
        at: row.at,
      }))
      return { polls, votes }
    },
    async saveVotes(votes) {
      if (votes.length > 0) saveBatch(votes)
    },
    async setPollState(sessionId, poll) {
      upsertPoll.run(sessionId, poll.pollId, poll.state, poll.openedAt)
    },
    async clearVotes(sessionId, pollId) {
      deleteVotes.run(sessionId, pollId)
    },
    async close() {
      db.close()
    },
  }
}
