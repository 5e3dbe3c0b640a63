// The poll engine: poll states, votes and tallies for the current session, independent of any
// transport. All changes run one after another on a single queue, so a vote and a presenter
// action never interleave; votes that arrive together are written in one durable batch and
// only then applied and acknowledged.
import { EventEmitter } from 'node:events'
import type {
  Ack,
  ControlPayload,
  PollDefinition,
  PollState,
  PollView,
  Tally,
  VotePayload,
} from './protocol.ts'
import type { PollRecord, Session, Store, Vote } from './store.ts'
import { PollTally } from './tally.ts'

interface PendingVote {
  vote: Vote
  resolve: (result: Ack<{ optionId: string }>) => void
}

interface EngineEvents {
  /** A poll opened or closed. */
  state: [PollRecord]
  /** Counts changed for these polls. */
  tally: [string[]]
  /** Something large changed (a reset): clients should resynchronise. */
  resync: []
}

export class PollEngine extends EventEmitter<EngineEvents> {
  private readonly definitions: Map<string, PollDefinition>
  private readonly records = new Map<string, PollRecord>()
  private readonly tallies = new Map<string, PollTally>()
  private sessionValue: Session | null = null
  private queue: Promise<unknown> = Promise.resolve()
  private batch: PendingVote[] | null = null

  constructor(
    private readonly store: Store,
    definitions: readonly PollDefinition[],
  ) {
    super()
    this.definitions = new Map(definitions.map((poll) => [poll.id, poll]))
  }

  /** Loads the current session from the store and rebuilds every tally. */
  async start(): Promise<this> {
    const session = await this.store.currentSession()
    const snapshot = await this.store.loadSession(session.id)
    this.sessionValue = session
    this.records.clear()
    for (const poll of this.definitions.values()) {
      this.records.set(poll.id, { pollId: poll.id, state: 'closed', openedAt: null })
      this.tallies.set(poll.id, new PollTally(poll))
    }
    for (const record of snapshot.polls) {
      if (this.records.has(record.pollId)) this.records.set(record.pollId, record)
    }
    for (const vote of snapshot.votes) this.tallies.get(vote.pollId)?.apply(vote)
    return this
  }

  get session(): Session {
    if (!this.sessionValue) throw new Error('PollEngine.start() has not been awaited')
    return this.sessionValue
  }

  hasPoll(pollId: string): boolean {
    return this.definitions.has(pollId)
  }

  view(pollId: string): PollView | undefined {
    const poll = this.definitions.get(pollId)
    const record = this.records.get(pollId)
    if (!poll || !record) return undefined
    return { ...poll, state: record.state, openedAt: record.openedAt }
  }

  views(): PollView[] {
    return [...this.definitions.keys()].map((id) => this.view(id) as PollView)
  }

  tally(pollId: string): Tally | undefined {
    return this.tallies.get(pollId)?.toTally()
  }

  allTallies(): Tally[] {
    return [...this.tallies.values()].map((tally) => tally.toTally())
  }

  /** This participant's answers, by poll id (for a phone that reconnects). */
  answersOf(participantId: string): Record<string, string> {
    const mine: Record<string, string> = {}
    for (const [pollId, tally] of this.tallies) {
      const answer = tally.answerOf(participantId)
      if (answer !== undefined) mine[pollId] = answer
    }
    return mine
  }

  /** Resolves once the vote is on disk (ok) or refused (with the reason). */
  vote(participantId: string, payload: VotePayload): Promise<Ack<{ optionId: string }>> {
    return new Promise((resolve) => {
      const vote: Vote = {
        sessionId: this.session.id,
        pollId: payload.pollId,
        participantId,
        answer: payload.optionId,
        voteId: payload.voteId,
        at: Date.now(),
      }
      if (!this.batch) {
        const batch: PendingVote[] = []
        this.batch = batch
        this.enqueue(async () => {
          if (this.batch === batch) this.batch = null
          await this.flush(batch)
        })
      }
      this.batch.push({ vote, resolve })
    })
  }

  control(payload: ControlPayload): Promise<Ack> {
    // Votes that arrive after this action must be judged after it, so close the open batch.
    this.batch = null
    return this.enqueue(() => this.applyControl(payload))
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work)
    // A failed step must not stop the queue; its caller sees the failure through `next`.
    this.queue = next.catch(() => undefined)
    return next
  }

  /** Refusals are decided here, against the state in force when the batch is written. */
  private refusal(vote: Vote): string | null {
    const poll = this.definitions.get(vote.pollId)
    if (!poll) return `There is no poll "${vote.pollId}".`
    if (this.records.get(vote.pollId)?.state !== 'open') return 'This poll is closed.'
    if (!poll.options.some((option) => option.id === vote.answer)) {
      return `"${vote.answer}" is not an option of this poll.`
    }
    return null
  }

  private async flush(batch: PendingVote[]): Promise<void> {
    const accepted: PendingVote[] = []
    for (const pending of batch) {
      const reason = this.refusal(pending.vote)
      const tally = this.tallies.get(pending.vote.pollId)
      if (reason) pending.resolve({ ok: false, error: reason })
      else if (tally?.isDuplicate(pending.vote.participantId, pending.vote.voteId)) {
        pending.resolve({ ok: true, optionId: pending.vote.answer })
      } else accepted.push(pending)
    }
    if (accepted.length === 0) return
    try {
      await this.store.saveVotes(accepted.map((pending) => pending.vote))
    } catch (error) {
      for (const pending of accepted) {
        pending.resolve({ ok: false, error: 'The vote could not be saved; please try again.' })
      }
      console.error('Saving votes failed:', error)
      return
    }
    const changed = new Set<string>()
    for (const { vote, resolve } of accepted) {
      this.tallies.get(vote.pollId)?.apply(vote)
      changed.add(vote.pollId)
      resolve({ ok: true, optionId: vote.answer })
    }
    this.emit('tally', [...changed])
  }

  private async applyControl({ pollId, action }: ControlPayload): Promise<Ack> {
    const record = this.records.get(pollId)
    const tally = this.tallies.get(pollId)
    if (!record || !tally) return { ok: false, error: `There is no poll "${pollId}".` }
    if (action === 'reset') {
      await this.store.clearVotes(this.session.id, pollId)
      tally.clear()
      this.emit('tally', [pollId])
      this.emit('resync')
      return { ok: true }
    }
    const state: PollState = action === 'open' ? 'open' : 'closed'
    if (record.state === state) return { ok: true }
    const next: PollRecord = { pollId, state, openedAt: state === 'open' ? Date.now() : record.openedAt }
    await this.store.setPollState(this.session.id, next)
    this.records.set(pollId, next)
    this.emit('state', next)
    return { ok: true }
  }
}
