// The presenter window as the stage a phone remote moves (server/stage.ts). It says where it
// stands after every change (slide, click step, Slidev's presenter clock, the focus timers on the
// slide on screen), and carries out the moves a remote asks for with Slidev's own navigation,
// so the audience window of the same browser follows as it follows the laptop's own keys. Moves
// and the laptop's keys take turns in this one window: the last action wins, and every presenter
// device hears where the deck went and who moved it.
import { sharedState, useNav } from '@slidev/client'
import { shallowReactive, watch } from 'vue'
import type { Move, StageReport } from '../server/protocol'
import { onMove, sendStage, usePollChannel } from './usePollChannel'

/** A focus timer on the slide on screen in the presenter window (components/FocusTimer.vue). */
export interface StageTimer {
  name: string
  minutes: number
  running: boolean
  leftMs: number
  start(): void
  pause(): void
  reset(): void
}

/** The focus timers on the slide on screen, by storage key: each reads its own state when asked. */
export const stageTimers = shallowReactive(new Map<string, () => StageTimer>())

type Clock = (typeof sharedState)['timer']

function elapsedMs(clock: Clock): number {
  if (clock.status === 'stopped' || !clock.startedAt) return 0
  return (clock.status === 'paused' ? clock.pausedAt : Date.now()) - clock.startedAt
}

/** Slidev's presenter clock, run the way its presenter view runs it (the state syncs to every window). */
function runClock(run: 'start' | 'pause' | 'reset'): void {
  const clock = sharedState.timer
  const now = Date.now()
  if (run === 'reset') sharedState.timer = { status: 'stopped', slides: {}, startedAt: 0, pausedAt: 0 }
  else if (run === 'pause' && clock.status === 'running')
    sharedState.timer = { ...clock, status: 'paused', pausedAt: now }
  else if (run === 'start' && clock.status !== 'running') {
    const startedAt = clock.status === 'paused' ? now - (clock.pausedAt - clock.startedAt) : now
    sharedState.timer = { ...clock, status: 'running', startedAt }
  }
}

export function useStage(): void {
  const nav = useNav()
  const channel = usePollChannel()
  const onStage = () => nav.isPresenter.value && channel.presenter && channel.connected
  /** The move being carried out: the next report answers it. */
  let answering: Pick<Move, 'id' | 'by'> | null = null

  const report = (): StageReport => {
    const timers = [...stageTimers.values()].slice(0, 4).map((read) => {
      const { name, minutes, running, leftMs } = read()
      return { name, minutes, running, leftMs: Math.round(leftMs) }
    })
    const clock = sharedState.timer
    return {
      slide: nav.currentSlideNo.value,
      clicks: nav.clicks.value,
      clicksTotal: nav.clicksTotal.value,
      slides: nav.total.value,
      clock: { status: clock.status, elapsedMs: Math.max(0, elapsedMs(clock)) },
      timers,
    }
  }
  const send = () => {
    if (!onStage()) return
    const move = answering
    answering = null
    void sendStage({ ...report(), ...(move ? { move: move.id, by: move.by } : {}) })
  }

  // Whatever changed it (a key on the laptop, a remote, the clock, a timer), the window says so.
  watch(
    () => [onStage(), JSON.stringify(report())],
    () => send(),
    { flush: 'post' },
  )

  onMove(async (move) => {
    if (!onStage()) return
    answering = { id: move.id, by: move.by }
    if (move.action === 'next' || move.action === 'prev') await (move.action === 'next' ? nav.next() : nav.prev())
    else if (move.action === 'go') await nav.go(Math.min(move.slide, nav.total.value))
    else if (move.action === 'clock') runClock(move.run)
    else if ('run' in move) for (const read of stageTimers.values()) read()[move.run]()
    // A move that changed nothing (Next on the last step) is answered all the same.
    setTimeout(() => answering && send(), 50)
  })
}
