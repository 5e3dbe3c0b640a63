// A server process's own figures, read inside the process: memory, CPU and event-loop delay.
import { monitorEventLoopDelay } from 'node:perf_hooks'

/**
 * A server process's own figures (memory, CPU, event-loop delay), for the current phase and for
 * the whole run; both servers of the benchmark (ours and the floor) report them the same way.
 */
export function processMeter() {
  const histogram = () => {
    const h = monitorEventLoopDelay({ resolution: 10 })
    h.enable()
    return h
  }
  const phaseDelay = histogram()
  const runDelay = histogram()
  let phaseCpu = process.cpuUsage()
  let runCpu = process.cpuUsage()
  const ms = (ns: number) => Math.round((ns / 1e6) * 100) / 100
  const delay = (h: ReturnType<typeof monitorEventLoopDelay>) => ({
    p50: ms(h.percentile(50)),
    p99: ms(h.percentile(99)),
    max: ms(h.max),
    mean: ms(h.mean),
  })
  const cpu = (since: NodeJS.CpuUsage) => {
    const used = process.cpuUsage(since)
    return Math.round(((used.user + used.system) / 1e6) * 1000) / 1000
  }
  return {
    /** The figures so far; `reset` starts a new phase (and, with 'run', a new run). */
    read(reset?: 'phase' | 'run') {
      const memory = process.memoryUsage()
      const figures = {
        rssMb: Math.round((memory.rss / 1048576) * 10) / 10,
        maxRssMb: Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10,
        heapUsedMb: Math.round((memory.heapUsed / 1048576) * 10) / 10,
        phase: { cpuSeconds: cpu(phaseCpu), eventLoopDelayMs: delay(phaseDelay) },
        run: { cpuSeconds: cpu(runCpu), eventLoopDelayMs: delay(runDelay) },
      }
      if (reset) {
        phaseDelay.reset()
        phaseCpu = process.cpuUsage()
      }
      if (reset === 'run') {
        runDelay.reset()
        runCpu = process.cpuUsage()
      }
      return figures
    },
  }
}

/** What `processMeter().read()` says: the shape of a server process's `stats` reply. */
export type ProcessFigures = ReturnType<ReturnType<typeof processMeter>['read']>
