// How long sessions are kept: with RETENTION_DAYS set, every server process deletes the sessions
// that started longer ago than that (everything in them: votes, answers, questions, windows), at
// start-up and then every few hours. Deleting is the same on every process and repeats safely.
import type { Store } from './store.ts'

const DAY_MS = 24 * 60 * 60 * 1000
const EVERY_MS = 6 * 60 * 60 * 1000

/** The moment before which a session is too old to keep. */
export const retentionCutoff = (days: number, now = Date.now()) => now - days * DAY_MS

/** Deletes the sessions past the retention period now, and every few hours; returns a stop function. */
export function keepFor(store: Store, days: number): () => void {
  const purge = async () => {
    try {
      const deleted = await store.purgeSessions(retentionCutoff(days))
      if (deleted.length) {
        console.log(
          `Deleted ${deleted.length} session(s) older than ${days} days (RETENTION_DAYS): ${deleted.join(', ')}.`,
        )
      }
    } catch (error) {
      console.error('Deleting old sessions failed (tried again later):', (error as Error).message)
    }
  }
  void purge()
  const timer = setInterval(purge, EVERY_MS)
  timer.unref()
  return () => clearInterval(timer)
}
