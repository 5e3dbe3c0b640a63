// The facilitator's remote: a phone paired from the presenter view runs the session from anywhere
// in the room. It moves the slides (through the laptop's presenter window, which the projector
// follows), reads the notes and the time against the agenda, runs the poll on the slide, the
// table timers and the room's questions. Everything it shows comes with its presenter session.
import { io, type Socket } from 'socket.io-client'
import type { Ack, ClientToServerEvents, MovePayload, PollView, ServerToClientEvents, StageView } from '../protocol.ts'
import type { RunSheet } from '../run-sheet.ts'
import { $, el } from '../voter/dom.ts'
import { pollPanel } from './poll.ts'
import { roomPanel } from './room.ts'
import { type Ask, keyed, type RemoteState, slideOf as slideIn } from './state.ts'
import { paceOf, timePanel } from './time.ts'
import { clockText, ICONS } from './ui.ts'

const state: RemoteState = {
  sheet: { title: '', slides: [], blocks: [] },
  connected: false,
  presenter: false,
  polls: {},
  tallies: {},
  countdowns: {},
  cards: {},
  stage: null,
  stageAt: 0,
}
/** The moves this phone asked for: a change that carries one was made from here. */
const myMoves = new Set<string>()
let wasPresenter = false

const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
  autoConnect: false,
  auth: { role: 'deck' },
  transports: ['polling', 'websocket'],
  // The page's long-polling uses fetch, which sends the session's cookie only when told to.
  withCredentials: true,
})

// ---------------------------------------------------------------------------------------------
// Signing in: the pairing code from the QR code's #fragment, traded once for this phone's session.

const NOT_PAIRED = 'In the presenter view on the laptop, choose “Use your phone as a remote” and scan the code.'

function gate(title: string, text: string): void {
  $('gate').hidden = false
  $('gate-title').textContent = title
  $('gate-text').textContent = text
  $('tabs').hidden = true
  for (const view of document.querySelectorAll<HTMLElement>('[data-view]')) view.hidden = true
  $('banner').hidden = true
  $('gate-title').focus()
}

async function signIn(): Promise<boolean> {
  const code = location.hash.slice(1)
  history.replaceState(null, '', location.pathname)
  const signedIn = async () => (await fetch('/api/presenter/sessions', { cache: 'no-store' })).ok
  try {
    if (code) {
      const response = await fetch('/api/presenter/sessions', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ code }),
        cache: 'no-store',
      })
      if (response.ok || (await signedIn())) return true
      gate(
        'This code has been used or has expired',
        `A pairing code works once, for five minutes. ${NOT_PAIRED.replace('scan the code', 'scan the new code')}`,
      )
      return false
    }
    if (await signedIn()) return true
    gate('This phone is not paired', NOT_PAIRED)
  } catch {
    gate('The kit did not answer', 'Check that this phone is on the same network as the laptop, then reload.')
  }
  return false
}

async function loadSheet(): Promise<void> {
  const response = await fetch('/api/presenter/run-sheet', { cache: 'no-store' }).catch(() => null)
  if (!response?.ok) return
  state.sheet = (await response.json()) as RunSheet
  $('deck-title').textContent = state.sheet.title || 'Workshop kit'
}

// ---------------------------------------------------------------------------------------------
// Asking the server: every action is acknowledged, and a refusal is said in words.

const ask: Ask = async (event, payload) => {
  if (!socket.connected) return say('Not sent: this phone is offline. It reconnects by itself.', 'bad')
  try {
    // Typed per event where it is called; one untyped call here keeps this helper generic.
    const timed = socket.timeout(5000) as unknown as {
      emitWithAck(event: string, payload: unknown): Promise<Ack<{ id?: string }>>
    }
    const result = await timed.emitWithAck(event, payload)
    if (!result.ok) return say(result.error, 'bad')
    if (result.id) myMoves.add(result.id)
    say('')
    return true
  } catch {
    return say('The kit did not answer in time: try again.', 'bad')
  }
}

function say(text: string, tone: 'bad' | '' = ''): false {
  $('status').textContent = text
  $('status').dataset.tone = tone
  return false
}

const move = (payload: MovePayload) => ask('move', payload)

/** Asks before something that cannot be undone; the native dialog traps focus and closes on Escape. */
function confirmFirst(text: string, yes: string): Promise<boolean> {
  const dialog = $('confirm') as HTMLDialogElement
  $('confirm-text').textContent = text
  $('confirm-yes').textContent = yes
  dialog.showModal()
  return new Promise((resolve) =>
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'yes'), { once: true }),
  )
}

// ---------------------------------------------------------------------------------------------
// Views. Each is rebuilt only when what it shows changed, and keeps the focused button focused.

type View = 'slides' | 'time' | 'poll' | 'timer' | 'room'
const VIEWS: { id: View; label: string }[] = [
  { id: 'slides', label: 'Slides' },
  { id: 'time', label: 'Time' },
  { id: 'poll', label: 'Poll' },
  { id: 'timer', label: 'Timer' },
  { id: 'room', label: 'Questions' },
]
let current: View = (sessionStorage.getItem('remote.view') as View | null) ?? 'slides'
const built = new Map<string, string>()

/** Replaces a container's content when its key changed; the focused control (by data-key) stays focused. */
function patch(container: HTMLElement, key: string, build: () => (Node | string)[]): void {
  if (built.get(container.id) === key) return
  built.set(container.id, key)
  const focused = (document.activeElement as HTMLElement | null)?.dataset?.key
  const within = container.contains(document.activeElement)
  container.replaceChildren(...build())
  if (within && focused) container.querySelector<HTMLElement>(`[data-key="${focused}"]`)?.focus()
}

const slideOf = (no: number | undefined) => slideIn(state, no)

function renderTabs(): void {
  const waiting = Object.values(state.cards).filter((card) => card.status === 'waiting').length
  patch($('tabs'), `${current}|${waiting}`, () =>
    VIEWS.map(({ id, label }) => {
      const button = keyed(el('button', { type: 'button' }), `tab-${id}`)
      button.innerHTML = ICONS[id] ?? ''
      button.append(label)
      if (id === 'room' && waiting)
        button.append(
          el('span', { className: 'badge' }, `${waiting}`, el('span', { className: 'sr-only' }, ' waiting')),
        )
      if (id === current) button.setAttribute('aria-current', 'page')
      button.addEventListener('click', () => show(id))
      return button
    }),
  )
}

function show(view: View): void {
  current = view
  sessionStorage.setItem('remote.view', view)
  for (const section of document.querySelectorAll<HTMLElement>('[data-view]'))
    section.hidden = section.dataset.view !== view
  render()
  document.getElementById(`${view}-title`)?.focus()
}

function movedBy(stage: StageView): string {
  if (stage.move && myMoves.has(stage.move)) return 'Moved from this phone'
  return stage.by === 'the laptop' ? 'Moved on the laptop' : `Moved from ${stage.by}`
}

function renderSlides(): void {
  const at = state.stage?.at
  const slide = slideOf(at?.slide)
  const next = slideOf(at ? at.slide + 1 : undefined)
  const moving = Boolean(state.connected && state.stage?.windows)
  const key = JSON.stringify([
    at?.slide,
    at?.clicks,
    at?.clicksTotal,
    state.stage?.by,
    state.stage?.move,
    moving,
    state.sheet.slides.length,
  ])
  patch($('view-slides'), key, () => {
    const title = el(
      'h1',
      { id: 'slides-title', tabIndex: -1 },
      slide?.title ?? (at ? `Slide ${at.slide}` : 'Waiting for the laptop'),
    )
    const kicker = el(
      'p',
      { className: 'kicker' },
      at
        ? `Slide ${at.slide} of ${at.slides}${at.clicksTotal ? ` · step ${at.clicks} of ${at.clicksTotal}` : ''}`
        : 'Slides',
    )
    const parts: Node[] = [kicker, title]
    if (slide?.outline.length)
      parts.push(el('ul', { className: 'outline' }, ...slide.outline.slice(1).map((line) => el('li', {}, line))))
    if (state.stage && at) parts.push(el('p', { className: 'small muted' }, movedBy(state.stage)))
    // Big targets at the thumb; the arrows are decoration (the names are "Back" and "Next").
    const arrow = (text: string) => {
      const node = el('span', {}, text)
      node.setAttribute('aria-hidden', 'true')
      return node
    }
    const prev = keyed(
      el('button', { type: 'button', disabled: !moving || (at?.slide === 1 && !at.clicks) }, arrow('‹ '), 'Back'),
      'prev',
    )
    const forward = keyed(
      el('button', { type: 'button', className: 'primary', disabled: !moving }, 'Next', arrow(' ›')),
      'next',
    )
    prev.addEventListener('click', () => move({ action: 'prev' }))
    forward.addEventListener('click', () => move({ action: 'next' }))
    parts.push(el('div', { className: 'step' }, prev, forward))
    if (state.sheet.slides.length) parts.push(jumpList(at?.slide, moving))
    if (next) {
      parts.push(
        el(
          'div',
          { className: 'card' },
          el('p', { className: 'kicker' }, `Next · slide ${next.number}`),
          el('p', { className: 'next-title' }, next.title),
        ),
      )
    }
    if (slide?.notes) {
      const notes = el('div', { className: 'notes' })
      // The deck's own notes, escaped by the server's Markdown reader (handouts/markdown.ts).
      notes.innerHTML = slide.notes
      parts.push(el('h2', {}, 'Notes'), notes)
    } else if (slide) parts.push(el('p', { className: 'muted' }, 'No notes on this slide.'))
    return parts
  })
}

/** Any slide, a tap away: for a block cut short, or a question that needs slide 12 again. */
function jumpList(current: number | undefined, moving: boolean): HTMLElement {
  const select = keyed(el('select', { id: 'jump', disabled: !moving }), 'jump')
  for (const slide of state.sheet.slides) {
    select.append(
      el(
        'option',
        { value: String(slide.number), selected: slide.number === current },
        `${slide.number} · ${slide.title}`,
      ),
    )
  }
  select.addEventListener('change', () => move({ action: 'go', slide: Number(select.value) }))
  return el('div', { className: 'field' }, el('label', { htmlFor: 'jump' }, 'Go to slide'), select)
}

function render(): void {
  renderTabs()
  renderBanner()
  const view = $(`view-${current}`)
  if (current === 'slides') renderSlides()
  else if (current === 'time') patch(view, timeKey(), () => timePanel(state, move))
  else if (current === 'poll') patch(view, pollKey(), () => pollPanel(state, ask, confirmFirst))
  else if (current === 'timer') patch(view, timerKey(), () => timerPanel())
  else patch(view, roomKey(), () => roomPanel(state, ask))
  tick()
}

const timeKey = () =>
  JSON.stringify([
    state.stage?.at?.slide,
    state.stage?.at?.clock.status,
    state.sheet.blocks.length,
    Math.floor(Date.now() / 15_000),
  ])
const pollKey = () => {
  const pollId = slideOf(state.stage?.at?.slide)?.pollId
  return JSON.stringify(
    pollId
      ? [pollId, state.polls[pollId], state.tallies[pollId], state.countdowns[pollId]?.running]
      : [state.stage?.at?.slide],
  )
}
const timerKey = () =>
  JSON.stringify([
    state.stage?.at?.slide,
    state.stage?.windows,
    state.stage?.at?.timers.map((t) => [t.name, t.running, t.running ? 0 : t.leftMs]),
  ])
const roomKey = () => JSON.stringify([state.cards, slideOf(state.stage?.at?.slide)?.pollId])

function timerPanel(): Node[] {
  const timers = state.stage?.at?.timers ?? []
  const parts: Node[] = [
    el('p', { className: 'kicker' }, 'Table timer'),
    el('h1', { id: 'timer-title', tabIndex: -1 }, 'Timers on this slide'),
  ]
  if (!timers.length) {
    parts.push(el('p', { className: 'muted' }, 'No table or focus timer on this slide. Practice slides have one.'))
    return parts
  }
  for (const timer of timers) {
    const buttons = (['start', 'pause', 'reset'] as const).map((run) => {
      const label = run === 'start' ? 'Start' : run === 'pause' ? 'Pause' : 'Reset'
      const disabled =
        !state.stage?.windows || (run === 'start' && timer.running) || (run === 'pause' && !timer.running)
      const button = keyed(
        el('button', { type: 'button', className: run === 'start' ? 'primary' : '', disabled }, label),
        `timer-${run}`,
      )
      button.addEventListener('click', () => move({ action: 'timer', run }))
      return button
    })
    parts.push(
      el(
        'div',
        { className: 'card' },
        el(
          'p',
          { className: 'small muted' },
          `${timer.minutes}-minute timer · ${timer.running ? 'running' : timer.leftMs === 0 ? 'time is up' : timer.leftMs < timer.minutes * 60_000 ? 'paused' : 'ready'}`,
        ),
        el('p', { className: 'big', role: 'timer' }, left(timer.name)),
        el('div', { className: 'row three' }, ...buttons),
      ),
    )
  }
  return parts
}

/** Where a timer's time left is written, once a second. */
function left(name: string): HTMLElement {
  const node = el('span')
  node.dataset.timer = name
  return node
}

function renderBanner(): void {
  const banner = $('banner')
  let text = ''
  let bad = false
  if (!state.connected) {
    text = 'This phone lost the network. It reconnects by itself; what happens meanwhile shows up when it is back.'
    bad = true
  } else if (state.stage && !state.stage.windows) {
    text =
      'The laptop’s presenter window is not connected: slides and timers cannot move from here. Polls and questions still work.'
  }
  banner.hidden = !text
  banner.textContent = text
  banner.classList.toggle('bad', bad)
  const conn = $('conn')
  conn.dataset.state = !state.connected ? 'offline' : state.stage?.windows ? 'online' : 'away'
  conn.textContent = !state.connected ? 'Offline' : state.stage?.windows ? 'Laptop connected' : 'No laptop'
}

/** Once a second: the clock, the elapsed time and every countdown, as text only. */
function tick(): void {
  const now = Date.now()
  const stage = state.stage?.at
  const gone = now - state.stageAt
  for (const node of document.querySelectorAll<HTMLElement>('[data-timer]')) {
    const timer = stage?.timers.find((t) => t.name === node.dataset.timer)
    if (timer) node.textContent = clockText(Math.max(0, timer.running ? timer.leftMs - gone : timer.leftMs))
  }
  const clock = document.getElementById('clock-now')
  if (clock) clock.textContent = new Date(now).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' })
  const elapsed = document.getElementById('clock-elapsed')
  if (elapsed && stage)
    elapsed.textContent = clockText(stage.clock.elapsedMs + (stage.clock.status === 'running' ? gone : 0))
  const pace = document.getElementById('pace')
  if (pace) {
    const { text, late } = paceOf(state, now)
    pace.textContent = text
    pace.dataset.tone = late ? 'late' : ''
  }
  for (const node of document.querySelectorAll<HTMLElement>('[data-countdown]')) {
    const countdown = state.countdowns[node.dataset.countdown ?? '']
    if (countdown)
      node.textContent = clockText(countdown.running ? Math.max(0, countdown.endsAt - now) : countdown.leftMs)
  }
}

// ---------------------------------------------------------------------------------------------
// The connection.

function receivePoll(poll: PollView): void {
  state.polls[poll.id] = poll
  if (poll.countdown) {
    const { leftMs, running } = poll.countdown
    state.countdowns[poll.id] = { endsAt: Date.now() + leftMs, leftMs, running }
  } else delete state.countdowns[poll.id]
}

function receiveStage(stage: StageView): void {
  state.stage = stage
  state.stageAt = Date.now()
}

socket.on('connect', () => {
  state.connected = true
  render()
})
socket.on('disconnect', () => {
  state.connected = false
  render()
})
socket.on('sync', (sync) => {
  state.presenter = sync.presenter
  if (!sync.presenter) {
    socket.disconnect()
    return void (wasPresenter
      ? gate(
          'This phone was signed out',
          `It no longer controls the session. To pair it again: ${NOT_PAIRED.toLowerCase()}`,
        )
      : gate('This phone is not paired', NOT_PAIRED))
  }
  wasPresenter = true
  state.polls = {}
  state.countdowns = {}
  for (const poll of sync.polls) receivePoll(poll)
  state.tallies = Object.fromEntries((sync.tallies ?? []).map((tally) => [tally.pollId, tally]))
  state.cards = Object.fromEntries(sync.cards.map((card) => [card.id, card]))
  if (sync.stage) receiveStage(sync.stage)
  $('gate').hidden = true
  $('tabs').hidden = false
  show(current)
})
socket.on('stage', (stage) => {
  receiveStage(stage)
  render()
})
socket.on('poll:state', (poll) => {
  receivePoll(poll)
  render()
})
socket.on('tally', (tallies) => {
  for (const tally of tallies) state.tallies[tally.pollId] = tally
  if (current === 'poll') render()
})
socket.on('cards', ({ cards }) => {
  for (const card of cards) state.cards[card.id] = card
  render()
})
socket.on('connect_error', (error) => {
  state.connected = false
  render()
  say(error.message.length < 160 ? error.message : 'Cannot reach the kit.', 'bad')
})

// Swipe on the slides view: left for the next slide or step, right for the previous one.
let touch: { x: number; y: number } | null = null
$('view-slides').addEventListener(
  'touchstart',
  (event) => {
    const point = event.touches[0]
    touch = point ? { x: point.clientX, y: point.clientY } : null
  },
  { passive: true },
)
$('view-slides').addEventListener('touchend', (event) => {
  const point = event.changedTouches[0]
  if (!touch || !point || !state.stage?.windows) return
  const dx = point.clientX - touch.x
  const dy = point.clientY - touch.y
  touch = null
  if (Math.abs(dx) > 60 && Math.abs(dy) < Math.abs(dx) / 2) void move({ action: dx < 0 ? 'next' : 'prev' })
})

setInterval(tick, 1000)
void (async () => {
  if (!(await signIn())) return
  await loadSheet()
  socket.connect()
})()
