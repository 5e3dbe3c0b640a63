// The store for several server processes: votes, sessions and poll states in one Redis, behind
// the same interface as SQLite. A write resolves only once Redis has answered it; with
// `appendonly yes` and `appendfsync always` (as the README and .ci/run start it) that answer
// comes after the write is on disk. Commands fail fast while Redis is away (no offline queue),
// so a phone is told "try again" instead of waiting on a write that may never happen.
import { createClient } from 'redis'
import type { PollRecord, Session, SessionSnapshot, Store, Vote } from './store.ts'

export type RedisClient = ReturnType<typeof createClient>

const K = {
  sequence: 'wk:sessions:seq',
  sessions: 'wk:sessions',
  current: 'wk:sessions:current',
  polls: (session: number) => `wk:s:${session}:polls`,
  votes: (session: number, poll: string) => `wk:s:${session}:votes:${poll}`,
  votedPolls: (session: number) => `wk:s:${session}:voted`,
  hidden: (session: number) => `wk:s:${session}:hidden`,
  reactions: (session: number) => `wk:s:${session}:reactions`,
}

// Last writer wins by time: a participant's later answer is never replaced by an earlier one
// that reached another process late.
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
return session
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

export function openRedisStore(client: RedisClient): Store {
  async function session(id: number): Promise<Session> {
    const found = parseSession(await client.hGet(K.sessions, String(id)))
    if (!found) throw new Error(`There is no session ${id}.`)
    return found
  }

  return {
    async currentSession() {
      const text = (await client.eval(FIRST_SESSION, {
        keys: [K.current, K.sessions, K.sequence],
        arguments: ['First session', String(Date.now())],
      })) as string
      return parseSession(text) as Session
    },
    async startSession(name) {
      const id = await client.incr(K.sequence)
      const created: Session = { id, name, startedAt: Date.now() }
      await client.multi().hSet(K.sessions, String(id), JSON.stringify(created)).set(K.current, String(id)).exec()
      return created
    },
    async renameSession(id, name) {
      const renamed = { ...(await session(id)), name }
      await client.hSet(K.sessions, String(id), JSON.stringify(renamed))
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
      return { polls, votes, hiddenWords, reactions }
    },
    async saveVotes(votes) {
      if (votes.length === 0) return
      // One round trip for the batch; each vote applies atomically on the server side.
      const batch = client.multi()
      for (const vote of votes) {
        const value = JSON.stringify({ answer: vote.answer, voteId: vote.voteId, at: vote.at })
        batch.eval(SET_VOTE, {
          keys: [K.votes(vote.sessionId, vote.pollId), K.votedPolls(vote.sessionId)],
          arguments: [vote.participantId, value, String(vote.at), vote.pollId],
        })
      }
      await batch.exec()
    },
    async setPollState(sessionId, poll) {
      await client.hSet(K.polls(sessionId), poll.pollId, JSON.stringify(poll))
    },
    async clearVotes(sessionId, pollId) {
      const reactionKeys = Object.keys(await client.hGetAll(K.reactions(sessionId))).filter((key) =>
        key.startsWith(`${pollId}\u0000`),
      )
      const batch = client.multi().del(K.votes(sessionId, pollId))
      if (reactionKeys.length) batch.hDel(K.reactions(sessionId), reactionKeys)
      await batch.exec()
    },
    async hideWord(sessionId, pollId, word) {
      await client.sAdd(K.hidden(sessionId), `${pollId}\u0000${word}`)
    },
    async addReactions(sessionId, taps) {
      if (taps.length === 0) return
      const batch = client.multi()
      for (const tap of taps) batch.hIncrBy(K.reactions(sessionId), `${tap.pollId}\u0000${tap.emoji}`, tap.count)
      await batch.exec()
    },
    async close() {
      await client.quit().catch(() => undefined)
    },
  }
}
