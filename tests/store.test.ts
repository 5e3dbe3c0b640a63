import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openSqliteStore } from '../server/sqlite-store.ts'
import type { Store, Vote } from '../server/store.ts'
import { tempDir } from './helpers.ts'

let dir: ReturnType<typeof tempDir>
let store: Store
beforeEach(() => {
  dir = tempDir()
  store = openSqliteStore(dir.path)
})
afterEach(async () => {
  await store.close()
  dir.remove()
})

const vote = (sessionId: number, participantId: string, answer: string): Vote => ({
  sessionId,
  pollId: 'hat',
  participantId,
  answer: [answer],
  voteId: `${participantId}-${answer}`,
  at: 1,
})

describe('SQLite store', () => {
  it('creates a first session and keeps later ones apart', async () => {
    const first = await store.currentSession()
    expect(first.name).toBe('First session')
    await store.saveVotes([vote(first.id, 'a', 'leading')])
    const second = await store.startSession('Berlin, March cohort')
    expect((await store.currentSession()).id).toBe(second.id)
    expect((await store.loadSession(second.id)).votes).toEqual([])
    expect((await store.loadSession(first.id)).votes).toHaveLength(1)
    expect((await store.listSessions()).map((s) => s.name)).toEqual(['First session', 'Berlin, March cohort'])
  })

  it('keeps one vote per participant, poll and session, the latest one', async () => {
    const { id } = await store.currentSession()
    await store.saveVotes([vote(id, 'a', 'leading'), vote(id, 'b', 'leading')])
    await store.saveVotes([vote(id, 'a', 'managing')])
    const { votes } = await store.loadSession(id)
    expect(votes.map((v) => [v.participantId, v.answer[0]]).sort()).toEqual([
      ['a', 'managing'],
      ['b', 'leading'],
    ])
  })

  it('stores poll states and clears votes per poll', async () => {
    const { id } = await store.currentSession()
    await store.setPollState(id, { pollId: 'hat', state: 'open', openedAt: 5, revealed: false })
    await store.saveVotes([vote(id, 'a', 'leading')])
    await store.clearVotes(id, 'hat')
    expect(await store.loadSession(id)).toEqual({
      polls: [{ pollId: 'hat', state: 'open', openedAt: 5, revealed: false }],
      votes: [],
      hiddenWords: [],
      reactions: [],
    })
  })

  it('is durable: a second connection to the same file sees every saved vote', async () => {
    const { id } = await store.currentSession()
    await store.saveVotes([vote(id, 'a', 'leading')])
    const other = openSqliteStore(dir.path)
    expect((await other.loadSession(id)).votes).toHaveLength(1)
    await other.close()
  })
})
