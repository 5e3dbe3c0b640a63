// One realtime connection per deck page, shared by every poll component on it. While presenting
// it follows live tallies; in print mode (PDF export) components read stored results instead.
import { io, type Socket } from 'socket.io-client'
import { reactive } from 'vue'
import type { JourneyResult } from '../server/journey'
import type {
  Ack,
  CardsPayload,
  CardView,
  ClientToServerEvents,
  ControlPayload,
  HeldCount,
  ModeratePayload,
  Move,
  PollResults,
  PollView,
  PresenterSessionView,
  PresentersPayload,
  QuestionnaireView,
  ServerToClientEvents,
  SessionPayload,
  SessionView,
  StageReport,
  StageView,
  Tally,
  WindowPayload,
} from '../server/protocol'
import { beforePrinting } from './usePrintReady'

export interface PollChannel {
  connected: boolean
  /** True when this browser is signed in as the presenter (from the printed presenter link). */
  presenter: boolean
  /** Presenters only: the signed-in presenter devices, and which one this browser is. */
  presenterSessions: PresenterSessionView[]
  presenterSessionId: string | null
  followSlides: boolean
  session: SessionView | null
  polls: Record<string, PollView>
  tallies: Record<string, Tally>
  /** Questions and open answers this deck may read, by id (the presenter's: every one). */
  cards: Record<string, CardView>
  /** How many cards the room cannot read, per wall ('' is the room's questions). */
  held: Record<string, HeldCount>
  /** New questions wait for the presenter's approval. */
  approveQuestions: boolean
  /**
   * Each timed poll's countdown as a local deadline: the server says how long is left when it
   * sends the view, so the deck counts from when it received it (never comparing clocks).
   */
  countdowns: Record<string, Countdown>
  /** The session's questionnaires (pre-work, pulses), by id; the presenter's say how many answered. */
  questionnaires: Record<string, QuestionnaireView>
  /** Presenters only: where the presenter window stands, and who moved it last. */
  stage: StageView | null
}

export interface Countdown {
  /** Local time (Date.now()) at which it reaches zero while running. */
  endsAt: number
  /** Milliseconds left when received (what a paused countdown keeps showing). */
  leftMs: number
  running: boolean
}

type TapListener = (counts: Record<string, number>) => void

let socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null
const tapListeners = new Map<string, Set<TapListener>>()
const channel = reactive<PollChannel>({
  connected: false,
  presenter: false,
  presenterSessions: [],
  presenterSessionId: null,
  followSlides: false,
  session: null,
  polls: {},
  tallies: {},
  cards: {},
  held: {},
  approveQuestions: false,
  countdowns: {},
  questionnaires: {},
  stage: null,
})
const moveListeners = new Set<(move: Move) => void>()

/** The key of a wall's held count: the poll's id, or '' for the room's questions. */
export const wallKey = (pollId: string | null | undefined) => pollId ?? ''

function receivePoll(poll: PollView): void {
  channel.polls[poll.id] = poll
  if (poll.countdown) {
    const { leftMs, running } = poll.countdown
    channel.countdowns[poll.id] = { endsAt: Date.now() + leftMs, leftMs, running }
  } else delete channel.countdowns[poll.id]
}

function receiveCards({ cards, held }: Pick<CardsPayload, 'cards' | 'held'>): void {
  for (const card of cards) {
    // The room gets a card it may not read (held, hidden, or off the top of its wall) without its
    // text: it leaves the slide.
    if (!card.text) delete channel.cards[card.id]
    else channel.cards[card.id] = card
  }
  // Every wall's count comes each time, and a wall with none held is left out: replace them all.
  channel.held = Object.fromEntries(held.map((count) => [wallKey(count.pollId), count]))
}

export function usePollChannel(): PollChannel {
  if (socket || typeof window === 'undefined') return channel
  // With a room code, a browser that entered it on the phone page may follow the results too.
  socket = io({ auth: { role: 'deck', ...roomAuth() } })
  // A printed slide shows what the first sync says (polls, session): the PDF waits for it.
  const synced = socket
  void beforePrinting(new Promise((resolve) => synced.once('sync', resolve)))
  socket.on('connect', () => {
    channel.connected = true
  })
  socket.on('disconnect', () => {
    channel.connected = false
  })
  socket.on('sync', (state) => {
    channel.presenter = state.presenter
    channel.presenterSessions = state.presenterSessions ?? []
    channel.presenterSessionId = state.presenterSessionId ?? null
    channel.followSlides = state.followSlides
    channel.session = state.session
    channel.approveQuestions = state.approveQuestions ?? false
    channel.polls = {}
    channel.countdowns = {}
    for (const poll of state.polls) receivePoll(poll)
    channel.tallies = Object.fromEntries((state.tallies ?? []).map((tally) => [tally.pollId, tally]))
    channel.cards = {}
    receiveCards({ cards: state.cards ?? [], held: state.held ?? [] })
    channel.questionnaires = Object.fromEntries((state.questionnaires ?? []).map((view) => [view.id, view]))
    channel.stage = state.stage ?? null
  })
  socket.on('stage', (stage) => {
    channel.stage = stage
  })
  socket.on('move', (move) => {
    for (const listener of moveListeners) listener(move)
  })
  socket.on('presenters', (sessions) => {
    channel.presenterSessions = sessions
  })
  socket.on('poll:state', receivePoll)
  socket.on('cards', receiveCards)
  socket.on('tally', (tallies) => {
    for (const tally of tallies) channel.tallies[tally.pollId] = tally
  })
  socket.on('reactions', (bursts) => {
    for (const { pollId, counts } of bursts) for (const listener of tapListeners.get(pollId) ?? []) listener(counts)
  })
  return channel
}

/** The room code this browser entered on the phone page (same origin), if any. */
function roomAuth(): { room?: string } {
  try {
    const room = localStorage.getItem(ROOM_KEY)
    return room ? { room } : {}
  } catch {
    return {}
  }
}

/** Where the phone page keeps the room code (server/voter/socket.ts). */
export const ROOM_KEY = 'workshop.room'

export interface JoinAddress {
  /** What the QR code holds, e.g. http://192.168.1.20:3030/vote (and the room code); empty until the server answers. */
  url: string
  /** The address without the scheme or the room code, for people who type it. */
  short: string
  /** The room code to show, spaced ("482 915"); empty when the session has none. */
  roomCode: string
}

const join = reactive<JoinAddress>({ url: '', short: '', roomCode: '' })
let joinAsked = false

/** The address phones open, asked of the server once per page (it knows its LAN address). */
export function useJoinAddress(): JoinAddress {
  if (joinAsked || typeof window === 'undefined') return join
  joinAsked = true
  void fetchJoin().then(({ url, roomCode }) => {
    join.url = url
    join.short = url.replace(/^https?:\/\//, '').replace(/\?.*$/, '')
    join.roomCode = typeof roomCode === 'string' ? roomCode : ''
  })
  return join
}

/** Calls `listener` with each burst of reaction taps for the poll; returns the unsubscribe. */
export function onTaps(pollId: string, listener: TapListener): () => void {
  const listeners = tapListeners.get(pollId) ?? new Set()
  listeners.add(listener)
  tapListeners.set(pollId, listeners)
  return () => listeners.delete(listener)
}

/** Calls `listener` with each move a remote asks of the presenter window (components/useStage.ts). */
export function onMove(listener: (move: Move) => void): () => void {
  moveListeners.add(listener)
  return () => moveListeners.delete(listener)
}

async function ask<
  E extends 'control' | 'session' | 'follow' | 'slide' | 'moderate' | 'approval' | 'window' | 'presenters' | 'stage',
>(event: E, payload: Parameters<ClientToServerEvents[E]>[0]): Promise<Ack> {
  if (!socket?.connected) return { ok: false, error: 'Not connected to the poll server.' }
  try {
    // Typed per event at the call sites; one untyped call here keeps this helper generic.
    const timed = socket.timeout(5000) as unknown as { emitWithAck(event: E, payload: unknown): Promise<Ack> }
    return await timed.emitWithAck(event, payload)
  } catch {
    return { ok: false, error: 'The poll server did not answer in time.' }
  }
}

export const sendControl = (payload: ControlPayload) => ask('control', payload)
export const sendSession = (payload: SessionPayload) => ask('session', payload)
export const sendFollow = (on: boolean) => ask('follow', { on })
export const sendSlide = (pollId: string | null) => ask('slide', { pollId })
export const sendModerate = (payload: ModeratePayload) => ask('moderate', payload)
export const sendApproval = (on: boolean) => ask('approval', { on })
export const sendWindow = (payload: WindowPayload) => ask('window', payload)

/** The session's before / end / pulses chart (needs the presenter's cookie, or public results). */
export function fetchJourney(): Promise<JourneyResult | null> {
  return beforePrinting(
    fetch('/api/sessions/current/journey')
      .then((response) => (response.ok ? (response.json() as Promise<JourneyResult | null>) : null))
      .catch(() => null),
  )
}
export const sendPresenters = (payload: PresentersPayload) => ask('presenters', payload)
export const sendStage = (report: StageReport) => ask('stage', report)

/** The address phones open ('' when the server does not say), and the room code for a presenter. */
export function fetchJoin(): Promise<{ url: string; roomCode?: string | boolean }> {
  return beforePrinting(
    fetch('/api/join')
      .then((response) => (response.ok ? (response.json() as Promise<{ url?: string; roomCode?: string }>) : null))
      .then((body) => ({ url: body?.url ?? '', roomCode: body?.roomCode }))
      .catch(() => ({ url: '' })),
  )
}

/** Stored results for print mode: one request, rendered as a still snapshot. */
export function fetchPollResults(pollId: string): Promise<PollResults | null> {
  return beforePrinting(
    fetch(`/api/polls/${encodeURIComponent(pollId)}`).then((response) =>
      response.ok ? (response.json() as Promise<PollResults>) : null,
    ),
  )
}

export interface StoredCards {
  cards: CardView[]
  held: HeldCount[]
}
let storedCards: Promise<StoredCards | null> | null = null

/** The room's questions and open answers as stored (shown ones only), for print mode: asked once. */
export function fetchCards(): Promise<StoredCards | null> {
  storedCards ??= beforePrinting(
    fetch('/api/cards')
      .then((response) => (response.ok ? (response.json() as Promise<StoredCards>) : null))
      .catch(() => null),
  )
  return storedCards
}

export interface PollHistoryRow {
  session: SessionView
  counts: Record<string, number>
  total: number
  mean?: number
}

/** Every session's results for one poll; needs the presenter's cookie (or public results). */
export function fetchPollHistory(pollId: string): Promise<{ current: number; sessions: PollHistoryRow[] } | null> {
  return beforePrinting(
    fetch(`/api/polls/${encodeURIComponent(pollId)}/history`).then((response) =>
      response.ok ? (response.json() as Promise<{ current: number; sessions: PollHistoryRow[] }>) : null,
    ),
  )
}
