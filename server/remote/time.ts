// Time on the remote: the clock, the time elapsed on the presenter's clock (Slidev's own, on the
// laptop), and where the session stands against the agenda, block by block, with what to cut
// when it runs late. Planned times come from the deck's notes (the run sheet).
import type { MovePayload } from '../protocol.ts'
import { el } from '../voter/dom.ts'
import type { RemoteState } from './state.ts'
import { minutesText } from './ui.ts'

/** Within this much of the plan, the session is on time. */
const SLACK_S = 60

/** Seconds behind the plan (negative: ahead; 0: on time), or null before the clock starts. */
export function lateBy(state: RemoteState, now = Date.now()): number | null {
  const at = state.stage?.at
  const slide = at && state.sheet.slides.find((candidate) => candidate.number === at.slide)
  if (!at || !slide || at.clock.status === 'stopped') return null
  const elapsed = (at.clock.elapsedMs + (at.clock.status === 'running' ? now - state.stageAt : 0)) / 1000
  const end = slide.startsAt + (slide.seconds ?? 0)
  if (elapsed > end + SLACK_S) return elapsed - end
  if (elapsed < slide.startsAt - SLACK_S) return elapsed - slide.startsAt
  return 0
}

export function paceOf(state: RemoteState, now = Date.now()): { text: string; late: boolean } {
  const late = lateBy(state, now)
  if (late === null) return { text: 'The clock has not started', late: false }
  if (late > 0) return { text: `Behind by ${minutesText(late)}`, late: true }
  if (late < 0) return { text: `Ahead by ${minutesText(late)}`, late: false }
  return { text: 'On time', late: false }
}

/** "0:25": minutes from the start, as the agenda slide shows them. */
const startText = (seconds: number) =>
  `${Math.floor(seconds / 3600)}:${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}`

export function timePanel(state: RemoteState, move: (payload: MovePayload) => unknown): Node[] {
  const at = state.stage?.at
  const status = at?.clock.status ?? 'stopped'
  const late = lateBy(state)
  const button = (label: string, run: 'start' | 'pause' | 'reset', primary = false) => {
    const node = el(
      'button',
      { type: 'button', className: primary ? 'primary' : '', disabled: !state.stage?.windows },
      label,
    )
    node.dataset.key = `clock-${run}`
    node.addEventListener('click', () => move({ action: 'clock', run }))
    return node
  }
  const parts: Node[] = [
    el('p', { className: 'kicker' }, 'Time'),
    el('h1', { id: 'time-title', tabIndex: -1 }, 'Time against the agenda'),
    el(
      'div',
      { className: 'clocks' },
      el(
        'div',
        { className: 'card' },
        el('p', { className: 'small muted' }, 'Now'),
        el('p', { className: 'big', id: 'clock-now' }),
      ),
      el(
        'div',
        { className: 'card' },
        el('p', { className: 'small muted' }, 'Elapsed'),
        el('p', { className: 'big', id: 'clock-elapsed' }, '0:00'),
      ),
    ),
    el('p', {}, el('span', { className: 'pace', id: 'pace', role: 'status' })),
    el(
      'div',
      { className: 'row' },
      status === 'running'
        ? button('Pause clock', 'pause')
        : button(status === 'paused' ? 'Resume clock' : 'Start clock', 'start', true),
      button('Reset', 'reset'),
    ),
    el(
      'p',
      { className: 'small muted' },
      'The presenter view’s clock on the laptop: starting it here starts it there.',
    ),
  ]
  const blocks = state.sheet.blocks
  const now = blocks.findIndex((block) => at && at.slide >= block.from && at.slide <= block.to)
  const block = blocks[now]
  if (late && late > 0 && block && at) {
    const cuts = block.cuts.filter((cut) => cut.slide >= at.slide)
    if (cuts.length) {
      parts.push(
        el(
          'div',
          { className: 'card cut' },
          el('h2', {}, 'Cut if late'),
          ...cuts.map((cut) => el('p', {}, el('strong', {}, `Slide ${cut.slide}: `), cut.text)),
        ),
      )
    }
  }
  if (!blocks.length) return parts
  parts.push(
    el('h2', {}, 'Agenda'),
    el(
      'ol',
      { className: 'blocks' },
      ...blocks.map((row, i) => {
        const shift = i >= now && now >= 0 && late ? late : 0
        const item = el(
          'li',
          { className: i < now ? 'done' : i === now ? 'now' : '' },
          el('span', { className: 'at' }, startText(row.startsAt)),
          el(
            'span',
            {},
            row.title,
            el('span', { className: 'sr-only' }, i === now ? ' (now)' : i < now ? ' (done)' : ''),
          ),
          shift
            ? el('span', { className: 'length shift' }, `${shift > 0 ? '+' : '−'}${minutesText(shift)}`)
            : el('span', { className: 'length' }, `${row.minutes} min`),
        )
        if (i === now) item.setAttribute('aria-current', 'step')
        return item
      }),
    ),
  )
  return parts
}
