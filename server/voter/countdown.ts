// A timed poll's countdown. The server sends how many ms were left when it sent the view; the
// phone turns that into a deadline on its own monotonic clock at the moment it receives it, so
// a wrong phone clock does not matter. At zero it shows 0:00 and waits: the poll closes when
// the server says so (poll:state), never on the phone's own clock.
import type { PollView } from '../protocol.ts'
import { $, announce } from './dom.ts'

interface Deadline {
  /** performance.now() at which it reaches zero, when running. */
  until: number
  leftMs: number
  running: boolean
}

const deadlines = new Map<string, Deadline>()
let shown: string | null = null
let warned = false
let ticking = 0

/** Call on every view received (sync, poll:state), before rendering. */
export function receive(poll: PollView): void {
  const countdown = poll.countdown
  if (!countdown) deadlines.delete(poll.id)
  else deadlines.set(poll.id, { ...countdown, until: performance.now() + countdown.leftMs })
}

const leftOf = (d: Deadline) => Math.max(0, d.running ? d.until - performance.now() : d.leftMs)

export function clock(ms: number): string {
  const seconds = Math.ceil(ms / 1000)
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`
}

/** Time left, in words for the announcement when a question opens ("" when untimed). */
export const timeToAnswer = (poll: PollView) => {
  const d = deadlines.get(poll.id)
  return d ? ` ${clock(leftOf(d))} to answer.` : ''
}

function tick(): void {
  const timer = $('timer')
  const d = shown === null ? undefined : deadlines.get(shown)
  timer.hidden = !d
  if (!d) return
  const left = leftOf(d)
  timer.textContent = d.running ? `${clock(left)} left` : `Paused · ${clock(left)}`
  timer.dataset.tone = left <= 10_000 ? 'late' : ''
  // One announcement as time runs short, not one a second (again after an extension).
  if (left > 10_000) warned = false
  else if (d.running && left <= 10_000 && left > 0 && !warned) {
    warned = true
    announce('10 seconds left.')
  }
}

/** Shows the countdown of the poll on screen (or none), ticking only while one runs. */
export function showCountdown(poll: PollView | undefined): void {
  const id = poll?.id ?? null
  if (id !== shown) warned = false
  shown = id
  clearInterval(ticking)
  if (id && deadlines.get(id)?.running) ticking = window.setInterval(tick, 250)
  tick()
}
