// Attaches the poll engine's realtime channel to any HTTP server: Express in `npm start`, Vite in
// `npm run dev` and `slidev export`, a bare http.Server in tests.
import type { Server as HttpServer, IncomingMessage } from 'node:http'
import type { ServerOptions } from 'socket.io'
import { Server, type Socket } from 'socket.io'
import type { PollEngine } from './engine.ts'
import { LIMITS } from './limits.ts'
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
  PostSchema,
  parse,
  QuestionnaireSchema,
  ReactSchema,
  type ServerToClientEvents,
  SessionSchema,
  SlideSchema,
  type SocketData,
  UpvoteSchema,
  VoteSchema,
  WindowSchema,
} from './protocol.ts'
import { RoomHearing } from './room-hearing.ts'
import { isPresenter } from './secret.ts'

// Processes sharing one Redis do not talk to each other: each reads the store's log of changes.
type InterServerEvents = Record<string, never>

export type PollServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>
type PollSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>

export interface PollServerOptions {
  engine: PollEngine
  /** Presenter secret: sockets that present it (auth or cookie) may open, close and reset. */
  secret: string
  /** Extra origins allowed to open a WebSocket, besides the page's own host. */
  allowedOrigins?: readonly string[]
  /** Open connections one address may hold (a phone needs one; a laptop a few). */
  maxConnectionsPerAddress?: number
  /** Several processes: the Socket.IO adapter that links them (Redis Streams). */
  adapter?: ServerOptions['adapter']
}

const DECKS = 'decks'
/** Sockets holding the presenter secret: they read every card, held and hidden ones too. */
const PRESENTERS = 'presenters'
const PRESENTER_ONLY = 'Only the presenter can do that.'
/** A participant's own connections: they hear of their own cards wherever those stand. */
const authorRoom = (participantId: string) => `participant:${participantId}`

/**
 * Browsers always send Origin on a WebSocket handshake and CORS does not cover WebSockets, so
 * the server checks it: a page from another site must not drive polls from a visitor's browser.
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

export function createPollServer(httpServer: HttpServer, options: PollServerOptions): PollServer {
  const { engine, secret } = options
  const maxPerAddress = options.maxConnectionsPerAddress ?? 200
  const perAddress = new Map<string, number>()
  const io: PollServer = new Server(httpServer, {
    maxHttpBufferSize: LIMITS.maxMessageBytes,
    // Other WebSockets share the server (Vite's live reload in `npm run dev`): leave them be.
    destroyUpgrade: false,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000 },
    ...(options.adapter ? { adapter: options.adapter } : {}),
    allowRequest: (req, callback) => {
      if (!isAllowedOrigin(req, options.allowedOrigins)) {
        return callback('This page may not connect to the poll server (origin refused).', false)
      }
      callback(null, true)
    },
  })

  io.use((socket, next) => {
    const address = socket.handshake.address
    if ((perAddress.get(address) ?? 0) >= maxPerAddress) {
      return next(new Error('Too many connections from this address; close some tabs and try again.'))
    }
    const handshake = parse(HandshakeSchema, socket.handshake.auth)
    if (!handshake.ok) return next(new Error(handshake.error))
    const { role, participantId, secret: offered } = handshake.value
    if (role === 'voter' && !participantId) return next(new Error('A voter must send a participant id.'))
    socket.data = {
      role,
      participantId: participantId ?? null,
      presenter: isPresenter(secret, offered, socket.handshake.headers.cookie),
    }
    next()
  })

  io.on('connection', (socket) => {
    const address = socket.handshake.address
    perAddress.set(address, (perAddress.get(address) ?? 0) + 1)
    socket.on('disconnect', () => {
      const left = (perAddress.get(address) ?? 1) - 1
      if (left > 0) perAddress.set(address, left)
      else perAddress.delete(address)
    })
    if (socket.data.role === 'deck') socket.join(DECKS)
    if (socket.data.participantId) socket.join(authorRoom(socket.data.participantId))
    if (socket.data.presenter) socket.join(PRESENTERS)
    sync(socket)
    guardRate(socket)

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

    voterOnly(socket, 'post', PostSchema, (participantId, post) => engine.post(participantId, post))
    voterOnly(socket, 'upvote', UpvoteSchema, (participantId, upvote) => engine.upvote(participantId, upvote))
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

    presenterOnly(socket, 'control', ControlSchema, (control) => engine.control(control))
    presenterOnly(socket, 'session', SessionSchema, (session) => engine.changeSession(session))
    presenterOnly(socket, 'moderate', ModerateSchema, (moderation) => engine.moderate(moderation))
    presenterOnly(socket, 'follow', FlagSchema, ({ on }) => engine.setFlag('followSlides', on))
    presenterOnly(socket, 'approval', FlagSchema, ({ on }) => engine.setFlag('approveQuestions', on))
    presenterOnly(socket, 'slide', SlideSchema, ({ pollId }) => engine.slideShown(pollId))
    presenterOnly(socket, 'window', WindowSchema, (change) => engine.changeWindow(change))
  })

  function sync(socket: PollSocket): void {
    const { role, participantId, presenter } = socket.data
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
      const counts = taps.get(pollId) ?? {}
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

/** Registers a presenter action: refused with a reason unless the socket holds the secret. */
function presenterOnly<E extends 'control' | 'moderate' | 'session' | 'follow' | 'approval' | 'slide' | 'window', T>(
  socket: PollSocket,
  event: E,
  schema: import('zod').ZodType<T>,
  run: (payload: T) => Promise<Ack>,
): void {
  const handler = async (...args: unknown[]) => {
    const { payload, ack } = split(args)
    if (typeof ack !== 'function') return refuseWithoutAck(socket, event)
    if (!socket.data.presenter) return ack({ ok: false, error: PRESENTER_ONLY })
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
