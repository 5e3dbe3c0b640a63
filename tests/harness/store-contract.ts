// What every store promises the engine (server/store.ts), as one suite that runs against SQLite
// (tests/store.test.ts) and against a real Redis (tests/scale/store-redis.test.ts).
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  type CardRecord,
  type Change,
  isAfter,
  type Position,
  type PresenterSessionRecord,
  type Store,
  type Vote,
} from '../../server/store.ts'

export interface StoreUnderTest {
  /** A store on fresh, empty storage. */
  open(): Promise<Store>
  /** Another store on the same storage (a restart, or a second process). */
  reopen(): Promise<Store>
  /** Several processes share it, and so its log (Redis); an SQLite file has one process. */
  shared: boolean
  cleanup(): Promise<void>
}

const vote = (sessionId: number, participantId: string, answer: string, at = 1, pollId = 'hat'): Vote => ({
  sessionId,
  pollId,
  participantId,
  answer: [answer],
  voteId: `${participantId}-${answer}-${at}`,
  at,
})

const card = (id: string, participantId: string, pollId: string | null = null): CardRecord => ({
  id,
  pollId,
  participantId,
  text: `Question ${id}?`,
  name: null,
  at: 1,
  status: 'shown',
  pinned: false,
  answered: false,
})

const presenter = (id: string): PresenterSessionRecord => ({
  id,
  tokenHash: `hash-of-${id}`,
  kind: 'link',
  label: 'Chrome on Linux',
  createdAt: 1,
  expiresAt: 4_000_000_000_000,
  createdBy: null,
})

/** Every change the store logs from now on, with its position. */
function record(store: Store): { changes: Change[]; positions: Position[] } {
  const log = { changes: [] as Change[], positions: [] as Position[] }
  store.onChange((change, position) => {
    log.changes.push(change)
    log.positions.push(position)
  })
  return log
}

async function logged(log: { changes: Change[] }, count: number): Promise<void> {
  const deadline = Date.now() + 5000
  while (log.changes.length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} logged changes, saw ${log.changes.length}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

export function storeContract(name: string, underTest: () => StoreUnderTest): void {
  describe(`${name} store`, () => {
    let subject: StoreUnderTest
    let store: Store
    const opened: Store[] = []
    beforeEach(async () => {
      subject = underTest()
      store = await subject.open()
      opened.push(store)
    })
    afterEach(async () => {
      for (const each of opened.splice(0)) await each.close()
      await subject.cleanup()
    })
    const reopen = async () => {
      const again = await subject.reopen()
      opened.push(again)
      return again
    }

    it('creates a first session once, then starts and renames sessions and lists them all', async () => {
      const first = await store.currentSession()
      expect(first.name).toBe('First session')
      expect((await store.currentSession()).id).toBe(first.id)
      const second = await store.startSession('Berlin, March cohort')
      expect(second.id).toBeGreaterThan(first.id)
      expect((await store.currentSession()).id).toBe(second.id)
      expect((await store.renameSession(second.id, 'Berlin, April')).name).toBe('Berlin, April')
      expect((await store.listSessions()).map((session) => session.name)).toEqual(['First session', 'Berlin, April'])
    })

    it('keeps one answer per participant and poll: the later one, whatever order they arrive in', async () => {
      const { id } = await store.currentSession()
      await store.saveVotes([vote(id, 'a', 'leading', 1), vote(id, 'b', 'leading', 1)])
      await store.saveVotes([vote(id, 'a', 'managing', 3)])
      // An older answer that reached the store late (another process) does not replace it.
      await store.saveVotes([vote(id, 'a', 'not-sure', 2)])
      const { votes } = await store.loadSession(id)
      expect(votes.map((v) => [v.participantId, v.answer[0]]).sort()).toEqual([
        ['a', 'managing'],
        ['b', 'leading'],
      ])
    })

    it('counts a retried vote once', async () => {
      const { id } = await store.currentSession()
      const tap = vote(id, 'a', 'leading', 5)
      await store.saveVotes([tap])
      await store.saveVotes([tap])
      expect((await store.loadSession(id)).votes).toHaveLength(1)
    })

    it('resets one poll: its answers and reactions go, its new record is written, other polls stay', async () => {
      const { id } = await store.currentSession()
      await store.setPollState(id, { pollId: 'hat', state: 'open', openedAt: 5, revealed: true })
      await store.saveVotes([vote(id, 'a', 'leading'), vote(id, 'a', 'yes', 1, 'other')])
      await store.addReactions(id, [{ pollId: 'hat', emoji: '👍', count: 2 }])
      await store.resetPoll(id, { pollId: 'hat', state: 'open', openedAt: 5, revealed: false })
      const snapshot = await store.loadSession(id)
      expect(snapshot.polls).toEqual([{ pollId: 'hat', state: 'open', openedAt: 5, revealed: false }])
      expect(snapshot.votes.map((v) => v.pollId)).toEqual(['other'])
      expect(snapshot.reactions).toEqual([])
    })

    it('keeps reveals, hidden words, reaction counts and follow mode per session', async () => {
      const first = await store.currentSession()
      await store.setPollState(first.id, { pollId: 'quiz', state: 'closed', openedAt: 7, revealed: true })
      await store.hideWord(first.id, 'words', 'rude')
      await store.addReactions(first.id, [{ pollId: 'vibe', emoji: '👏', count: 2 }])
      await store.addReactions(first.id, [{ pollId: 'vibe', emoji: '👏', count: 3 }])
      await store.setFlag(first.id, 'followSlides', true)
      await store.setFlag(first.id, 'approveQuestions', true)
      await store.saveCards(first.id, [card('q1xxxx', 'a')])
      const second = await store.startSession('Next group')
      expect(await store.loadSession(second.id)).toEqual({
        polls: [],
        votes: [],
        hiddenWords: [],
        reactions: [],
        cards: [],
        upvotes: [],
        followSlides: false,
        approveQuestions: false,
      })
      expect(await store.loadSession(first.id)).toEqual({
        polls: [{ pollId: 'quiz', state: 'closed', openedAt: 7, revealed: true }],
        votes: [],
        hiddenWords: [{ pollId: 'words', word: 'rude' }],
        reactions: [{ pollId: 'vibe', emoji: '👏', count: 5 }],
        cards: [card('q1xxxx', 'a')],
        upvotes: [],
        followSlides: true,
        approveQuestions: true,
      })
    })

    it("keeps a timed poll's countdown: running, then paused", async () => {
      const { id } = await store.currentSession()
      const running = { pollId: 'timed', state: 'open' as const, openedAt: 5, revealed: false, closesAt: 65 }
      await store.setPollState(id, running)
      expect((await store.loadSession(id)).polls).toEqual([running])
      const paused = { pollId: 'timed', state: 'open' as const, openedAt: 5, revealed: false, leftMs: 30_000 }
      await store.setPollState(id, paused)
      expect((await reopen().then((again) => again.loadSession(id))).polls).toEqual([paused])
    })

    it('stores a card once, keeps moderation, counts one upvote per participant and takes it back', async () => {
      const { id } = await store.currentSession()
      await store.saveCards(id, [card('q1xxxx', 'a'), card('t1xxxx', 'b', 'wall')])
      // A retried post carries the same id: the stored card stays as it is.
      await store.saveCards(id, [{ ...card('q1xxxx', 'a'), text: 'changed' }])
      await store.moderateCard(id, 'q1xxxx', { pinned: true })
      await store.moderateCard(id, 'q1xxxx', { answered: true })
      // A card that is not stored stays absent.
      await store.moderateCard(id, 'no-such-card', { status: 'hidden' })
      expect(
        await store.saveUpvotes(id, [
          { cardId: 'q1xxxx', participantId: 'b', on: true },
          { cardId: 'q1xxxx', participantId: 'b', on: true },
          { cardId: 'q1xxxx', participantId: 'c', on: true },
        ]),
      ).toEqual([
        { cardId: 'q1xxxx', participantId: 'b', on: true, upvotes: 1 },
        { cardId: 'q1xxxx', participantId: 'b', on: true, upvotes: 1 },
        { cardId: 'q1xxxx', participantId: 'c', on: true, upvotes: 2 },
      ])
      expect(await store.saveUpvotes(id, [{ cardId: 'q1xxxx', participantId: 'c', on: false }])).toEqual([
        { cardId: 'q1xxxx', participantId: 'c', on: false, upvotes: 1 },
      ])
      await store.saveUpvotes(id, [{ cardId: 't1xxxx', participantId: 'a', on: true }])
      const snapshot = await (await reopen()).loadSession(id)
      expect(snapshot.cards).toEqual([
        { ...card('q1xxxx', 'a'), pinned: true, answered: true },
        card('t1xxxx', 'b', 'wall'),
      ])
      expect(snapshot.upvotes.sort((x, y) => x.cardId.localeCompare(y.cardId))).toEqual([
        { cardId: 'q1xxxx', participantId: 'b' },
        { cardId: 't1xxxx', participantId: 'a' },
      ])
      // Resetting the open-answer poll removes its cards and their upvotes, not the questions.
      await store.resetPoll(id, { pollId: 'wall', state: 'closed', openedAt: null, revealed: false })
      const after = await store.loadSession(id)
      expect(after.cards.map((each) => each.id)).toEqual(['q1xxxx'])
      expect(after.upvotes).toEqual([{ cardId: 'q1xxxx', participantId: 'b' }])
    })

    it('is durable: after a restart everything written is there, earlier sessions too', async () => {
      const first = await store.currentSession()
      await store.saveVotes([vote(first.id, 'a', 'leading')])
      const second = await store.startSession('Afternoon')
      await store.saveVotes([vote(second.id, 'b', 'managing')])
      await store.setPollState(second.id, { pollId: 'hat', state: 'open', openedAt: 9, revealed: false })
      const before = [await store.loadSession(first.id), await store.loadSession(second.id)]
      await store.close()
      opened.splice(opened.indexOf(store), 1)
      const again = await reopen()
      expect((await again.currentSession()).id).toBe(second.id)
      expect([await again.loadSession(first.id), await again.loadSession(second.id)]).toEqual(before)
    })

    it('keeps questionnaire windows for every session, and logs each change', async () => {
      const first = await store.currentSession()
      const second = await store.startSession('Next group')
      const log = record(store)
      await store.position()
      const prework = { sessionId: second.id, questionnaireId: 'pre-work', opensAt: 10, closesAt: null }
      const pulse = { sessionId: first.id, questionnaireId: 'pulse-1w', opensAt: 20, closesAt: 90 }
      await store.setWindow(prework)
      await store.setWindow(pulse)
      await store.setWindow({ ...prework, closesAt: 50 })
      await logged(log, 3)
      expect(log.changes.at(-1)).toEqual({ type: 'window', window: { ...prework, closesAt: 50 } })
      const windows = await (await reopen()).loadWindows()
      expect(windows.sort((a, b) => a.sessionId - b.sessionId)).toEqual([pulse, { ...prework, closesAt: 50 }])
    })

    it("forgets a participant everywhere: answers, questions and their upvotes, upvotes given; nobody else's", async () => {
      const first = await store.currentSession()
      await store.saveVotes([vote(first.id, 'gone', 'leading'), vote(first.id, 'stays', 'managing')])
      await store.saveVotes([vote(first.id, 'gone', '7', 2, 'pulse-1w/confidence')])
      await store.saveCards(first.id, [card('mine01', 'gone'), card('theirs', 'stays')])
      await store.saveUpvotes(first.id, [
        { cardId: 'theirs', participantId: 'gone', on: true },
        { cardId: 'mine01', participantId: 'stays', on: true },
        { cardId: 'theirs', participantId: 'other', on: true },
      ])
      const second = await store.startSession('Next group')
      await store.saveVotes([vote(second.id, 'gone', 'leading')])
      expect(await store.hasParticipant('gone')).toBe(true)
      const log = record(store)
      await store.position()
      await store.forgetParticipant('gone')
      await logged(log, 1)
      expect(log.changes).toEqual([{ type: 'forget', participantId: 'gone' }])
      const again = await reopen()
      expect(await again.hasParticipant('gone')).toBe(false)
      expect(await again.hasParticipant('stays')).toBe(true)
      expect(await again.hasParticipant('other')).toBe(true)
      const snapshot = await again.loadSession(first.id)
      expect(snapshot.votes.map((v) => v.participantId)).toEqual(['stays'])
      expect(snapshot.cards.map((c) => c.id)).toEqual(['theirs'])
      expect(snapshot.upvotes).toEqual([{ cardId: 'theirs', participantId: 'other' }])
      expect((await again.loadSession(second.id)).votes).toEqual([])
    })

    it('purges sessions started before a moment, with everything in them, and logs it', async () => {
      const old = await store.currentSession()
      await store.saveVotes([vote(old.id, 'a', 'leading')])
      await store.saveCards(old.id, [card('q1xxxx', 'a')])
      await store.saveUpvotes(old.id, [{ cardId: 'q1xxxx', participantId: 'b', on: true }])
      await store.addReactions(old.id, [{ pollId: 'vibe', emoji: '👍', count: 2 }])
      await store.setWindow({ sessionId: old.id, questionnaireId: 'pre-work', opensAt: 1, closesAt: null })
      await new Promise((resolve) => setTimeout(resolve, 5))
      const cutoff = Date.now()
      await new Promise((resolve) => setTimeout(resolve, 5))
      const recent = await store.startSession('Recent')
      await store.saveVotes([vote(recent.id, 'a', 'managing')])
      await store.setWindow({ sessionId: recent.id, questionnaireId: 'pre-work', opensAt: 2, closesAt: null })
      const log = record(store)
      await store.position()
      expect(await store.purgeSessions(cutoff)).toEqual([old.id])
      expect(await store.purgeSessions(cutoff)).toEqual([])
      await logged(log, 1)
      expect(log.changes).toEqual([{ type: 'purge', sessionIds: [old.id] }])
      const again = await reopen()
      expect((await again.listSessions()).map((session) => session.name)).toEqual(['Recent'])
      expect((await again.currentSession()).id).toBe(recent.id)
      expect(await again.loadWindows()).toEqual([
        { sessionId: recent.id, questionnaireId: 'pre-work', opensAt: 2, closesAt: null },
      ])
      expect(await again.hasParticipant('b')).toBe(false)
      expect((await again.loadSession(old.id)).votes).toEqual([])
      // Purging the session being run leaves an empty store; the next one starts afresh.
      expect(await again.purgeSessions(Date.now() + 1)).toEqual([recent.id])
      expect((await again.currentSession()).id).toBeGreaterThan(recent.id)
    })

    it('keeps presenter sessions and one-time codes; every store on the storage hears of a sign-out', async () => {
      const mine = record(store)
      await store.position()
      // Another process, or the presenter command run beside the server on the same data folder.
      const other = await reopen()
      await other.position()
      await store.savePresenterSession(presenter('s1'))
      await store.savePresenterSession({ ...presenter('s2'), kind: 'paired', createdBy: 's1' })
      expect((await other.listPresenterSessions()).sort((a, b) => a.id.localeCompare(b.id))).toEqual([
        presenter('s1'),
        { ...presenter('s2'), kind: 'paired', createdBy: 's1' },
      ])
      const soon = Date.now() + 60_000
      await store.savePresenterCode({ codeHash: 'code-1', kind: 'link', createdBy: null, expiresAt: soon })
      await store.savePresenterCode({ codeHash: 'code-old', kind: 'link', createdBy: null, expiresAt: Date.now() - 1 })
      // A code works once, from any process, and never once it has expired.
      expect(await other.takePresenterCode('code-1')).toEqual({
        codeHash: 'code-1',
        kind: 'link',
        createdBy: null,
        expiresAt: soon,
      })
      expect(await store.takePresenterCode('code-1')).toBeNull()
      expect(await store.takePresenterCode('code-old')).toBeNull()
      expect(await store.takePresenterCode('never-made')).toBeNull()
      expect(await other.revokePresenterSessions(['s1', 'no-such-session'])).toEqual(['s1'])
      expect(await other.revokePresenterSessions('all')).toEqual(['s2'])
      expect(await other.revokePresenterSessions('all')).toEqual([])
      expect(await (await reopen()).listPresenterSessions()).toEqual([])
      await expect
        .poll(() => mine.changes.filter((change) => change.type === 'presenters-revoked' && change.ids.length))
        .toEqual([
          { type: 'presenters-revoked', ids: ['s1'] },
          { type: 'presenters-revoked', ids: ['s2'] },
        ])
    })

    it('logs every change in order, with the new state it made, to every store on the same storage', async () => {
      const { id } = await store.currentSession()
      const mine = record(store)
      const other = await reopen()
      const theirs = record(other)
      // Reading the position starts the log for this store (Redis reads it from there on).
      const start = await store.position()
      await other.position()
      await store.saveVotes([vote(id, 'a', 'leading')])
      await store.addReactions(id, [{ pollId: 'vibe', emoji: '👍', count: 2 }])
      await store.addReactions(id, [{ pollId: 'vibe', emoji: '👍', count: 1 }])
      const reset = await store.resetPoll(id, { pollId: 'hat', state: 'closed', openedAt: null, revealed: false })
      await store.hideWord(id, 'words', 'rude')
      await store.setFlag(id, 'followSlides', true)
      await store.saveCards(id, [card('q1xxxx', 'a')])
      await store.moderateCard(id, 'q1xxxx', { status: 'hidden' })
      await store.saveUpvotes(id, [{ cardId: 'q1xxxx', participantId: 'b', on: true }])
      const renamed = await store.renameSession(id, 'Renamed')
      await logged(mine, 10)
      expect(mine.changes).toEqual([
        { type: 'votes', sessionId: id, votes: [vote(id, 'a', 'leading')] },
        { type: 'reactions', sessionId: id, reactions: [{ pollId: 'vibe', emoji: '👍', count: 2, added: 2 }] },
        { type: 'reactions', sessionId: id, reactions: [{ pollId: 'vibe', emoji: '👍', count: 3, added: 1 }] },
        {
          type: 'poll',
          sessionId: id,
          record: { pollId: 'hat', state: 'closed', openedAt: null, revealed: false },
          cleared: true,
        },
        { type: 'hide', sessionId: id, pollId: 'words', word: 'rude' },
        { type: 'flag', sessionId: id, flag: 'followSlides', on: true },
        { type: 'cards', sessionId: id, cards: [card('q1xxxx', 'a')] },
        { type: 'card', sessionId: id, card: { ...card('q1xxxx', 'a'), status: 'hidden' } },
        { type: 'upvotes', sessionId: id, upvotes: [{ cardId: 'q1xxxx', participantId: 'b', on: true, upvotes: 1 }] },
        { type: 'session', session: renamed },
      ])
      for (const [i, position] of mine.positions.entries()) {
        expect(isAfter(position, i === 0 ? start : (mine.positions[i - 1] as Position))).toBe(true)
      }
      expect(mine.positions).toContain(reset)
      expect(isAfter(await store.position(), reset)).toBe(true)
      // With Redis a second process reads the same log; an SQLite file has one process (its log
      // lives in that process), so there the other store hears nothing of this one's writes.
      if (subject.shared) await logged(theirs, 10)
      expect(theirs.changes).toEqual(subject.shared ? mine.changes : [])
    })
  })
}
