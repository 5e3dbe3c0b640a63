// In-memory answers and counts for one poll in one session. Rebuilt from the store on start,
// then kept up to date as durable votes are applied, so reading a tally never touches disk.
import { LIMITS } from './limits.ts'
import type { PollDefinition } from './poll-definition.ts'
import type { Tally } from './protocol.ts'
import type { SessionSnapshot, Vote } from './store.ts'
import { rankWords } from './words.ts'

/** Kinds whose counted keys are open-ended: words, a ranking's places, a 2×2's points. */
const OPEN_KEYS = new Set(['words', 'ranking', 'matrix'])

export class PollTally {
  private readonly answers = new Map<string, { answer: string[]; voteId: string; at: number }>()
  private readonly counts = new Map<string, number>()
  private readonly hiddenWords = new Set<string>()

  constructor(readonly poll: PollDefinition) {
    this.zero()
  }

  /**
   * Applies a participant's (new) answer; a changed vote moves from one option to another. An
   * answer older than the one held is ignored (last writer wins, as in the store).
   */
  apply(vote: Pick<Vote, 'participantId' | 'answer' | 'voteId' | 'at'>): boolean {
    const previous = this.answers.get(vote.participantId)
    if (previous && previous.at > vote.at) return false
    if (previous) this.bump(previous.answer, -1)
    this.answers.set(vote.participantId, { answer: vote.answer, voteId: vote.voteId, at: vote.at })
    this.bump(vote.answer, 1)
    return true
  }

  /** Sets a reaction's count (taps belong to no one in particular; the store keeps the sum). */
  setTaps(emoji: string, count: number): void {
    if (this.counts.has(emoji)) this.counts.set(emoji, count)
  }

  /** True when this exact tap (same participant, same vote id) was already applied. */
  isDuplicate(participantId: string, voteId: string): boolean {
    return this.answers.get(participantId)?.voteId === voteId
  }

  /** Who answered, by participant id. */
  respondents(): Iterable<string> {
    return this.answers.keys()
  }

  answerOf(participantId: string): string[] | undefined {
    return this.answers.get(participantId)?.answer
  }

  hide(word: string): void {
    this.hiddenWords.add(word)
  }

  clear(): void {
    this.answers.clear()
    this.zero()
  }

  /** Every count (words beyond the cloud too), without hidden words: for exports. */
  allCounts(): Record<string, number> {
    // Keys are attendee words: no prototype, so "__proto__" or "constructor" is a word like any other.
    const counts: Record<string, number> = Object.create(null)
    for (const [key, count] of this.counts) {
      if (!this.hiddenWords.has(key) && (count > 0 || !OPEN_KEYS.has(this.poll.kind))) counts[key] = count
    }
    return counts
  }

  /** What the room may see: while results are hidden, only how many answered. */
  toTally(revealed: boolean): Tally {
    const { id: pollId, kind } = this.poll
    const total = kind === 'reactions' ? this.sum() : this.answers.size
    if (this.poll.results === 'hidden' && !revealed) return { pollId, counts: {}, total, hidden: true }
    let counts = this.allCounts()
    if (kind === 'words') {
      counts = Object.fromEntries(rankWords(counts, LIMITS.cloudWords))
    }
    const tally: Tally = { pollId, counts, total }
    if (kind === 'scale') tally.mean = this.mean()
    return tally
  }

  private mean(): number {
    let sum = 0
    let n = 0
    for (const [point, count] of this.counts) {
      sum += Number(point) * count
      n += count
    }
    return n ? Math.round((sum / n) * 100) / 100 : 0
  }

  private sum(): number {
    let n = 0
    for (const count of this.counts.values()) n += count
    return n
  }

  private zero(): void {
    this.counts.clear()
    if (OPEN_KEYS.has(this.poll.kind)) return
    for (const option of this.poll.options) this.counts.set(option.id, 0)
  }

  private bump(keys: string[], by: number): void {
    for (const key of keys) {
      const count = this.counts.get(key)
      if (count !== undefined) this.counts.set(key, count + by)
      // Words, places and points are open-ended; options are fixed, so an answer whose option
      // was since removed from the slide still counts toward the total but gets no bar.
      else if (OPEN_KEYS.has(this.poll.kind) && by > 0) this.counts.set(key, by)
    }
    if (OPEN_KEYS.has(this.poll.kind) && by < 0) {
      for (const key of keys) if (this.counts.get(key) === 0) this.counts.delete(key)
    }
  }
}

/** Every poll's tally for a session, rebuilt from what the store holds. */
export function talliesFromSnapshot(
  polls: Iterable<PollDefinition>,
  snapshot: SessionSnapshot,
): Map<string, PollTally> {
  const tallies = new Map<string, PollTally>()
  for (const poll of polls) tallies.set(poll.id, new PollTally(poll))
  for (const { pollId, word } of snapshot.hiddenWords) tallies.get(pollId)?.hide(word)
  for (const vote of snapshot.votes) tallies.get(vote.pollId)?.apply(vote)
  for (const { pollId, emoji, count } of snapshot.reactions) tallies.get(pollId)?.setTaps(emoji, count)
  return tallies
}
