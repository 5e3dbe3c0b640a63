// A timed poll's countdown, as state in the poll's record: when it ends while it runs, the time
// left while it is paused. Kept in the store, so it survives reconnects and restarts, and read
// the same way by every process.
import { LIMITS } from './limits.ts'
import type { PollRecord } from './store.ts'

export type TimerAction = 'pause' | 'resume' | 'extend' | 'timer-off'

/** True while an open poll's countdown runs (it may already have reached zero). */
export const isRunning = (record: PollRecord) => record.state === 'open' && record.closesAt != null

/** True once a running countdown has reached zero: the poll reads as closed everywhere. */
export const hasEnded = (record: PollRecord, now = Date.now()) => isRunning(record) && now >= (record.closesAt ?? 0)

/** What the room sees of the countdown of an open poll, or null when there is none. */
export function countdownOf(record: PollRecord, now = Date.now()): { leftMs: number; running: boolean } | null {
  if (record.closesAt != null) return { leftMs: Math.max(0, record.closesAt - now), running: true }
  if (record.leftMs != null) return { leftMs: record.leftMs, running: false }
  return null
}

/** The record after opening: a poll with a timer starts its countdown. */
export function opened(record: PollRecord, timerSeconds: number | undefined, now = Date.now()): PollRecord {
  return {
    ...record,
    state: 'open',
    openedAt: now,
    closesAt: timerSeconds ? now + timerSeconds * 1000 : null,
    leftMs: null,
  }
}

/** The record after closing (now, or once a countdown ended): no countdown is left. */
export const closed = (record: PollRecord): PollRecord => ({ ...record, state: 'closed', closesAt: null, leftMs: null })

/** The presenter's countdown controls on an open poll; a sentence when the action does not apply. */
export function timed(record: PollRecord, action: TimerAction, now = Date.now()): PollRecord | string {
  const { closesAt = null, leftMs = null } = record
  if (closesAt == null && leftMs == null) return 'This poll has no countdown running.'
  const extra = LIMITS.timerExtendSeconds * 1000
  switch (action) {
    case 'pause':
      if (closesAt == null) return 'The countdown is already paused.'
      return { ...record, closesAt: null, leftMs: Math.max(0, closesAt - now) }
    case 'resume':
      if (leftMs == null) return 'The countdown is already running.'
      return { ...record, closesAt: now + leftMs, leftMs: null }
    case 'extend':
      return closesAt != null ? { ...record, closesAt: closesAt + extra } : { ...record, leftMs: (leftMs ?? 0) + extra }
    case 'timer-off':
      return { ...record, closesAt: null, leftMs: null }
  }
}
