// The poll engine: poll states, votes and tallies for the current session, independent of any
// transport. All changes run one after another on a single queue, so a vote and a presenter
// action never interleave; votes that arrive together are written in one durable batch and
// only then applied and acknowledged.
import { EventEmitter } from 'node:events'
import { LIMITS } from './limits.ts'
import { type PollDefinition, parseAnswer } from './poll-definition.ts'
import type {
  Ack,
  ControlPayload,
  PollView,
  ReactPayload,
  SessionPayload,
  Takeaway,
  Tally,
  VotePayload,
} from './protocol.ts'
import type { PollRecord, Session, Store, Vote } from './store.ts'
import { type PollTally, talliesFromSnapshot } from './tally.ts'
import { normaliseWord } from './words.ts'

type Pending =
  | { type: 'vote'; vote: Vote; resolve: (result: Ack<{ answer: string[] }>) => void }
  | { type: 'tap'; pollId: string; emoji: string; resolve: (result: Ack) => void }

/**
 * A change another server process made durable and this one must mirror in memory, when
 * several processes share one Redis (the store already holds it; nothing is written again).
 */
export type EngineChange =
  | { type: 'votes'; votes: Vote[] }
  | { type: 'taps'; sessionId: number; taps: { pollId: string; emoji: string; count: number }[] }
  | { type: 'state'; sessionId: number; record: PollRecord }
  | { type: 'reset'; sessionId: number; pollId: string }
  | { type: 'hide'; sessionId: number; pollId: string; word: string }
  | { type: 'session' }
  | { type: 'follow'; on: boolean }

interface EngineEvents {
  /** A poll opened, closed or was revealed. */
  state: [PollView]
  /** Counts changed for these polls. */
  tally: [string[]]
  /** Reaction taps that were just saved, to float up on the slides. */
  taps: [{ pollId: string; emoji: string }[]]
  /** Something large changed (a reset, a new session): clients should resynchronise. */
  resync: []
}

/** Votes written in one durable step at most; more in one turn start the next batch. */
const MAX_BATCH = 500

const SAVE_FAILED = 'The change could not be saved; please try again.'

export class PollEngine extends EventEmitter<EngineEvents> {
  private readonly definitions: Map<string, PollDefinition>
  private readonly records = new Map<string, PollRecord>()
  private tallies = new Map<string, PollTally>()
  private readonly reactionWindows = new Map<string, { start: number; count: number }>()
  private sessionValue: Session | null = null
  private queue: Promise<unknown> = Promise.resolve()
  private batch: Pending[] | null = null
  /** Polls open when their slide is shown and close when the presenter moves on. */
  followSlides = false
  /** Last vote time handed out: votes are ordered by it, so it never goes back (clock steps). */
  private lastAt = 0
  /** Set when other processes share the store: each durable change is told to them. */
  private share: (change: EngineChange) => void = () => undefined

  constructor(
    private readonly store: Store,
    definitions: readonly PollDefinition[],
  ) {
    super()
    this.definitions = new Map(definitions.map((poll) => [poll.id, poll]))
  }

  /**
   * Loads the current session from the store and rebuilds every tally. It runs on the change
   * queue, so changes from other processes that arrive meanwhile are applied after it.
   */
  async start(): Promise<this> {
    await this.enqueue(async () => this.load(await this.store.currentSession()))
    return this
  }

  /** Rebuilds from the store (after the link to other processes was down) and resyncs clients. */
  reload(): Promise<unknown> {
    return this.serially(async () => {
      await this.load(await this.store.currentSession())
      this.emit('resync')
      return { ok: true as const }
    })
  }

  private async load(session: Session): Promise<void> {
    const snapshot = await this.store.loadSession(session.id)
    this.sessionValue = session
    this.records.clear()
    this.reactionWindows.clear()
    for (const poll of this.definitions.values()) {
      this.records.set(poll.id, { pollId: poll.id, state: 'closed', openedAt: null, revealed: false })
    }
    for (const record of snapshot.polls) {
      if (this.records.has(record.pollId)) this.records.set(record.pollId, record)
    }
    this.tallies = talliesFromSnapshot(this.definitions.values(), snapshot)
  }

  get session(): Session {
    if (!this.sessionValue) throw new Error('PollEngine.start() has not been awaited')
    return this.sessionValue
  }

  get polls(): PollDefinition[] {
    return [...this.definitions.values()]
  }

  view(pollId: string): PollView | undefined {
    const poll = this.definitions.get(pollId)
    const record = this.records.get(pollId)
    if (!poll || !record) return undefined
    const { correct, explain, ...rest } = poll
    return {
      ...rest,
      state: record.state,
      openedAt: record.openedAt,
      revealed: record.revealed,
      ...(record.revealed ? { correct, explain } : {}),
    }
  }

  views(): PollView[] {
    return [...this.definitions.keys()].map((id) => this.view(id) as PollView)
  }

  tally(pollId: string): Tally | undefined {
    return this.tallies.get(pollId)?.toTally(this.records.get(pollId)?.revealed ?? false)
  }

  allTallies(): Tally[] {
    return [...this.definitions.keys()].map((id) => this.tally(id) as Tally)
  }

  /** This participant's answers, by poll id (for a phone that reconnects). */
  answersOf(participantId: string): Record<string, string[]> {
    const mine: Record<string, string[]> = {}
    for (const [pollId, tally] of this.tallies) {
      const answer = tally.answerOf(participantId)
      if (answer !== undefined) mine[pollId] = answer
    }
    return mine
  }

  takeaway(participantId: string): Takeaway {
    const polls = this.views()
      .filter((poll) => poll.kind !== 'steps')
      .map((poll) => ({ ...poll, tally: this.tally(poll.id) as Tally }))
    return { session: this.session, polls, mine: this.answersOf(participantId) }
  }

  /** Resolves once the vote is on disk (ok) or refused (with the reason). */
  vote(participantId: string, payload: VotePayload): Promise<Ack<{ answer: string[] }>> {
    const poll = this.definitions.get(payload.pollId)
    if (!poll) return Promise.resolve({ ok: false, error: `There is no poll "${payload.pollId}".` })
    const answer = parseAnswer(poll, payload.answer)
    if (!answer.ok) return Promise.resolve(answer)
    return new Promise((resolve) => {
      const vote: Vote = {
        sessionId: this.session.id,
        pollId: poll.id,
        participantId,
        answer: answer.value,
        voteId: payload.voteId,
        at: this.tick(),
      }
      this.pending().push({ type: 'vote', vote, resolve })
    })
  }

  /** A reaction tap, limited per participant so one phone cannot flood the slide. */
  react(participantId: string, { pollId, emoji }: ReactPayload): Promise<Ack> {
    const poll = this.definitions.get(pollId)
    if (!poll) return Promise.resolve({ ok: false, error: `There is no poll "${pollId}".` })
    if (poll.kind !== 'reactions')
      return Promise.resolve({ ok: false, error: 'This poll takes answers, not reactions.' })
    if (!poll.options.some((option) => option.id === emoji)) {
      return Promise.resolve({ ok: false, error: 'That reaction is not offered here.' })
    }
    const now = Date.now()
    const window = this.reactionWindows.get(participantId)
    if (!window || now - window.start > LIMITS.reactionWindowMs) {
      this.reactionWindows.set(participantId, { start: now, count: 1 })
    } else if (++window.count > LIMITS.reactionsPerWindow) {
      return Promise.resolve({ ok: false, error: 'Easy there: a few reactions at a time.' })
    }
    return new Promise((resolve) => this.pending().push({ type: 'tap', pollId, emoji, resolve }))
  }

  control(payload: ControlPayload): Promise<Ack> {
    return this.serially(() => this.applyControl(payload))
  }

  changeSession(payload: SessionPayload): Promise<Ack<{ session: Session }>> {
    return this.serially(async () => {
      const session =
        payload.action === 'start'
          ? await this.store.startSession(payload.name)
          : await this.store.renameSession(this.session.id, payload.name)
      await this.load(session)
      this.emit('resync')
      this.share({ type: 'session' })
      return { ok: true as const, session }
    })
  }

  setFollowSlides(on: boolean): Ack {
    this.followSlides = on
    this.emit('resync')
    this.share({ type: 'follow', on })
    return { ok: true }
  }

  /** Several processes, one store: tell the others about every change made here. */
  shareWith(share: (change: EngineChange) => void): void {
    this.share = share
  }

  /** Mirrors a change made durable by another process. */
  applyRemote(change: EngineChange): Promise<unknown> {
    // Votes that arrive after this change must be judged after it, as with a local change.
    this.batch = null
    return this.enqueue(async () => {
      if (!this.sessionValue) return // not started: the coming load reads it from the store
      if (change.type === 'session') {
        await this.load(await this.store.currentSession())
        this.emit('resync')
        return
      }
      if (change.type === 'follow') {
        this.followSlides = change.on
        this.emit('resync')
        return
      }
      // A change for another session than ours arrived around a session switch: the
      // 'session' message that follows reloads everything from the store.
      if (change.type === 'votes') {
        const ours = change.votes.filter((vote) => vote.sessionId === this.session.id)
        for (const vote of ours) this.tallies.get(vote.pollId)?.apply(vote)
        if (ours.length) this.emit('tally', [...new Set(ours.map((vote) => vote.pollId))])
        return
      }
      if (change.sessionId !== this.session.id) return
      switch (change.type) {
        case 'taps':
          for (const { pollId, emoji, count } of change.taps) this.tallies.get(pollId)?.addTaps(emoji, count)
          this.emit('tally', [...new Set(change.taps.map((tap) => tap.pollId))])
          this.emit(
            'taps',
            change.taps.flatMap(({ pollId, emoji, count }) => Array.from({ length: count }, () => ({ pollId, emoji }))),
          )
          return
        case 'state':
          // A process with other slides (a rolling update) may know polls this one does not.
          if (!this.definitions.has(change.record.pollId)) return
          this.records.set(change.record.pollId, change.record)
          this.emit('state', this.view(change.record.pollId) as PollView)
          this.emit('tally', [change.record.pollId])
          return
        case 'reset':
          this.tallies.get(change.pollId)?.clear()
          this.emit('tally', [change.pollId])
          this.emit('resync')
          return
        case 'hide':
          this.tallies.get(change.pollId)?.hide(change.word)
          this.emit('tally', [change.pollId])
          return
      }
    })
  }

  /** In follow mode, the poll on screen is the one open poll. */
  slideShown(pollId: string | null): Promise<Ack> {
    if (!this.followSlides) return Promise.resolve({ ok: true })
    return this.serially(async () => {
      for (const record of this.records.values()) {
        if (record.state === 'open' && record.pollId !== pollId) await this.setState(record.pollId, 'close')
      }
      if (pollId && this.definitions.has(pollId)) await this.setState(pollId, 'open')
      return { ok: true }
    })
  }

  private tick(): number {
    this.lastAt = Math.max(this.lastAt + 1, Date.now())
    return this.lastAt
  }

  /** Waits for every queued change to be written (before closing the store). */
  async drain(): Promise<void> {
    this.batch = null
    await this.queue
  }

  /**
   * The batch that new votes and taps join; it is written as one durable step on the queue.
   * Votes from other phones arrive in other I/O callbacks of the same event-loop turn, so the
   * batch stays open until that turn ends (setImmediate): a burst costs one write per turn, not
   * one per vote. A full batch closes early, so a long burst is acknowledged in steps.
   */
  private pending(): Pending[] {
    if (this.batch && this.batch.length >= MAX_BATCH) this.batch = null
    if (!this.batch) {
      const batch: Pending[] = []
      this.batch = batch
      this.enqueue(async () => {
        await new Promise((resolve) => setImmediate(resolve))
        if (this.batch === batch) this.batch = null
        await this.flush(batch)
      })
    }
    return this.batch
  }

  /** Runs after everything queued so far; votes that arrive later are judged after it. */
  private serially<T>(work: () => Promise<T>): Promise<T | { ok: false; error: string }> {
    this.batch = null
    return this.enqueue(work).catch((error: unknown) => {
      console.error('A poll change failed:', error)
      return { ok: false as const, error: SAVE_FAILED }
    })
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work)
    // A failed step must not stop the queue; its caller sees the failure through `next`.
    this.queue = next.catch(() => undefined)
    return next
  }

  private isOpen(pollId: string): boolean {
    return this.records.get(pollId)?.state === 'open'
  }

  private async flush(batch: Pending[]): Promise<void> {
    const votes: Extract<Pending, { type: 'vote' }>[] = []
    const taps: Extract<Pending, { type: 'tap' }>[] = []
    for (const item of batch) {
      const pollId = item.type === 'vote' ? item.vote.pollId : item.pollId
      if (item.type === 'vote' && item.vote.sessionId !== this.session.id) {
        item.resolve({ ok: false, error: 'A new session has started: please answer again.' })
      } else if (!this.isOpen(pollId)) item.resolve({ ok: false, error: 'This poll is closed.' })
      else if (item.type === 'tap') taps.push(item)
      else if (this.tallies.get(pollId)?.isDuplicate(item.vote.participantId, item.vote.voteId)) {
        item.resolve({ ok: true, answer: item.vote.answer })
      } else votes.push(item)
    }
    if (votes.length === 0 && taps.length === 0) return
    const tapCounts = new Map<string, { pollId: string; emoji: string; count: number }>()
    for (const { pollId, emoji } of taps) {
      const key = `${pollId}\u0000${emoji}`
      const entry = tapCounts.get(key) ?? { pollId, emoji, count: 0 }
      entry.count++
      tapCounts.set(key, entry)
    }
    // Votes and taps are saved separately: a failed write refuses only what it carried.
    const saved = async (
      work: () => Promise<void>,
      items: { resolve: (result: { ok: false; error: string }) => void }[],
    ) => {
      try {
        await work()
        return true
      } catch (error) {
        console.error('Saving failed:', error)
        for (const item of items) item.resolve({ ok: false, error: SAVE_FAILED })
        return false
      }
    }
    const votesSaved =
      votes.length > 0 && (await saved(() => this.store.saveVotes(votes.map((item) => item.vote)), votes))
    const tapsSaved =
      tapCounts.size > 0 && (await saved(() => this.store.addReactions(this.session.id, [...tapCounts.values()]), taps))
    const changed = new Set<string>()
    if (votesSaved) {
      for (const { vote, resolve } of votes) {
        this.tallies.get(vote.pollId)?.apply(vote)
        changed.add(vote.pollId)
        resolve({ ok: true, answer: vote.answer })
      }
      this.share({ type: 'votes', votes: votes.map((item) => item.vote) })
    }
    if (tapsSaved) {
      for (const { pollId, emoji, count } of tapCounts.values()) {
        this.tallies.get(pollId)?.addTaps(emoji, count)
        changed.add(pollId)
      }
      for (const tap of taps) tap.resolve({ ok: true })
      this.emit(
        'taps',
        taps.map(({ pollId, emoji }) => ({ pollId, emoji })),
      )
      this.share({ type: 'taps', sessionId: this.session.id, taps: [...tapCounts.values()] })
    }
    if (changed.size) this.emit('tally', [...changed])
  }

  private async setState(pollId: string, action: 'open' | 'close' | 'reveal'): Promise<void> {
    const record = this.records.get(pollId) as PollRecord
    const next: PollRecord =
      action === 'reveal'
        ? { ...record, revealed: true }
        : {
            ...record,
            state: action === 'open' ? 'open' : 'closed',
            openedAt: action === 'open' ? Date.now() : record.openedAt,
          }
    if (next.state === record.state && next.revealed === record.revealed) return
    await this.store.setPollState(this.session.id, next)
    this.records.set(pollId, next)
    this.emit('state', this.view(pollId) as PollView)
    if (action === 'reveal') this.emit('tally', [pollId])
    this.share({ type: 'state', sessionId: this.session.id, record: next })
  }

  private async applyControl(payload: ControlPayload): Promise<Ack> {
    const { pollId } = payload
    const poll = this.definitions.get(pollId)
    const tally = this.tallies.get(pollId)
    const record = this.records.get(pollId)
    if (!poll || !tally || !record) return { ok: false, error: `There is no poll "${pollId}".` }
    switch (payload.action) {
      case 'reset':
        await this.store.clearVotes(this.session.id, pollId)
        if (record.revealed) await this.store.setPollState(this.session.id, { ...record, revealed: false })
        this.records.set(pollId, { ...record, revealed: false })
        tally.clear()
        this.emit('tally', [pollId])
        this.emit('resync')
        this.share({ type: 'reset', sessionId: this.session.id, pollId })
        return { ok: true }
      case 'hide': {
        if (poll.kind !== 'words') return { ok: false, error: 'Only words can be hidden, in a word poll.' }
        const word = normaliseWord(payload.word)
        await this.store.hideWord(this.session.id, pollId, word)
        tally.hide(word)
        this.emit('tally', [pollId])
        this.share({ type: 'hide', sessionId: this.session.id, pollId, word })
        return { ok: true }
      }
      case 'reveal':
      case 'open':
      case 'close':
        await this.setState(pollId, payload.action)
        return { ok: true }
    }
  }
}
