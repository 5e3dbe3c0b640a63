// Shared by the benchmark's processes: the clock, progress lines, request and reply over IPC,
// percentiles, and the shape of a vote on the wire.
import type { ChildProcess } from 'node:child_process'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { VotePayload } from '../server/protocol.ts'

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url))

/**
 * Milliseconds since the epoch with sub-millisecond resolution. Every process of the benchmark
 * runs on this one machine, so `timeOrigin + now()` of one process can be compared with another's
 * (both derive from the same system clock; the skew between processes is well below 1 ms).
 */
export const now = (): number => performance.timeOrigin + performance.now()

const started = now()
/** One line on stderr, with the seconds since the run started. */
export function progress(line: string): void {
  process.stderr.write(`[${((now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}\n`)
}

export interface Message {
  type: string
  [key: string]: unknown
}

/** Resolves with the child's next message of `type` (or rejects if it exits or times out). */
export function nextMessage<T extends Message = Message>(
  child: ChildProcess,
  type: string,
  timeoutMs = 120_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no "${type}" message within ${timeoutMs} ms`)), timeoutMs)
    const onMessage = (message: Message) => {
      if (message?.type === 'error') done(new Error(String(message.error)))
      else if (message?.type === type) done(null, message as T)
    }
    const onExit = (code: number | null, signal: string | null) =>
      done(new Error(`child exited (${signal ?? code}) while waiting for "${type}"`))
    function done(error: Error | null, value?: T) {
      clearTimeout(timer)
      child.off('message', onMessage)
      child.off('exit', onExit)
      if (error) reject(error)
      else resolve(value as T)
    }
    child.on('message', onMessage)
    child.on('exit', onExit)
  })
}

export async function request<T extends Message = Message>(
  child: ChildProcess,
  message: Message,
  replyType: string,
  timeoutMs?: number,
): Promise<T> {
  const reply = nextMessage<T>(child, replyType, timeoutMs)
  child.send(message)
  return reply
}

/** Nearest-rank percentile of an ascending array (NaN when empty). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number
}

// ---------------------------------------------------------------------------------------------
// The vote on the wire (server/protocol.ts VoteSchema): single-choice answers here.

export function votePayload(pollId: string, option: string, voteId: string): VotePayload {
  return { pollId, answer: option, voteId }
}
