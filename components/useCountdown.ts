// A timed poll's time left, ticking on this deck. The server's view says how long was left when
// it was sent; usePollChannel turned that into a local deadline on receipt, so a wrong clock on
// this laptop changes nothing.
import { computed, onBeforeUnmount, onMounted, ref } from 'vue'
import { usePollChannel } from './usePollChannel'

/** Milliseconds left (a paused countdown keeps its time), or null without a countdown. */
export function useTimeLeft(pollId: () => string) {
  const channel = usePollChannel()
  const now = ref(Date.now())
  let tick: ReturnType<typeof setInterval> | undefined
  onMounted(() => {
    tick = setInterval(() => {
      now.value = Date.now()
    }, 250)
  })
  onBeforeUnmount(() => clearInterval(tick))
  return computed(() => {
    const countdown = channel.countdowns[pollId()]
    if (!countdown) return null
    if (!countdown.running) return countdown.leftMs
    // `now` ticks every 250 ms, so it may predate the view's arrival: never more than was left then.
    return Math.max(0, Math.min(countdown.leftMs, countdown.endsAt - now.value))
  })
}

/** "1:05"; rounded up, so "0:01" shows until the very end and "0:00" only at zero. */
export function clockText(ms: number): string {
  const seconds = Math.ceil(ms / 1000)
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`
}
