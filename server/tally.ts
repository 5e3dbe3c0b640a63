// In-memory answers and counts for one poll in one session. Rebuilt from the store on start,
// then kept up to date as durable votes are applied, so reading a tally never touches disk.
import type { PollDefinition, Tally } from './protocol.ts'
import type { Vote } from './store.ts'

export class PollTally {
  private readonly answers = new Map<string, { answer: string; voteId: string }>()
  private readonly counts = new Map<string, number>()

  constructor(readonly poll: PollDefinition) {
    for (const option of poll.options) this.counts.set(option.id, 0)
  }

  /** Applies a participant's (new) answer; a changed vote moves from one option to another. */
  apply(vote: Pick<Vote, 'participantId' | 'answer' | 'voteId'>): void {
    const previous = this.answers.get(vote.participantId)
    if (previous) this.bump(previous.answer, -1)
    this.answers.set(vote.participantId, { answer: vote.answer, voteId: vote.voteId })
    this.bump(vote.answer, 1)
  }

  /** True when this exact tap (same participant, same vote id) was already applied. */
  isDuplicate(participantId: string, voteId: string): boolean {
    return this.answers.get(participantId)?.voteId === voteId
  }

  answerOf(participantId: string): string | undefined {
    return this.answers.get(participantId)?.answer
  }

  clear(): void {
    this.answers.clear()
    for (const key of this.counts.keys()) this.counts.set(key, 0)
  }

  toTally(): Tally {
    return { pollId: this.poll.id, counts: Object.fromEntries(this.counts), total: this.answers.size }
  }

  private bump(answer: string, by: number): void {
    // An answer whose option was since removed from the slide still counts toward the total
    // but has no bar; keep it out of the counts so the bars match the options shown.
    const count = this.counts.get(answer)
    if (count !== undefined) this.counts.set(answer, count + by)
  }
}
