// Where the laptop stands: the slide and click step its presenter window shows, Slidev's presenter
// clock and the focus timers on the slide. The presenter window is the one place that moves the
// deck (Slidev's own sync moves the audience window of the same browser after it); a remote asks
// it to move, and every presenter device hears where it went. Moves are carried out in the order
// the window receives them, so the laptop and a remote never fight: the last action wins.
//
// Every process keeps the newest report it heard of (processes on Redis pass each one on), and
// counts the presenter windows connected anywhere, so a remote knows when there is none.
import type { StageReport, StageView } from './protocol.ts'

/** A presenter window's report as a process passes it on: stamped when the first process took it. */
export interface StageUpdate {
  report: Omit<StageReport, 'move' | 'by'>
  by: string
  move?: string
  /** When the process that received it took it (ms since epoch): the newest wins everywhere. */
  at: number
}

/** What a window's own change (not a remote's move) is shown as. */
export const LAPTOP = 'the laptop'

export class Stage {
  private newest: StageUpdate | null = null
  /** Presenter windows connected, on every process (counted again whenever one comes or goes). */
  windows = 0

  /** A report from a window connected here: the update to keep and pass on. */
  static update({ move, by, ...report }: StageReport, now = Date.now()): StageUpdate {
    return { report, by: move ? (by ?? 'a remote') : LAPTOP, ...(move ? { move } : {}), at: now }
  }

  /** Keeps the update unless a newer one is held; true when it was kept. */
  take(update: StageUpdate): boolean {
    if (this.newest && this.newest.at > update.at) return false
    this.newest = update
    return true
  }

  /** The newest update, to pass on to a process that has none. */
  latest(): StageUpdate | null {
    return this.newest
  }

  view(): StageView {
    const latest = this.newest
    if (!latest) return { windows: this.windows, at: null, by: LAPTOP }
    // Durations as of now: the clock and the timers ran on while the report waited here.
    const gone = Math.max(0, Date.now() - latest.at)
    const { clock, timers } = latest.report
    return {
      windows: this.windows,
      at: {
        ...latest.report,
        clock: { ...clock, elapsedMs: clock.elapsedMs + (clock.status === 'running' ? gone : 0) },
        timers: timers.map((timer) => ({
          ...timer,
          leftMs: timer.running ? Math.max(0, timer.leftMs - gone) : timer.leftMs,
        })),
      },
      by: latest.by,
      ...(latest.move ? { move: latest.move } : {}),
    }
  }
}
