import { describe, expect, it } from 'vitest'
import { PollTally } from '../server/tally.ts'
import { HAT_POLL } from './harness/kit.ts'

describe('PollTally', () => {
  it('counts one answer per participant and moves changed answers', () => {
    const tally = new PollTally(HAT_POLL)
    tally.apply({ participantId: 'a', answer: ['leading'], voteId: '1', at: 1 })
    tally.apply({ participantId: 'b', answer: ['leading'], voteId: '2', at: 1 })
    tally.apply({ participantId: 'a', answer: ['managing'], voteId: '3', at: 1 })
    expect(tally.toTally(true)).toEqual({
      pollId: 'hat',
      counts: { leading: 1, managing: 1, 'not-sure': 0 },
      total: 2,
    })
    expect(tally.answerOf('a')).toEqual(['managing'])
  })

  it('recognises a repeated tap by its vote id', () => {
    const tally = new PollTally(HAT_POLL)
    tally.apply({ participantId: 'a', answer: ['leading'], voteId: 'tap-1', at: 1 })
    expect(tally.isDuplicate('a', 'tap-1')).toBe(true)
    expect(tally.isDuplicate('a', 'tap-2')).toBe(false)
    expect(tally.isDuplicate('b', 'tap-1')).toBe(false)
  })

  it('keeps answers to a removed option in the total but not in the bars', () => {
    const tally = new PollTally(HAT_POLL)
    tally.apply({ participantId: 'a', answer: ['retired-option'], voteId: '1', at: 1 })
    expect(tally.toTally(true)).toEqual({
      pollId: 'hat',
      counts: { leading: 0, managing: 0, 'not-sure': 0 },
      total: 1,
    })
  })

  it('keeps the later answer when an earlier one arrives late (another process)', () => {
    const tally = new PollTally(HAT_POLL)
    tally.apply({ participantId: 'a', answer: ['managing'], voteId: 'late', at: 20 })
    tally.apply({ participantId: 'a', answer: ['leading'], voteId: 'early', at: 10 })
    expect(tally.answerOf('a')).toEqual(['managing'])
    expect(tally.toTally(true).counts).toEqual({ leading: 0, managing: 1, 'not-sure': 0 })
  })

  it('clears to zero', () => {
    const tally = new PollTally(HAT_POLL)
    tally.apply({ participantId: 'a', answer: ['leading'], voteId: '1', at: 1 })
    tally.clear()
    expect(tally.toTally(true).total).toBe(0)
    expect(tally.answerOf('a')).toBeUndefined()
  })
})
