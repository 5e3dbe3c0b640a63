// The store for several server processes: votes, sessions and poll states in one Redis, behind
// the same interface as SQLite. A write resolves only once Redis has answered it; with
// `appendonly yes` and `appendfsync always` (as the README and the tests start it) that answer
// comes after the write is on disk. Commands fail fast while Redis is away (no offline queue),
// so a phone is told "try again" instead of waiting on a write that may never happen.
//
// Every write appends its change to one Redis stream in the same MULTI or script, so the stream's
// order is the order in which Redis applied the writes. Each process reads the stream (its own
// changes too) and applies it in that order: every process ends in the state Redis holds.
import { createClient } from 'redis'
import { type WindowRecord, windowKey } from './questionnaires.ts'
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
  UpvoteCount,
  Vote,
} from './store.ts'

export type RedisClient = ReturnType<typeof createClient>

const K = {
  sequence: 'wk:sessions:seq',
  sessions: 'wk:sessions',
  current: 'wk:sessions:current',
  changes: 'wk:changes',
  polls: (session: number) => `wk:s:${session}:polls`,
  votes: (session: number, poll: string) => `wk:s:${session}:votes:${poll}`,
  votedPolls: (session: number) => `wk:s:${session}:voted`,
  hidden: (session: number) => `wk:s:${session}:hidden`,
  reactions: (session: number) => `wk:s:${session}:reactions`,
  follow: (session: number) => `wk:s:${session}:follow`,
  approve: (session: number) => `wk:s:${session}:approve`,
  cards: (session: number) => `wk:s:${session}:cards`,
  presenters: 'wk:presenters',
  presenterCode: (hash: string) => `wk:presenter-code:${hash}`,
  upvotes: (session: number, card: string) => `wk:s:${session}:upvotes:${card}`,
  /** Every questionnaire window, by "session/questionnaire". */
  windows: 'wk:windows',
  /** What every session's keys start with; the scripts below walk them. */
  session: 'wk:s:',
}

/** Changes kept in the stream; a process away for longer reloads from the store instead. */
const LOG_LENGTH = '100000'

// Last writer wins by time: a participant's later answer is never replaced by an earlier one
// that reached another process late. (Engines apply the same rule when they read the change.)
const SET_VOTE = `
local old = redis.call('HGET', KEYS[1], ARGV[1])
if old then
  local previous = cjson.decode(old)
  if previous.at > tonumber(ARGV[3]) then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[4])
return 1
`

// Creates the first session once, however many processes start at the same moment.
const FIRST_SESSION = `
local current = redis.call('GET', KEYS[1])
if current then return redis.call('HGET', KEYS[2], current) end
local id = redis.call('INCR', KEYS[3])
local session = cjson.encode({ id = id, name = ARGV[1], startedAt = tonumber(ARGV[2]) })
redis.call('HSET', KEYS[2], id, session)
redis.call('SET', KEYS[1], id)
redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[3], '*', 'c', '{"type":"session","session":' .. session .. '}')
return session
`

// Adds taps and logs each reaction's new count, so applying the change twice cannot count twice.
const ADD_REACTIONS = `
local counts = {}
for i = 3, #ARGV, 3 do
  local added = tonumber(ARGV[i + 2])
  local count = redis.call('HINCRBY', KEYS[1], ARGV[i] .. '\\0' .. ARGV[i + 1], added)
  counts[#counts + 1] = { pollId = ARGV[i], emoji = ARGV[i + 1], count = count, added = added }
end
local change = cjson.encode({ type = 'reactions', sessionId = tonumber(ARGV[1]), reactions = counts })
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'c', change)
return 1
`

// Gives or takes back upvotes and logs each card's new count, in one step. The upvote sets' keys
// are made in the script from a prefix (one Redis, not a cluster: the kit needs no more).
const SAVE_UPVOTES = `
local counts = {}
for i = 3, #ARGV, 3 do
  local key = ARGV[1] .. ARGV[i]
  if ARGV[i + 2] == '1' then redis.call('SADD', key, ARGV[i + 1]) else redis.call('SREM', key, ARGV[i + 1]) end
  counts[#counts + 1] = { cardId = ARGV[i], participantId = ARGV[i + 1], on = ARGV[i + 2] == '1', upvotes = redis.call('SCARD', key) }
end
local change = cjson.encode({ type = 'upvotes', sessionId = tonumber(ARGV[2]), upvotes = counts })
redis.call('XADD', KEYS[1], 'MAXLEN', '~', '${LOG_LENGTH}', '*', 'c', change)
return cjson.encode(counts)
`

// Stores new cards (a card already stored is left as it is) and logs them, in one step.
const SAVE_CARDS = `
for i = 2, #ARGV do
  local card = cjson.decode(ARGV[i])
  redis.call('HSETNX', KEYS[1], card.id, ARGV[i])
end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', '${LOG_LENGTH}', '*', 'c', ARGV[1])
return 1
`

// A reset's removal of a poll's reactions, cards and their upvotes, read and removed in the
// reset's own transaction, so a card saved meanwhile by another process cannot outlive it.
const CLEAR_POLL = `
local reactions = redis.call('HKEYS', KEYS[1])
for _, key in ipairs(reactions) do
  if string.sub(key, 1, #ARGV[1] + 1) == ARGV[1] .. '\\0' then redis.call('HDEL', KEYS[1], key) end
end
local cards = redis.call('HGETALL', KEYS[2])
for i = 1, #cards, 2 do
  if cjson.decode(cards[i + 1]).pollId == ARGV[1] then
    redis.call('HDEL', KEYS[2], cards[i])
    redis.call('DEL', ARGV[2] .. cards[i])
  end
end
return 1
`

// Changes a stored card's moderation fields and logs the card as stored; a card that is not
// stored (removed by a reset) stays absent. Returns the change's position, or false.
const MODERATE_CARD = `
local text = redis.call('HGET', KEYS[1], ARGV[1])
if not text then return false end
local card = cjson.decode(text)
for field, value in pairs(cjson.decode(ARGV[2])) do card[field] = value end
local stored = cjson.encode(card)
redis.call('HSET', KEYS[1], ARGV[1], stored)
local change = '{"type":"card","sessionId":' .. ARGV[3] .. ',"card":' .. stored .. '}'
return redis.call('XADD', KEYS[2], 'MAXLEN', '~', '${LOG_LENGTH}', '*', 'c', change)
`

// The keys of one session's votes, cards and upvotes, walked for one participant: `found` answers
// whether anything is stored under the id, `forget` deletes it all. Written once for both.
const WALK_PARTICIPANT = `
local pid, mode = ARGV[1], ARGV[2]
for _, sid in ipairs(redis.call('HKEYS', KEYS[1])) do
  local p = ARGV[3] .. sid .. ':'
  for _, poll in ipairs(redis.call('SMEMBERS', p .. 'voted')) do
    if mode == 'found' then
      if redis.call('HEXISTS', p .. 'votes:' .. poll, pid) == 1 then return 1 end
    else redis.call('HDEL', p .. 'votes:' .. poll, pid) end
  end
  local cards = redis.call('HGETALL', p .. 'cards')
  for i = 1, #cards, 2 do
    local upvotes = p .. 'upvotes:' .. cards[i]
    local mine = cjson.decode(cards[i + 1]).participantId == pid
    if mode == 'found' then
      if mine or redis.call('SISMEMBER', upvotes, pid) == 1 then return 1 end
    elseif mine then
      redis.call('HDEL', p .. 'cards', cards[i])
      redis.call('DEL', upvotes)
    else redis.call('SREM', upvotes, pid) end
  end
end
if mode == 'found' then return 0 end
-- The log's earlier entries hold copies of what was deleted: it keeps only this change, after
-- which every process reloads from the store.
local id = redis.call('XADD', KEYS[2], '*', 'c', ARGV[4])
redis.call('XTRIM', KEYS[2], 'MINID', id)
return id
`

// Deletes every session that started before ARGV[1] (ms) with all its keys and windows, then
// logs the purge and clears the log before it (it holds copies of what was deleted).
const PURGE_SESSIONS = `
local deleted = {}
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local sid = all[i]
  if cjson.decode(all[i + 1]).startedAt < tonumber(ARGV[1]) then
    local p = ARGV[2] .. sid .. ':'
    for _, poll in ipairs(redis.call('SMEMBERS', p .. 'voted')) do redis.call('DEL', p .. 'votes:' .. poll) end
    for _, card in ipairs(redis.call('HKEYS', p .. 'cards')) do redis.call('DEL', p .. 'upvotes:' .. card) end
    for _, key in ipairs({ 'polls', 'voted', 'hidden', 'reactions', 'follow', 'approve', 'cards' }) do
      redis.call('DEL', p .. key)
    end
    for _, window in ipairs(redis.call('HKEYS', KEYS[4])) do
      if string.sub(window, 1, #sid + 1) == sid .. '/' then redis.call('HDEL', KEYS[4], window) end
    end
    redis.call('HDEL', KEYS[1], sid)
    if redis.call('GET', KEYS[2]) == sid then redis.call('DEL', KEYS[2]) end
    deleted[#deleted + 1] = tonumber(sid)
  end
end
if #deleted == 0 then return '[]' end
local id = redis.call('XADD', KEYS[3], '*', 'c', cjson.encode({ type = 'purge', sessionIds = deleted }))
redis.call('XTRIM', KEYS[3], 'MINID', id)
return cjson.encode(deleted)
`

// Removes presenter sessions (the listed ids, or every one) and logs the ids removed, in one step.
const REVOKE_PRESENTERS = `
local ids = {}
if ARGV[1] == 'all' then ids = redis.call('HKEYS', KEYS[1]) else for i = 2, #ARGV do ids[#ids + 1] = ARGV[i] end end
local removed = {}
for _, id in ipairs(ids) do
  if redis.call('HDEL', KEYS[1], id) == 1 then removed[#removed + 1] = id end
end
-- cjson writes an empty table as {}: the list is written as [] by hand then.
local list = #removed > 0 and cjson.encode(removed) or '[]'
redis.call('XADD', KEYS[2], 'MAXLEN', '~', '${LOG_LENGTH}', '*', 'c', '{"type":"presenters-revoked","ids":' .. list .. '}')
return list
`

const parseSession = (text: string | null | undefined): Session | undefined =>
  text ? (JSON.parse(text) as Session) : undefined

export async function connectRedis(url: string): Promise<RedisClient> {
  let connected = false
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 3000,
      // At start-up, fail at once (the facilitator gets one sentence); once running, keep
      // reconnecting, every 2 s at most.
      reconnectStrategy: (retries: number, cause: Error) => (connected ? Math.min(100 * 2 ** retries, 2000) : cause),
    },
  })
  client.on('ready', () => {
    connected = true
  })
  // Errors while reconnecting are reported per command; keep the process alive meanwhile.
  let lastLogged = 0
  client.on('error', (error: Error) => {
    // Before the first connection, the failure reaches the caller of connect() instead.
    if (connected && Date.now() - lastLogged > 5000) console.error(`Redis: ${error.message} (reconnecting…)`)
    lastLogged = Date.now()
  })
  await client.connect()
  return client
}

/** Ends a client now: QUIT waits for a Redis that may be gone, so it gets one second. */
async function disconnect(client: RedisClient): Promise<void> {
  if (!client.isOpen) return
  const quit = client.quit().catch(() => undefined)
  const waited = await Promise.race([quit.then(() => true), new Promise((resolve) => setTimeout(resolve, 1000))])
  if (!waited && client.isOpen) client.destroy()
}

export function openRedisStore(client: RedisClient): Store {
  const listeners: ((change: Change, position: Position) => void)[] = []
  const trim = { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: Number(LOG_LENGTH) } } as const
  const log = (change: Change) => [K.changes, '*', { c: JSON.stringify(change) }, trim] as const
  /** Runs a MULTI that ends with the change's XADD; resolves with the change's position. */
  const logged = async (multi: { exec(): Promise<unknown[]> }): Promise<Position> => String((await multi.exec()).at(-1))
  let reader: RedisClient | null = null
  let closed = false

  /** Reads the stream after `from`, in order, for as long as the store is open. */
  async function follow(from: Position): Promise<void> {
    const own = client.duplicate()
    reader = own
    // Errors surface as failed reads below; the main client reports Redis being away.
    own.on('error', () => undefined)
    let last = from
    let interrupted = false
    while (!closed) {
      try {
        if (!own.isOpen) await own.connect()
        const streams = (await own.xRead({ key: K.changes, id: last }, { BLOCK: 2000, COUNT: 500 })) as
          | { messages: { id: string; message: Record<string, string> }[] }[]
          | null
        if (interrupted) {
          // Changes made while Redis was away are in the stream, unless it was trimmed past
          // this point meanwhile: reloading from the store is the safe way back.
          interrupted = false
          for (const listener of listeners) listener({ type: 'gap' }, last)
        }
        for (const { id, message } of streams?.[0]?.messages ?? []) {
          last = id
          const change = JSON.parse(message.c ?? '{}') as Change
          for (const listener of listeners) listener(change, id)
        }
      } catch {
        if (closed) break
        interrupted = true
        await new Promise((resolve) => setTimeout(resolve, 500))
      }
    }
  }

  async function session(id: number): Promise<Session> {
    const found = parseSession(await client.hGet(K.sessions, String(id)))
    if (!found) throw new Error(`There is no session ${id}.`)
    return found
  }

  return {
    async currentSession() {
      const text = (await client.eval(FIRST_SESSION, {
        keys: [K.current, K.sessions, K.sequence, K.changes],
        arguments: ['First session', String(Date.now()), LOG_LENGTH],
      })) as string
      return parseSession(text) as Session
    },
    async startSession(name) {
      const id = await client.incr(K.sequence)
      const created: Session = { id, name, startedAt: Date.now() }
      await client
        .multi()
        .hSet(K.sessions, String(id), JSON.stringify(created))
        .set(K.current, String(id))
        .xAdd(...log({ type: 'session', session: created }))
        .exec()
      return created
    },
    async renameSession(id, name) {
      const renamed = { ...(await session(id)), name }
      await client
        .multi()
        .hSet(K.sessions, String(id), JSON.stringify(renamed))
        .xAdd(...log({ type: 'session', session: renamed }))
        .exec()
      return renamed
    },
    async listSessions() {
      const all = Object.values(await client.hGetAll(K.sessions)).map((text) => JSON.parse(text) as Session)
      return all.sort((a, b) => a.id - b.id)
    },
    async loadSession(id): Promise<SessionSnapshot> {
      const polls = Object.values(await client.hGetAll(K.polls(id))).map((text) => JSON.parse(text) as PollRecord)
      const votes: Vote[] = []
      for (const pollId of await client.sMembers(K.votedPolls(id))) {
        for (const [participantId, text] of Object.entries(await client.hGetAll(K.votes(id, pollId)))) {
          const { answer, voteId, at } = JSON.parse(text) as Pick<Vote, 'answer' | 'voteId' | 'at'>
          votes.push({ sessionId: id, pollId, participantId, answer, voteId, at })
        }
      }
      const hiddenWords = (await client.sMembers(K.hidden(id))).map((entry) => {
        const [pollId = '', word = ''] = entry.split('\u0000')
        return { pollId, word }
      })
      const reactions = Object.entries(await client.hGetAll(K.reactions(id))).map(([key, count]) => {
        const [pollId = '', emoji = ''] = key.split('\u0000')
        return { pollId, emoji, count: Number(count) }
      })
      const cards = Object.values(await client.hGetAll(K.cards(id)))
        .map((text) => JSON.parse(text) as CardRecord)
        .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1))
      const upvotes: SessionSnapshot['upvotes'] = []
      if (cards.length) {
        const batch = client.multi()
        for (const card of cards) batch.sMembers(K.upvotes(id, card.id))
        const members = (await batch.exec()) as unknown as string[][]
        cards.forEach((card, i) => {
          for (const participantId of members[i] ?? []) upvotes.push({ cardId: card.id, participantId })
        })
      }
      const [follow, approve] = await client.mGet([K.follow(id), K.approve(id)])
      return {
        polls,
        votes,
        hiddenWords,
        reactions,
        cards,
        upvotes,
        followSlides: follow === '1',
        approveQuestions: approve === '1',
      }
    },
    async saveVotes(votes) {
      if (votes.length === 0) return
      // One round trip and one atomic step for the batch and its change.
      const batch = client.multi()
      for (const vote of votes) {
        const value = JSON.stringify({ answer: vote.answer, voteId: vote.voteId, at: vote.at })
        batch.eval(SET_VOTE, {
          keys: [K.votes(vote.sessionId, vote.pollId), K.votedPolls(vote.sessionId)],
          arguments: [vote.participantId, value, String(vote.at), vote.pollId],
        })
      }
      for (const sessionId of new Set(votes.map((vote) => vote.sessionId))) {
        batch.xAdd(...log({ type: 'votes', sessionId, votes: votes.filter((vote) => vote.sessionId === sessionId) }))
      }
      await batch.exec()
    },
    async setPollState(sessionId, record) {
      return logged(
        client
          .multi()
          .hSet(K.polls(sessionId), record.pollId, JSON.stringify(record))
          .xAdd(...log({ type: 'poll', sessionId, record })),
      )
    },
    async resetPoll(sessionId, record) {
      return logged(
        client
          .multi()
          .del(K.votes(sessionId, record.pollId))
          .hSet(K.polls(sessionId), record.pollId, JSON.stringify(record))
          .eval(CLEAR_POLL, {
            keys: [K.reactions(sessionId), K.cards(sessionId)],
            arguments: [record.pollId, K.upvotes(sessionId, '')],
          })
          .xAdd(...log({ type: 'poll', sessionId, record, cleared: true })),
      )
    },
    async hideWord(sessionId, pollId, word) {
      return logged(
        client
          .multi()
          .sAdd(K.hidden(sessionId), `${pollId}\u0000${word}`)
          .xAdd(...log({ type: 'hide', sessionId, pollId, word })),
      )
    },
    async addReactions(sessionId, taps) {
      if (taps.length === 0) return
      await client.eval(ADD_REACTIONS, {
        keys: [K.reactions(sessionId), K.changes],
        arguments: [
          String(sessionId),
          LOG_LENGTH,
          ...taps.flatMap((tap) => [tap.pollId, tap.emoji, String(tap.count)]),
        ],
      })
    },
    async setFlag(sessionId, flag, on) {
      return logged(
        client
          .multi()
          .set((flag === 'followSlides' ? K.follow : K.approve)(sessionId), on ? '1' : '0')
          .xAdd(...log({ type: 'flag', sessionId, flag, on })),
      )
    },
    async saveCards(sessionId, cards) {
      if (cards.length === 0) return
      await client.eval(SAVE_CARDS, {
        keys: [K.cards(sessionId), K.changes],
        arguments: [
          JSON.stringify({ type: 'cards', sessionId, cards: [...cards] } satisfies Change),
          ...cards.map((card) => JSON.stringify(card)),
        ],
      })
    },
    async moderateCard(sessionId, cardId, change) {
      const position = await client.eval(MODERATE_CARD, {
        keys: [K.cards(sessionId), K.changes],
        arguments: [cardId, JSON.stringify(change), String(sessionId)],
      })
      return typeof position === 'string' ? position : this.position()
    },
    async saveUpvotes(sessionId, upvotes) {
      if (upvotes.length === 0) return []
      const counts = (await client.eval(SAVE_UPVOTES, {
        keys: [K.changes],
        arguments: [
          K.upvotes(sessionId, ''),
          String(sessionId),
          ...upvotes.flatMap(({ cardId, participantId, on }) => [cardId, participantId, on ? '1' : '0']),
        ],
      })) as string
      return JSON.parse(counts) as UpvoteCount[]
    },
    async loadWindows() {
      return Object.values(await client.hGetAll(K.windows)).map((text) => JSON.parse(text) as WindowRecord)
    },
    async setWindow(window) {
      return logged(
        client
          .multi()
          .hSet(K.windows, windowKey(window.sessionId, window.questionnaireId), JSON.stringify(window))
          .xAdd(...log({ type: 'window', window })),
      )
    },
    async forgetParticipant(participantId) {
      const position = (await client.eval(WALK_PARTICIPANT, {
        keys: [K.sessions, K.changes],
        arguments: [participantId, 'forget', K.session, JSON.stringify({ type: 'forget', participantId })],
      })) as string
      await rewriteAppendOnlyFile(client)
      return position
    },
    async hasParticipant(participantId) {
      const found = await client.eval(WALK_PARTICIPANT, {
        keys: [K.sessions, K.changes],
        arguments: [participantId, 'found', K.session, ''],
      })
      return found === 1
    },
    async purgeSessions(before) {
      const deleted = JSON.parse(
        (await client.eval(PURGE_SESSIONS, {
          keys: [K.sessions, K.current, K.changes, K.windows],
          arguments: [String(before), K.session],
        })) as string,
      ) as number[]
      if (deleted.length) await rewriteAppendOnlyFile(client)
      return deleted
    },
    async listPresenterSessions() {
      return Object.values(await client.hGetAll(K.presenters)).map((text) => JSON.parse(text) as PresenterSessionRecord)
    },
    async savePresenterSession(session) {
      return logged(
        client
          .multi()
          .hSet(K.presenters, session.id, JSON.stringify(session))
          .xAdd(...log({ type: 'presenter', session })),
      )
    },
    async revokePresenterSessions(ids) {
      const removed = await client.eval(REVOKE_PRESENTERS, {
        keys: [K.presenters, K.changes],
        arguments: ids === 'all' ? ['all'] : ['ids', ...ids],
      })
      return JSON.parse(String(removed)) as string[]
    },
    async savePresenterCode(code) {
      await client.set(K.presenterCode(code.codeHash), JSON.stringify(code), {
        expiration: { type: 'PXAT', value: code.expiresAt },
      })
    },
    async takePresenterCode(codeHash) {
      const text = await client.getDel(K.presenterCode(codeHash))
      return text ? (JSON.parse(text) as PresenterCodeRecord) : null
    },
    onChange(listener) {
      listeners.push(listener)
    },
    async position() {
      const [newest] = await client.xRevRange(K.changes, '+', '-', { COUNT: 1 })
      const position = newest?.id ?? '0-0'
      // The reader starts at the first position asked for: everything after it reaches the engine.
      if (!reader && !closed) void follow(position)
      return position
    },
    async close() {
      closed = true
      // The reader may be blocked in XREAD: nothing of it needs a graceful goodbye.
      if (reader?.isOpen) reader.destroy()
      await disconnect(client)
    },
  }
}

/**
 * Redis's append-only file still holds the commands that wrote deleted data: rewriting it keeps
 * only what is stored now. One already under way is fine (it started after the deletion).
 */
async function rewriteAppendOnlyFile(client: RedisClient): Promise<void> {
  await client.sendCommand(['BGREWRITEAOF']).catch(() => undefined)
}

export { disconnect as disconnectRedis }
