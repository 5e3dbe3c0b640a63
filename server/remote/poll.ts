// The poll on the slide on screen: open, close, reveal, reset (asked first), its countdown, the
// live count and the results as the room sees them (only the total while they are hidden).
import type { PollView, Tally } from '../protocol.ts'
import { el } from '../voter/dom.ts'
import { type Ask, keyed, type RemoteState, slideOf } from './state.ts'

const KINDS: Record<string, string> = {
  single: 'one choice',
  multiple: 'several choices',
  quiz: 'quiz',
  scale: 'scale',
  words: 'word cloud',
  steps: 'action steps',
  reactions: 'reactions',
  text: 'open answers',
  ranking: 'ranking',
  matrix: '2×2',
}

export function pollPanel(
  state: RemoteState,
  ask: Ask,
  confirmFirst: (text: string, yes: string) => Promise<boolean>,
): Node[] {
  const slide = slideOf(state, state.stage?.at?.slide)
  const poll = slide?.pollId ? state.polls[slide.pollId] : undefined
  if (!poll) return noPoll(state, ask)
  const tally = state.tallies[poll.id]
  const countdown = state.countdowns[poll.id]
  const control = (
    action: 'open' | 'close' | 'reveal' | 'pause' | 'resume' | 'extend',
    label: string,
    className = '',
  ) => {
    const button = keyed(el('button', { type: 'button', className }, label), `poll-${action}`)
    button.addEventListener('click', () => ask('control', { pollId: poll.id, action }))
    return button
  }
  const reset = keyed(el('button', { type: 'button', className: 'danger' }, 'Reset…'), 'poll-reset')
  reset.addEventListener('click', async () => {
    if (await confirmFirst('Reset this poll? Every answer to it is deleted, for good.', 'Reset the poll'))
      await ask('control', { pollId: poll.id, action: 'reset' })
  })
  const open = poll.state === 'open'
  const hidden = poll.results === 'hidden' || poll.kind === 'quiz'
  const parts: Node[] = [
    el('p', { className: 'kicker' }, `Poll on this slide · ${KINDS[poll.kind] ?? poll.kind}`),
    el('h1', { id: 'poll-title', tabIndex: -1 }, poll.question),
    el(
      'p',
      { className: 'row' },
      el('span', { className: `tag${open ? ' open' : ''}` }, open ? 'Open' : 'Closed'),
      el('span', { className: 'tag' }, `${tally?.total ?? 0} answered`),
      ...(hidden ? [el('span', { className: 'tag' }, poll.revealed ? 'Revealed' : 'Results hidden')] : []),
    ),
    el(
      'div',
      { className: 'row' },
      open ? control('close', 'Close') : control('open', 'Open', 'primary'),
      ...(hidden && !poll.revealed ? [control('reveal', 'Reveal')] : []),
      reset,
    ),
  ]
  if (countdown) {
    const left = el('span', {}, '')
    left.dataset.countdown = poll.id
    parts.push(
      el('h2', {}, 'Countdown ', el('span', { className: 'tag', role: 'timer' }, left)),
      el(
        'div',
        { className: 'row' },
        countdown.running ? control('pause', 'Pause') : control('resume', 'Resume'),
        control('extend', '+30 s'),
        control('close', 'Close now'),
      ),
    )
  }
  parts.push(el('h2', {}, 'What the room sees'), results(poll, tally))
  return parts
}

function results(poll: PollView, tally: Tally | undefined): Node {
  if (!tally?.total) return el('p', { className: 'empty' }, 'No answers yet.')
  if (tally.hidden)
    return el('p', { className: 'muted' }, `Only the count, ${tally.total}, until you reveal the results.`)
  const labels = new Map(poll.options.map((option) => [option.id, option.label]))
  const rows = Object.entries(tally.counts)
    .filter(([key]) => poll.kind === 'words' || labels.has(key))
    .sort((a, b) => (poll.kind === 'words' ? b[1] - a[1] : 0))
    .slice(0, 8)
  if (!rows.length) return el('p', { className: 'muted' }, `${tally.total} answered: the results are on the slide.`)
  const most = Math.max(1, ...rows.map(([, count]) => count))
  return el(
    'div',
    { className: 'bars' },
    ...(tally.mean !== undefined ? [el('p', {}, `Average ${tally.mean.toFixed(1)}`)] : []),
    ...rows.map(([key, count]) => {
      const fill = el('span')
      fill.style.width = `${(count / most) * 100}%`
      return el(
        'div',
        { className: 'bar' },
        el('span', {}, labels.get(key) ?? key),
        el('b', {}, `${count}`),
        el('div', { className: 'fill' }, fill),
      )
    }),
  )
}

/** No poll here: the deck's polls, each a tap away from its slide. */
function noPoll(state: RemoteState, ask: Ask): Node[] {
  const polls = state.sheet.slides.filter((slide) => slide.pollId)
  return [
    el('p', { className: 'kicker' }, 'Poll'),
    el('h1', { id: 'poll-title', tabIndex: -1 }, 'No poll on this slide'),
    el('p', { className: 'muted' }, polls.length ? 'The deck’s polls, by slide:' : 'This deck has no polls.'),
    el(
      'ul',
      { className: 'cards' },
      ...polls.map((slide) => {
        const go = keyed(
          el('button', { type: 'button', disabled: !state.stage?.windows }, `Go to slide ${slide.number}`),
          `go-${slide.number}`,
        )
        go.addEventListener('click', () => ask('move', { action: 'go', slide: slide.number }))
        const view = slide.pollId ? state.polls[slide.pollId] : undefined
        return el(
          'li',
          {},
          el('p', { className: 'text' }, view?.question ?? slide.title),
          el('p', { className: 'meta' }, view?.state === 'open' ? 'Open now' : `Slide ${slide.number}`),
          go,
        )
      }),
    ),
  ]
}
