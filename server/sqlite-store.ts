// The embedded default store: one SQLite file in the data folder, for one server process. WAL
// with synchronous=FULL makes each committed transaction durable; the engine batches votes so a
// burst costs one fsync per batch, not one per vote. Its log of changes lives in memory: one
// process is the only reader, and each change is handed over right after its transaction.
// Commands run beside the server (`npm run presenter -- sign-out`) write to the same file: their
// presenter changes also go to a small table, which the server reads when SQLite says another
// connection changed the file (PRAGMA data_version), and hands to its log like its own.
import { randomUUID } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { WindowRecord } from './questionnaires.ts'
import type {
  CardRecord,
  Change,
  PollRecord,
  Position,
  PresenterCodeRecord,
  PresenterSessionRecord,
  Session,
  SessionSnapshot,
  Store,
  Vote,
} from './store.ts'

/** Tables holding a session's data, deleted with it (retention). */
const SESSION_TABLES = [
  'votes',
  'poll_states',
  'hidden_words',
  'upvotes',
  'cards',
  'reactions',
  'questionnaire_windows',
]

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sessions (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  name          TEXT    NOT NULL,
  started_at    INTEGER NOT NULL,
  follow_slides INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS poll_states (
  session_id INTEGER NOT NULL REFERENCES sessions(id),
  poll_id    TEXT    NOT NULL,
  state      TEXT    NOT NULL CHECK (state IN ('open', 'closed')),
  opened_at  INTEGER,
  revealed   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (session_id, poll_id)
);
CREATE TABLE IF NOT EXISTS votes (
  session_id     INTEGER NOT NULL REFERENCES sessions(id),
  poll_id        TEXT    NOT NULL,
  participant_id TEXT    NOT NULL,
  answer         TEXT    NOT NULL, -- JSON array of the keys counted
  vote_id        TEXT    NOT NULL,
  at             INTEGER NOT NULL,
  PRIMARY KEY (session_id, poll_id, participant_id)
);
CREATE TABLE IF NOT EXISTS hidden_words (
  session_id INTEGER NOT NULL REFERENCES sessions(id),
  poll_id    TEXT    NOT NULL,
  word       TEXT    NOT NULL,
  PRIMARY KEY (session_id, poll_id, word)
);
CREATE TABLE IF NOT EXISTS cards (
  session_id     INTEGER NOT NULL REFERENCES sessions(id),
  id             TEXT    NOT NULL,
  poll_id        TEXT    NOT NULL, -- '' for a question to the room
  participant_id TEXT    NOT NULL,
  text           TEXT    NOT NULL,
  name           TEXT,
  at             INTEGER NOT NULL,
  status         TEXT    NOT NULL CHECK (status IN ('shown', 'waiting', 'hidden')),
  pinned         INTEGER NOT NULL DEFAULT 0,
  answered       INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (session_id, id)
);
CREATE TABLE IF NOT EXISTS upvotes (
  session_id     INTEGER NOT NULL REFERENCES sessions(id),
  card_id        TEXT    NOT NULL,
  participant_id TEXT    NOT NULL,
  PRIMARY KEY (session_id, card_id, participant_id)
);
CREATE TABLE IF NOT EXISTS questionnaire_windows (
  session_id       INTEGER NOT NULL REFERENCES sessions(id),
  questionnaire_id TEXT    NOT NULL,
  opens_at         INTEGER,
  closes_at        INTEGER,
  PRIMARY KEY (session_id, questionnaire_id)
);
-- A participant's data is found by their id alone when they ask for it to be deleted.
CREATE INDEX IF NOT EXISTS votes_by_participant ON votes (participant_id);
CREATE INDEX IF NOT EXISTS cards_by_participant ON cards (participant_id);
CREATE INDEX IF NOT EXISTS upvotes_by_participant ON upvotes (participant_id);
CREATE TABLE IF NOT EXISTS reactions (
  session_id INTEGER NOT NULL REFERENCES sessions(id),
  poll_id    TEXT    NOT NULL,
  emoji      TEXT    NOT NULL,
  count      INTEGER NOT NULL,
  PRIMARY KEY (session_id, poll_id, emoji)
);
CREATE TABLE IF NOT EXISTS presenter_sessions (
  id         TEXT    PRIMARY KEY,
  token_hash TEXT    NOT NULL UNIQUE,
  record     TEXT    NOT NULL, -- JSON: the whole PresenterSessionRecord
  expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS presenter_codes (
  code_hash  TEXT    PRIMARY KEY,
  record     TEXT    NOT NULL, -- JSON: the whole PresenterCodeRecord
  expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS shared_changes (
  id     INTEGER PRIMARY KEY AUTOINCREMENT,
  origin TEXT    NOT NULL, -- the store (process) that wrote it
  change TEXT    NOT NULL  -- JSON: a Change
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
  // Deleted rows are overwritten, not left in free pages: a deletion an attendee asked for is real.
  db.pragma('secure_delete = ON')
  db.exec(SCHEMA)
  // Data folders from before follow mode, approve-first questions and timers.
  addColumn(db, 'sessions', 'follow_slides', 'INTEGER NOT NULL DEFAULT 0')
  addColumn(db, 'sessions', 'approve_questions', 'INTEGER NOT NULL DEFAULT 0')
  addColumn(db, 'poll_states', 'closes_at', 'INTEGER')
  addColumn(db, 'poll_states', 'left_ms', 'INTEGER')

  const latestSession = db.prepare<[], SessionRow>('SELECT * FROM sessions ORDER BY id DESC LIMIT 1')
  const insertSession = db.prepare<[string, number], SessionRow>(
    'INSERT INTO sessions (name, started_at) VALUES (?, ?) RETURNING *',
  )
  const allSessions = db.prepare<[], SessionRow>('SELECT * FROM sessions ORDER BY id')
  const renameSession = db.prepare<[string, number], SessionRow>(
    'UPDATE sessions SET name = ? WHERE id = ? RETURNING *',
  )
  const pollsOf = db.prepare<
    [number],
    {
      poll_id: string
      state: 'open' | 'closed'
      opened_at: number | null
      revealed: number
      closes_at: number | null
      left_ms: number | null
    }
  >('SELECT poll_id, state, opened_at, revealed, closes_at, left_ms FROM poll_states WHERE session_id = ?')
  const hiddenOf = db.prepare<[number], { poll_id: string; word: string }>(
    'SELECT poll_id, word FROM hidden_words WHERE session_id = ?',
  )
  const reactionsOf = db.prepare<[number], { poll_id: string; emoji: string; count: number }>(
    'SELECT poll_id, emoji, count FROM reactions WHERE session_id = ?',
  )
  const votesOf = db.prepare<
    [number],
    { poll_id: string; participant_id: string; answer: string; vote_id: string; at: number }
  >('SELECT poll_id, participant_id, answer, vote_id, at FROM votes WHERE session_id = ?')
  const upsertVote = db.prepare(
    `INSERT INTO votes (session_id, poll_id, participant_id, answer, vote_id, at)
     VALUES (@sessionId, @pollId, @participantId, @answer, @voteId, @at)
     ON CONFLICT (session_id, poll_id, participant_id)
     DO UPDATE SET answer = excluded.answer, vote_id = excluded.vote_id, at = excluded.at
     WHERE excluded.at >= votes.at -- the later answer wins, as in the tallies and in Redis`,
  )
  const upsertPollRow = db.prepare(
    `INSERT INTO poll_states (session_id, poll_id, state, opened_at, revealed, closes_at, left_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (session_id, poll_id) DO UPDATE
     SET state = excluded.state, opened_at = excluded.opened_at, revealed = excluded.revealed,
         closes_at = excluded.closes_at, left_ms = excluded.left_ms`,
  )
  const upsertPoll = (sessionId: number, poll: PollRecord) =>
    upsertPollRow.run(
      sessionId,
      poll.pollId,
      poll.state,
      poll.openedAt,
      poll.revealed ? 1 : 0,
      poll.closesAt ?? null,
      poll.leftMs ?? null,
    )
  type CardRow = {
    id: string
    poll_id: string
    participant_id: string
    text: string
    name: string | null
    at: number
    status: CardRecord['status']
    pinned: number
    answered: number
  }
  const toCard = (row: CardRow): CardRecord => ({
    id: row.id,
    pollId: row.poll_id || null,
    participantId: row.participant_id,
    text: row.text,
    name: row.name,
    at: row.at,
    status: row.status,
    pinned: row.pinned === 1,
    answered: row.answered === 1,
  })
  const cardRow = (sessionId: number, card: CardRecord) => ({
    sessionId,
    id: card.id,
    pollId: card.pollId ?? '',
    participantId: card.participantId,
    text: card.text,
    name: card.name,
    at: card.at,
    status: card.status,
    pinned: card.pinned ? 1 : 0,
    answered: card.answered ? 1 : 0,
  })
  const cardsOf = db.prepare<[number], CardRow>('SELECT * FROM cards WHERE session_id = ? ORDER BY at, id')
  const upvotesOf = db.prepare<[number], { card_id: string; participant_id: string }>(
    'SELECT card_id, participant_id FROM upvotes WHERE session_id = ?',
  )
  const insertCard = db.prepare(
    `INSERT OR IGNORE INTO cards (session_id, id, poll_id, participant_id, text, name, at, status, pinned, answered)
     VALUES (@sessionId, @id, @pollId, @participantId, @text, @name, @at, @status, @pinned, @answered)`,
  )
  const moderateCard = db.prepare<
    { sessionId: number; id: string; status: string | null; pinned: number | null; answered: number | null },
    CardRow
  >(
    `UPDATE cards SET status = COALESCE(@status, status), pinned = COALESCE(@pinned, pinned),
       answered = COALESCE(@answered, answered)
     WHERE session_id = @sessionId AND id = @id RETURNING *`,
  )
  const addUpvote = db.prepare('INSERT OR IGNORE INTO upvotes (session_id, card_id, participant_id) VALUES (?, ?, ?)')
  const removeUpvote = db.prepare('DELETE FROM upvotes WHERE session_id = ? AND card_id = ? AND participant_id = ?')
  const upvoteCount = db.prepare<[number, string], { n: number }>(
    'SELECT COUNT(*) AS n FROM upvotes WHERE session_id = ? AND card_id = ?',
  )
  const deleteCards = db.prepare('DELETE FROM cards WHERE session_id = ? AND poll_id = ?')
  const deleteUpvotes = db.prepare(
    'DELETE FROM upvotes WHERE session_id = ? AND card_id IN (SELECT id FROM cards WHERE session_id = ? AND poll_id = ?)',
  )
  const deleteVotes = db.prepare('DELETE FROM votes WHERE session_id = ? AND poll_id = ?')
  const deleteReactions = db.prepare('DELETE FROM reactions WHERE session_id = ? AND poll_id = ?')
  const insertHidden = db.prepare('INSERT OR IGNORE INTO hidden_words (session_id, poll_id, word) VALUES (?, ?, ?)')
  const flagsOf = db.prepare<[number], { follow_slides: number; approve_questions: number }>(
    'SELECT follow_slides, approve_questions FROM sessions WHERE id = ?',
  )
  const setFollow = db.prepare('UPDATE sessions SET follow_slides = ? WHERE id = ?')
  const setApprove = db.prepare('UPDATE sessions SET approve_questions = ? WHERE id = ?')
  const reactionCount = db.prepare<[number, string, string], { count: number }>(
    'SELECT count FROM reactions WHERE session_id = ? AND poll_id = ? AND emoji = ?',
  )
  const addReaction = db.prepare(
    `INSERT INTO reactions (session_id, poll_id, emoji, count) VALUES (?, ?, ?, ?)
     ON CONFLICT (session_id, poll_id, emoji) DO UPDATE SET count = count + excluded.count`,
  )
  const saveBatch = db.transaction((votes: readonly Vote[]) => {
    for (const vote of votes) upsertVote.run({ ...vote, answer: JSON.stringify(vote.answer) })
  })
  const resetPoll = db.transaction((sessionId: number, poll: PollRecord) => {
    deleteVotes.run(sessionId, poll.pollId)
    deleteReactions.run(sessionId, poll.pollId)
    deleteUpvotes.run(sessionId, sessionId, poll.pollId)
    deleteCards.run(sessionId, poll.pollId)
    upsertPoll(sessionId, poll)
  })
  const saveCards = db.transaction((sessionId: number, cards: readonly CardRecord[]) => {
    for (const card of cards) insertCard.run(cardRow(sessionId, card))
  })
  const saveUpvotes = db.transaction(
    (sessionId: number, upvotes: readonly { cardId: string; participantId: string; on: boolean }[]) =>
      upvotes.map(({ cardId, participantId, on }) => {
        ;(on ? addUpvote : removeUpvote).run(sessionId, cardId, participantId)
        const { n } = upvoteCount.get(sessionId, cardId) as { n: number }
        return { cardId, participantId, on, upvotes: n }
      }),
  )
  const saveReactions = db.transaction(
    (sessionId: number, taps: readonly { pollId: string; emoji: string; count: number }[]) =>
      taps.map((tap) => {
        addReaction.run(sessionId, tap.pollId, tap.emoji, tap.count)
        const { count } = reactionCount.get(sessionId, tap.pollId, tap.emoji) as { count: number }
        return { pollId: tap.pollId, emoji: tap.emoji, count, added: tap.count }
      }),
  )

  type WindowRow = { session_id: number; questionnaire_id: string; opens_at: number | null; closes_at: number | null }
  const allWindows = db.prepare<[], WindowRow>('SELECT * FROM questionnaire_windows')
  const upsertWindow = db.prepare(
    `INSERT INTO questionnaire_windows (session_id, questionnaire_id, opens_at, closes_at)
     VALUES (@sessionId, @questionnaireId, @opensAt, @closesAt)
     ON CONFLICT (session_id, questionnaire_id) DO UPDATE SET opens_at = excluded.opens_at, closes_at = excluded.closes_at`,
  )
  const forget = db.transaction((participantId: string) => {
    db.prepare('DELETE FROM votes WHERE participant_id = ?').run(participantId)
    db.prepare(
      'DELETE FROM upvotes WHERE participant_id = ? OR (session_id, card_id) IN (SELECT session_id, id FROM cards WHERE participant_id = ?)',
    ).run(participantId, participantId)
    db.prepare('DELETE FROM cards WHERE participant_id = ?').run(participantId)
  })
  const holds = db.prepare<[string, string, string], { found: number }>(
    `SELECT EXISTS (SELECT 1 FROM votes WHERE participant_id = ?)
         OR EXISTS (SELECT 1 FROM cards WHERE participant_id = ?)
         OR EXISTS (SELECT 1 FROM upvotes WHERE participant_id = ?) AS found`,
  )
  const purge = db.transaction((before: number) => {
    const ids = db
      .prepare<[number], { id: number }>('SELECT id FROM sessions WHERE started_at < ?')
      .all(before)
      .map((row) => row.id)
    for (const id of ids) {
      for (const table of SESSION_TABLES) db.prepare(`DELETE FROM ${table} WHERE session_id = ?`).run(id)
      db.prepare('DELETE FROM sessions WHERE id = ?').run(id)
    }
    return ids
  })
  /** Deleted data leaves the write-ahead log too, not only the database file. */
  const checkpoint = () => db.pragma('wal_checkpoint(TRUNCATE)')

  const listeners: ((change: Change, position: Position) => void)[] = []
  let logged = 0
  const log = (change: Change): Position => {
    logged++
    for (const listener of listeners) listener(change, String(logged))
    return String(logged)
  }

  // Presenter changes other processes need to hear of (a command beside the server): kept in
  // shared_changes, the last few hundred; each process reads the others' rows.
  const origin = randomUUID()
  const insertShared = db.prepare('INSERT INTO shared_changes (origin, change) VALUES (?, ?)')
  const trimShared = db.prepare('DELETE FROM shared_changes WHERE id <= (SELECT MAX(id) FROM shared_changes) - 500')
  const sharedAfter = db.prepare<[number, string], { id: number; change: string }>(
    'SELECT id, change FROM shared_changes WHERE id > ? AND origin != ? ORDER BY id',
  )
  let sharedSeen = (db.prepare('SELECT MAX(id) AS id FROM shared_changes').get() as { id: number | null }).id ?? 0
  const share = (change: Change) => {
    insertShared.run(origin, JSON.stringify(change))
    trimShared.run()
  }
  let dataVersion = db.pragma('data_version', { simple: true })
  const readShared = () => {
    const version = db.pragma('data_version', { simple: true })
    if (version === dataVersion) return
    dataVersion = version
    for (const row of sharedAfter.all(sharedSeen, origin)) {
      sharedSeen = row.id
      log(JSON.parse(row.change) as Change)
    }
  }
  // Cheap (SQLite answers from shared memory); a command's sign-out reaches the server within it.
  const watch = setInterval(() => {
    if (db.open) readShared()
  }, 500)
  watch.unref()

  const presenterRows = db.prepare<[], { record: string }>('SELECT record FROM presenter_sessions')
  const insertPresenter = db.prepare(
    'INSERT OR REPLACE INTO presenter_sessions (id, token_hash, record, expires_at) VALUES (?, ?, ?, ?)',
  )
  const presenterIds = db.prepare<[], { id: string }>('SELECT id FROM presenter_sessions')
  const deletePresenter = db.prepare('DELETE FROM presenter_sessions WHERE id = ?')
  const purgePresenters = db.prepare('DELETE FROM presenter_sessions WHERE expires_at < ?')
  const insertCode = db.prepare('INSERT INTO presenter_codes (code_hash, record, expires_at) VALUES (?, ?, ?)')
  const purgeCodes = db.prepare('DELETE FROM presenter_codes WHERE expires_at < ?')
  const takeCode = db.prepare<[string, number], { record: string }>(
    'DELETE FROM presenter_codes WHERE code_hash = ? AND expires_at >= ? RETURNING record',
  )
  const savePresenter = db.transaction((session: PresenterSessionRecord) => {
    purgePresenters.run(Date.now())
    insertPresenter.run(session.id, session.tokenHash, JSON.stringify(session), session.expiresAt)
    share({ type: 'presenter', session })
  })
  const revokePresenters = db.transaction((ids: readonly string[] | 'all') => {
    const wanted = ids === 'all' ? presenterIds.all().map((row) => row.id) : ids
    const removed = wanted.filter((id) => deletePresenter.run(id).changes > 0)
    share({ type: 'presenters-revoked', ids: removed })
    return removed
  })

  const startSession = (name: string): Session => {
    const session = toSession(insertSession.get(name, Date.now()) as SessionRow)
    log({ type: 'session', session })
    return session
  }

  return {
    async currentSession() {
      const row = latestSession.get()
      return row ? toSession(row) : startSession('First session')
    },
    async startSession(name) {
      return startSession(name)
    },
    async renameSession(sessionId, name) {
      const row = renameSession.get(name, sessionId)
      if (!row) throw new Error(`There is no session ${sessionId}.`)
      const session = toSession(row)
      log({ type: 'session', session })
      return session
    },
    async listSessions() {
      return allSessions.all().map(toSession)
    },
    async loadSession(sessionId): Promise<SessionSnapshot> {
      const polls: PollRecord[] = pollsOf.all(sessionId).map((row) => ({
        pollId: row.poll_id,
        state: row.state,
        openedAt: row.opened_at,
        revealed: row.revealed === 1,
        ...(row.closes_at !== null ? { closesAt: row.closes_at } : {}),
        ...(row.left_ms !== null ? { leftMs: row.left_ms } : {}),
      }))
      const votes: Vote[] = votesOf.all(sessionId).map((row) => ({
        sessionId,
        pollId: row.poll_id,
        participantId: row.participant_id,
        answer: JSON.parse(row.answer) as string[],
        voteId: row.vote_id,
        at: row.at,
      }))
      const hiddenWords = hiddenOf.all(sessionId).map((row) => ({ pollId: row.poll_id, word: row.word }))
      const reactions = reactionsOf
        .all(sessionId)
        .map((row) => ({ pollId: row.poll_id, emoji: row.emoji, count: row.count }))
      const cards = cardsOf.all(sessionId).map(toCard)
      const upvotes = upvotesOf
        .all(sessionId)
        .map((row) => ({ cardId: row.card_id, participantId: row.participant_id }))
      const flags = flagsOf.get(sessionId)
      return {
        polls,
        votes,
        hiddenWords,
        reactions,
        cards,
        upvotes,
        followSlides: flags?.follow_slides === 1,
        approveQuestions: flags?.approve_questions === 1,
      }
    },
    async saveVotes(votes) {
      if (votes.length === 0) return
      saveBatch(votes)
      for (const sessionId of new Set(votes.map((vote) => vote.sessionId))) {
        log({ type: 'votes', sessionId, votes: votes.filter((vote) => vote.sessionId === sessionId) })
      }
    },
    async setPollState(sessionId, record) {
      upsertPoll(sessionId, record)
      return log({ type: 'poll', sessionId, record })
    },
    async resetPoll(sessionId, record) {
      resetPoll(sessionId, record)
      return log({ type: 'poll', sessionId, record, cleared: true })
    },
    async hideWord(sessionId, pollId, word) {
      insertHidden.run(sessionId, pollId, word)
      return log({ type: 'hide', sessionId, pollId, word })
    },
    async addReactions(sessionId, taps) {
      if (taps.length === 0) return
      log({ type: 'reactions', sessionId, reactions: saveReactions(sessionId, taps) })
    },
    async setFlag(sessionId, flag, on) {
      ;(flag === 'followSlides' ? setFollow : setApprove).run(on ? 1 : 0, sessionId)
      return log({ type: 'flag', sessionId, flag, on })
    },
    async saveCards(sessionId, cards) {
      if (cards.length === 0) return
      saveCards(sessionId, cards)
      log({ type: 'cards', sessionId, cards: [...cards] })
    },
    async moderateCard(sessionId, id, change) {
      const flag = (value: boolean | undefined) => (value === undefined ? null : value ? 1 : 0)
      const row = moderateCard.get({
        sessionId,
        id,
        status: change.status ?? null,
        pinned: flag(change.pinned),
        answered: flag(change.answered),
      })
      return row ? log({ type: 'card', sessionId, card: toCard(row) }) : String(logged)
    },
    async saveUpvotes(sessionId, upvotes) {
      if (upvotes.length === 0) return []
      const counts = saveUpvotes(sessionId, upvotes)
      log({ type: 'upvotes', sessionId, upvotes: counts })
      return counts
    },
    async loadWindows(): Promise<WindowRecord[]> {
      return allWindows.all().map((row) => ({
        sessionId: row.session_id,
        questionnaireId: row.questionnaire_id,
        opensAt: row.opens_at,
        closesAt: row.closes_at,
      }))
    },
    async setWindow(window) {
      upsertWindow.run(window)
      return log({ type: 'window', window })
    },
    async forgetParticipant(participantId) {
      forget(participantId)
      checkpoint()
      return log({ type: 'forget', participantId })
    },
    async hasParticipant(participantId) {
      return holds.get(participantId, participantId, participantId)?.found === 1
    },
    async purgeSessions(before) {
      const sessionIds = purge(before)
      if (sessionIds.length === 0) return []
      checkpoint()
      log({ type: 'purge', sessionIds })
      return sessionIds
    },
    async listPresenterSessions() {
      return presenterRows.all().map((row) => JSON.parse(row.record) as PresenterSessionRecord)
    },
    async savePresenterSession(session) {
      savePresenter(session)
      return log({ type: 'presenter', session })
    },
    async revokePresenterSessions(ids) {
      const removed = revokePresenters(ids)
      log({ type: 'presenters-revoked', ids: removed })
      return removed
    },
    async savePresenterCode(code) {
      purgeCodes.run(Date.now())
      insertCode.run(code.codeHash, JSON.stringify(code), code.expiresAt)
    },
    async takePresenterCode(codeHash) {
      const row = takeCode.get(codeHash, Date.now())
      return row ? (JSON.parse(row.record) as PresenterCodeRecord) : null
    },
    onChange(listener) {
      listeners.push(listener)
    },
    async position() {
      return String(logged)
    },
    async close() {
      clearInterval(watch)
      db.close()
    },
  }
}

/** Adds a column that data folders from older versions lack. */
function addColumn(db: Database.Database, table: string, column: string, definition: string): void {
  const columns = db.prepare<[], { name: string }>(`PRAGMA table_info(${table})`).all()
  if (!columns.some((existing) => existing.name === column)) {
    db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`)
  }
}
