// Attaches the poll engine's realtime channel to any HTTP server: Express in `npm start`, Vite in
// `npm run dev` and `slidev export`, a bare http.Server in tests.
import { randomBytes } from 'node:crypto'
import type { Server as HttpServer, IncomingMessage } from 'node:http'
import type { ServerOptions } from 'socket.io'
import { Server, type Socket } from 'socket.io'
import { addressKey, clientAddress, type HostAllowList, hostOf, isHttps, type TrustProxy } from './address.ts'
import type { AddressLimits } from './address-limits.ts'
import type { PollEngine } from './engine.ts'
import { LIMITS } from './limits.ts'
import type { PresenterSessions } from './presenter-sessions.ts'
import {
  type Ack,
  type CardView,
  CLIENT_EVENTS,
  type ClientToServerEvents,
  CodeSchema,
  ControlSchema,
  FlagSchema,
  ForgetSchema,
  HandshakeSchema,
  ModerateSchema,
  MoveSchema,
  PostSchema,
  PresentersSchema,
  parse,
  QuestionnaireSchema,
  ReactSchema,
  type ServerToClientEvents,
  SessionSchema,
  SlideSchema,
  type SocketData,
  StageReportSchema,
  UpvoteSchema,
  VoteSchema,
  WindowSchema,
} from './protocol.ts'
import type { RoomDoor } from './room-code.ts'
import { RoomHearing } from './room-hearing.ts'
import { LAPTOP, Stage, type StageUpdate } from './stage.ts'

// Processes sharing one Redis read the store's log of changes. Where the laptop stands is not
// stored (it is the presenter window's, and changes with every click): processes pass it on.
interface InterServerEvents {
  /** A presenter window's report, to keep if it is the newest. */
  stage: (update: StageUpdate) => void
  /** A presenter window came or went: count them again. */
  windows: () => void
  /** A process that has not heard where the laptop stands asks the others. */
  'stage?': () => void
}

export type PollServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>
type PollSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>

export interface PollServerOptions {
  engine: PollEngine
  /** Who is the presenter: the secret (handshake `secret`) or a presenter session's cookie. */
  presenters: PresenterSessions
  /** Extra origins allowed to open a WebSocket, besides the page's own host. */
  allowedOrigins?: readonly string[]
  /** The host names the server answers to (DNS rebinding). */
  hosts: HostAllowList
  /** What one address may do: connections (handshaking ones too), new participants, answers. */
  limits: AddressLimits
  /** Whose X-Forwarded-For is believed (the reverse proxy). */
  trustProxy: TrustProxy
  /** The room code phones must give, if the session has one. */
  room?: RoomDoor
  /** Several processes: the Socket.IO adapter that links them (Redis Streams). */
  adapter?: ServerOptions['adapter']
}

const DECKS = 'decks'
/** The presenter windows: the deck windows that move when a remote asks. */
const STAGE = 'stage'
const NO_WINDOW = 'The laptop’s presenter window is not connected: open the presenter view on the laptop.'
/** Sockets with presenter rights: they read every card, held and hidden ones too. */
const PRESENTERS = 'presenters'
const PRESENTER_ONLY = 'Only the presenter can do that.'
/** A participant's own connections: they hear of their own cards wherever those stand. */
const authorRoom = (participantId: string) => `participant:${participantId}`
/** How long an answer may wait for its turn when many come from one address at once. */
const MAX_ANSWER_WAIT_MS = 5000
/** How long a new phone may wait for its turn to join before it is told to come back later. */
const MAX_JOIN_WAIT_MS = 30_000
const BUSY = 'Many answers from this network right now: please try again in a few seconds.'
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Headers on the realtime channel's own HTTP responses (long-polling, the WebSocket handshake). */
const CHANNEL_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
}

/**
 * Browsers always send Origin on a WebSocket handshake and CORS does not cover WebSockets, so
 * the server checks it: a page from another site must not drive polls from a visitor's browser.
 * The Host it is compared with has passed the allow-list (a rebinding page's Host has not).
 * Clients that are not browsers (tests, the benchmark) send no Origin and are allowed.
 */
export function isAllowedOrigin(req: IncomingMessage, extra: readonly string[] = []): boolean {
  const origin = req.headers.origin
  if (!origin) return true
  if (extra.includes(origin)) return true
  try {
    return new URL(origin).host === req.headers.host
  } catch {
    return false
  }
}

/** Refuses a handshake with a reason the phone page can act on (`data`: what it should do). */
function refusal(message: string, data?: Record<string, unknown>): Error {
  return Object.assign(new Error(message), data ? { data } : {})
}

export function createPollServer(httpServer: HttpServer, options: PollServerOptions): PollServer {
  const { engine, presenters, limits, hosts, trustProxy, room: door } = options
  const keyOf = (req: IncomingMessage) => addressKey(clientAddress(req, trustProxy))
  const io: PollServer = new Server(httpServer, {
    maxHttpBufferSize: LIMITS.maxMessageBytes,
    // Other WebSockets share the server (Vite's live reload in `npm run dev`): leave them be.
    destroyUpgrade: false,
    // Resumed connections go through the middleware too: presenter rights, the room code and
    // the limits are checked again, never restored from before.
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false },
    ...(options.adapter ? { adapter: options.adapter } : {}),
    allowRequest: (req, callback) => {
      if (!hosts.allows(req.headers.host)) {
        return callback(`This server does not answer to the name "${hostOf(req.headers.host) ?? ''}".`, false)
      }
      if (!isAllowedOrigin(req, options.allowedOrigins)) {
        return callback('This page may not connect to the poll server (origin refused).', false)
      }
      // Every connection counts, from its first request: resumed ones, and ones that never
      // finish the Socket.IO handshake.
      if (!limits.canConnect(keyOf(req))) {
        return callback('Too many connections from this address; close some tabs and try again.', false)
      }
      callback(null, true)
    },
  })
  io.engine.on('connection', (connection: { request: IncomingMessage; once(event: 'close', fn: () => void): void }) => {
    connection.once('close', limits.connected(keyOf(connection.request)))
  })
  io.engine.on('headers', (headers: Record<string, string>, req: IncomingMessage) => {
    Object.assign(headers, CHANNEL_HEADERS)
    if (isHttps(req, trustProxy)) headers['Strict-Transport-Security'] = 'max-age=31536000'
  })

  io.use(async (socket, next) => {
    const handshake = parse(HandshakeSchema, socket.handshake.auth)
    if (!handshake.ok) return next(new Error(handshake.error))
    const { role, participantId, secret: offered, room } = handshake.value
    if (role === 'voter' && !participantId) return next(new Error('A voter must send a participant id.'))
    const address = keyOf(socket.request)
    const presenter = presenters.presenter(socket.handshake.headers, offered)
    if (door && !presenter) {
      const refused = door.refusal(room, participantId ?? null, {
        left: () => limits.available(address, 'roomGuesses'),
        spend: () => limits.take(address, 'roomGuesses'),
      })
      if (refused) return next(refusal(refused.message, refused.data))
    }
    // A phone this process has not seen is a new identity: one address gets a bounded number.
    if (participantId && !presenter && !limits.knows(participantId)) {
      const wait = limits.take(address, 'identities', MAX_JOIN_WAIT_MS)
      if (wait === null) {
        const retryAfterMs = limits.retryAfter(address, 'identities', MAX_JOIN_WAIT_MS) + Math.random() * 2000
        return next(
          refusal('Many phones are joining from this network: yours joins in a moment.', {
            retryAfterMs: Math.round(retryAfterMs),
          }),
        )
      }
      if (wait > 0) await sleep(wait)
      limits.remember(participantId)
    }
    socket.data = {
      role,
      participantId: participantId ?? null,
      presenter: Boolean(presenter),
      presenterSession: presenter?.via === 'session' ? presenter.session.id : null,
      address,
      label: presenter?.via === 'session' && presenter.session.kind === 'paired' ? presenter.session.label : LAPTOP,
    }
    next()
  })

  /** Still a presenter: the secret, or a session not signed out or expired since it connected. */
  const isPresenter = (socket: PollSocket) =>
    socket.data.presenter &&
    (socket.data.presenterSession === null || !!presenters.find({ id: socket.data.presenterSession }))

  /**
   * This address's turn for an answer: 0 to go now, milliseconds to wait, or null when the wait
   * would be too long (the phone is told to try again).
   */
  const turn = (socket: PollSocket, action: 'votes' | 'posts' | 'upvotes') =>
    isPresenter(socket) ? 0 : limits.take(socket.data.address, action, MAX_ANSWER_WAIT_MS)

  io.on('connection', (socket) => {
    if (socket.data.role === 'deck') socket.join(DECKS)
    if (socket.data.participantId) socket.join(authorRoom(socket.data.participantId))
    if (socket.data.presenter) socket.join(PRESENTERS)
    if (socket.data.presenter && !stage.view().at && options.adapter) io.serverSideEmit('stage?')
    sync(socket)
    guardRate(socket)
    socket.on('disconnect', () => {
      if (onStage.delete(socket.id)) void countWindows()
    })

    socket.onAny((event: string, ...args: unknown[]) => {
      if (!(CLIENT_EVENTS as readonly string[]).includes(event)) {
        const { ack } = split(args)
        if (ack) ack({ ok: false, error: 'Unknown event.' })
        else socket.emit('rejected', { event: String(event).slice(0, 40), error: 'Unknown event.' })
      }
    })

    socket.on('vote', async (...args: unknown[]) => {
      const { payload, ack } = split(args)
      if (typeof ack !== 'function') return refuseWithoutAck(socket, 'vote')
      const participantId = socket.data.participantId
      if (!participantId) return ack({ ok: false, error: 'Only voters can vote.' })
      const vote = parse(VoteSchema, payload)
      if (!vote.ok) return ack(vote)
      const wait = turn(socket, 'votes')
      if (wait === null) return ack({ ok: false, error: BUSY })
      if (wait > 0) await sleep(wait)
      ack(await engine.vote(participantId, vote.value))
    })

    socket.on('react', async (...args: unknown[]) => {
      const { payload, ack } = split(args)
      const reply = (result: Ack) => {
        if (typeof ack === 'function') ack(result)
        else if (!result.ok) socket.emit('rejected', { event: 'react', error: result.error })
      }
      const participantId = socket.data.participantId
      if (!participantId) return reply({ ok: false, error: 'Only voters can react.' })
      const reaction = parse(ReactSchema, payload)
      if (!reaction.ok) return reply(reaction)
      reply(await engine.react(participantId, reaction.value))
    })

    const inTurn =
      <T, R>(action: 'posts' | 'upvotes', run: (participantId: string, payload: T) => Promise<R>) =>
      async (participantId: string, payload: T) => {
        const wait = turn(socket, action)
        if (wait === null) return { ok: false as const, error: BUSY }
        if (wait > 0) await sleep(wait)
        return run(participantId, payload)
      }
    voterOnly(
      socket,
      'post',
      PostSchema,
      inTurn('posts', (participantId, post) => engine.post(participantId, post)),
    )
    voterOnly(
      socket,
      'upvote',
      UpvoteSchema,
      inTurn('upvotes', (participantId, upvote) => engine.upvote(participantId, upvote)),
    )
    voterOnly(socket, 'questionnaire', QuestionnaireSchema, (participantId, asked) =>
      engine.questionnaire(participantId, asked),
    )
    voterOnly(socket, 'forget', ForgetSchema, (participantId) => engine.forget(participantId))
    voterOnly(socket, 'code', CodeSchema, async (_, { code }) =>
      (await engine.knows(code))
        ? { ok: true as const, code }
        : { ok: false as const, error: 'Nothing is stored under this code: check it and try again.' },
    )

    socket.on('takeaway', (...args: unknown[]) => {
      const { ack } = split(args)
      if (typeof ack !== 'function') return refuseWithoutAck(socket, 'takeaway')
      const participantId = socket.data.participantId
      if (!participantId) return ack({ ok: false, error: 'Only participants have a takeaway.' })
      ack({ ok: true, ...engine.takeaway(participantId) })
    })

    presenterOnly(socket, isPresenter, 'control', ControlSchema, (control) => engine.control(control))
    presenterOnly(socket, isPresenter, 'session', SessionSchema, (session) => engine.changeSession(session))
    presenterOnly(socket, isPresenter, 'moderate', ModerateSchema, (moderation) => engine.moderate(moderation))
    presenterOnly(socket, isPresenter, 'follow', FlagSchema, ({ on }) => engine.setFlag('followSlides', on))
    presenterOnly(socket, isPresenter, 'approval', FlagSchema, ({ on }) => engine.setFlag('approveQuestions', on))
    presenterOnly(socket, isPresenter, 'slide', SlideSchema, ({ pollId }) => engine.slideShown(pollId))
    presenterOnly(socket, isPresenter, 'window', WindowSchema, (change) => engine.changeWindow(change))
    presenterOnly(socket, isPresenter, 'presenters', PresentersSchema, async (payload) => {
      const signedOut = await presenters.revoke(payload.action === 'sign-out-all' ? 'all' : [payload.id])
      return { ok: true as const, signedOut: signedOut.length }
    })
    // The presenter window says where it stands: from then on it is one of the windows that move.
    presenterOnly(socket, isPresenter, 'stage', StageReportSchema, async (report) => {
      if (!onStage.has(socket.id)) {
        onStage.add(socket.id)
        socket.join(STAGE)
        void countWindows()
      }
      share(Stage.update(report))
      return { ok: true as const }
    })
    // A remote's move goes to every presenter window, on every process (through the adapter).
    presenterOnly(socket, isPresenter, 'move', MoveSchema, async (move) => {
      if (!stage.windows) return { ok: false as const, error: NO_WINDOW }
      const id = randomBytes(9).toString('base64url')
      io.to(STAGE).emit('move', { ...move, id, by: socket.data.label })
      return { ok: true as const, id }
    })
  })

  // Where the laptop stands: the newest report wins on every process.
  const stage = new Stage()
  /** The sockets of this process that are presenter windows. */
  const onStage = new Set<string>()
  const tellStage = () => io.local.to(PRESENTERS).emit('stage', stage.view())
  const share = (update: StageUpdate) => {
    if (stage.take(update)) tellStage()
    if (options.adapter) io.serverSideEmit('stage', update)
  }
  io.on('stage', (update: StageUpdate) => {
    if (stage.take(update)) tellStage()
  })
  io.on('stage?', () => {
    const latest = stage.latest()
    if (latest) io.serverSideEmit('stage', latest)
  })
  let counts = 0
  /** Counts the presenter windows on every process (and has the others count again, `tell`). */
  async function countWindows(tell = true): Promise<void> {
    const asked = ++counts
    let windows = onStage.size
    if (options.adapter) {
      if (tell) io.serverSideEmit('windows')
      try {
        windows = (await io.in(STAGE).fetchSockets()).length
      } catch {
        return // another process did not answer in time: its next change counts again
      }
    }
    if (asked !== counts || windows === stage.windows) return
    stage.windows = windows
    tellStage()
  }
  io.on('windows', () => void countWindows(false))

  // A signed-out presenter device loses its rights at once, on every process: its sockets stay
  // connected as the room's, and their decks hear so (controls give way to "open the link").
  presenters.on('revoked', (ids) => {
    const gone = new Set(ids)
    for (const socket of io.sockets.sockets.values()) {
      if (!socket.data.presenterSession || !gone.has(socket.data.presenterSession)) continue
      socket.data = { ...socket.data, presenter: false, presenterSession: null }
      socket.leave(PRESENTERS)
      socket.leave(STAGE)
      if (onStage.delete(socket.id)) void countWindows()
      sync(socket)
    }
  })
  presenters.on('changed', () => io.local.to(PRESENTERS).emit('presenters', presenters.list()))

  function sync(socket: PollSocket): void {
    const { role, participantId, presenter, presenterSession } = socket.data
    // The room's part of what this phone is sent: its own cards outside the top are not the room's.
    if (!presenter) roomHearing.synced(currentTops())
    socket.emit('sync', {
      session: engine.session,
      polls: engine.views(),
      presenter,
      followSlides: engine.followSlides,
      approveQuestions: engine.approveQuestions,
      cards: engine.cards(presenter ? 'presenter' : 'room', participantId),
      held: engine.held(),
      questionnaires: engine.questionnaireViews(presenter ? 'presenter' : role === 'deck' ? 'room' : 'phone'),
      ...(role === 'deck' ? { tallies: engine.allTallies() } : {}),
      ...(participantId
        ? {
            mine: engine.answersOf(participantId),
            myCards: engine.myCards(participantId),
            myUpvotes: engine.myUpvotes(participantId),
          }
        : {}),
      ...(presenter
        ? { presenterSessions: presenters.list(), presenterSessionId: presenterSession, stage: stage.view() }
        : {}),
    })
  }

  // Questions and open answers: the presenter hears of every changed card (every 250 ms at
  // most); the room hears of changes to the top of each wall (every second at most), and of a
  // card leaving the top as that card without its text. An upvote storm in a room of thousands
  // costs a few small broadcasts, not one per tap or one card list per phone.
  const changed = { presenter: new Set<string>(), room: new Set<string>() }
  const timers: { presenter: NodeJS.Timeout | null; room: NodeJS.Timeout | null } = { presenter: null, room: null }
  /** The top of each wall as the room would read it now. */
  const currentTops = () => new Map(engine.walls().map((wall) => [wall, engine.roomTop(wall).map((card) => card.id)]))
  const roomHearing = new RoomHearing()
  const sendToPresenters = () => {
    timers.presenter = null
    const cards = [...changed.presenter].flatMap((id) => engine.card(id, 'presenter') ?? [])
    changed.presenter.clear()
    io.local.to(PRESENTERS).emit('cards', { cards, held: engine.held() })
  }
  /** A card the room drops: its status without its text (its author keeps the text it sent). */
  const dropped = (id: string): CardView[] => {
    const card = engine.card(id, 'room')
    if (!card) return []
    const { name: _, ...rest } = card
    return [{ ...rest, text: '' }]
  }
  const sendToRoom = () => {
    timers.room = null
    const ids = [...changed.room]
    changed.room.clear()
    const cards: CardView[] = []
    const walls = new Set(ids.map((id) => engine.wallOf(id)).filter((wall) => wall !== undefined))
    for (const wall of walls) {
      const top = engine.roomTop(wall)
      const onWall = new Set(ids.filter((id) => engine.wallOf(id) === wall))
      const { send, drop, outside } = roomHearing.broadcast(
        wall,
        top.map((card) => card.id),
        onWall,
      )
      const toSend = new Set(send)
      cards.push(...top.filter((card) => toSend.has(card.id)))
      cards.push(...drop.flatMap(dropped))
      // Outside the top, no phone of the room holds it: only its author hears of it, whole.
      for (const id of outside) {
        const author = engine.authorOf(id)
        const card = engine.card(id, 'presenter')
        if (author && card) io.local.to(authorRoom(author)).emit('cards', { cards: [card], held: engine.held() })
      }
    }
    io.local.except(PRESENTERS).emit('cards', { cards, held: engine.held() })
  }
  engine.on('cards', (ids) => {
    for (const id of ids) {
      changed.presenter.add(id)
      changed.room.add(id)
    }
    timers.presenter ??= setTimeout(sendToPresenters, LIMITS.cardIntervalMs)
    timers.room ??= setTimeout(sendToRoom, LIMITS.roomCardIntervalMs)
  })

  // With several processes, each engine applies every change from the store's log and tells
  // only its own clients (io.local), so nobody hears the same change twice.
  // Tallies and reaction taps reach decks coalesced: at most one message per interval each,
  // whatever the vote rate. Phones get only state changes.
  const dirty = new Set<string>()
  const taps = new Map<string, Record<string, number>>()
  let timer: NodeJS.Timeout | null = null
  let lastSent = 0
  const send = () => {
    if (timer) clearTimeout(timer)
    timer = null
    lastSent = Date.now()
    if (dirty.size)
      io.local.to(DECKS).emit(
        'tally',
        [...dirty].flatMap((id) => engine.tally(id) ?? []),
      )
    if (taps.size)
      io.local.to(DECKS).emit(
        'reactions',
        [...taps].map(([pollId, counts]) => ({ pollId, counts })),
      )
    dirty.clear()
    taps.clear()
  }
  // At most one message per interval, sent as soon as the interval allows. Checked on every
  // change too: while a burst keeps the event loop busy reading, timers run late.
  const schedule = () => {
    const wait = lastSent + LIMITS.tallyIntervalMs - Date.now()
    if (wait <= 0) send()
    else timer ??= setTimeout(send, wait)
  }
  engine.on('tally', (pollIds) => {
    for (const id of pollIds) dirty.add(id)
    schedule()
  })
  engine.on('taps', (list) => {
    for (const { pollId, emoji, count } of list) {
      const counts = taps.get(pollId) ?? (Object.create(null) as Record<string, number>)
      counts[emoji] = (counts[emoji] ?? 0) + count
      taps.set(pollId, counts)
    }
    schedule()
  })
  engine.on('state', (view) => io.local.emit('poll:state', view))
  engine.on('forgotten', (participantId) => io.local.to(authorRoom(participantId)).emit('forgotten'))
  engine.on('resync', () => {
    // Everyone now holds the current tops (a reset can empty a wall).
    roomHearing.resynced(currentTops())
    for (const socket of io.sockets.sockets.values()) sync(socket)
  })
  httpServer.on('close', () => {
    if (timer) clearTimeout(timer)
    if (timers.presenter) clearTimeout(timers.presenter)
    if (timers.room) clearTimeout(timers.room)
  })
  return io
}

/** Registers a presenter action: refused with a reason unless the socket still has presenter rights. */
function presenterOnly<
  E extends
    | 'control'
    | 'moderate'
    | 'session'
    | 'follow'
    | 'approval'
    | 'slide'
    | 'window'
    | 'presenters'
    | 'stage'
    | 'move',
  T,
>(
  socket: PollSocket,
  mayPresent: (socket: PollSocket) => boolean,
  event: E,
  schema: import('zod').ZodType<T>,
  run: (payload: T) => Promise<Ack>,
): void {
  const handler = async (...args: unknown[]) => {
    const { payload, ack } = split(args)
    if (typeof ack !== 'function') return refuseWithoutAck(socket, event)
    if (!mayPresent(socket)) return ack({ ok: false, error: PRESENTER_ONLY })
    const parsed = parse(schema, payload)
    ack(parsed.ok ? await run(parsed.value) : parsed)
  }
  socket.on(event, handler as never)
}

/** Registers an attendee's action: it needs an acknowledgement and a participant id. */
function voterOnly<E extends 'post' | 'upvote' | 'questionnaire' | 'forget' | 'code', T, R extends object>(
  socket: PollSocket,
  event: E,
  schema: import('zod').ZodType<T>,
  run: (participantId: string, payload: T) => Promise<Ack<R>>,
): void {
  const handler = async (...args: unknown[]) => {
    const { payload, ack } = split(args)
    if (typeof ack !== 'function') return refuseWithoutAck(socket, event)
    const participantId = socket.data.participantId
    if (!participantId) return ack({ ok: false, error: 'Only participants can do that, from the phone page.' })
    const parsed = parse(schema, payload)
    ack(parsed.ok ? await run(participantId, parsed.value) : parsed)
  }
  socket.on(event, handler as never)
}

/** Socket.IO passes the acknowledgement callback last, after however many arguments came. */
function split(args: unknown[]): { payload: unknown; ack: ((result: Ack) => void) | undefined } {
  const last = args.at(-1)
  if (typeof last !== 'function') return { payload: args[0], ack: undefined }
  return { payload: args.length > 1 ? args[0] : undefined, ack: last as (result: Ack) => void }
}

function refuseWithoutAck(socket: PollSocket, event: string): void {
  socket.emit('rejected', { event, error: 'This message needs an acknowledgement callback.' })
}

/**
 * A token bucket per connection: a phone stuck in a loop, or a script, is told to slow down and
 * its extra messages are dropped before they reach the engine.
 */
function guardRate(socket: PollSocket): void {
  let tokens: number = LIMITS.messageBurst
  let last = Date.now()
  socket.use((packet, next) => {
    const [event] = packet
    const ack = packet.at(-1)
    const now = Date.now()
    tokens = Math.min(LIMITS.messageBurst, tokens + ((now - last) / 1000) * LIMITS.messagesPerSecond)
    last = now
    if (tokens >= 1) {
      tokens -= 1
      return next()
    }
    const error = 'Too many messages: please slow down.'
    if (typeof ack === 'function') ack({ ok: false, error })
    else socket.emit('rejected', { event: String(event).slice(0, 40), error })
  })
}
