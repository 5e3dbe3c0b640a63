// Attaches the poll engine's realtime channel to any HTTP server: Express in `npm start`, Vite in
// `npm run dev` and `slidev export`, a bare http.Server in tests.
import type { IncomingMessage, Server as HttpServer } from 'node:http'
import { Server, type Socket } from 'socket.io'
import type { PollEngine } from './engine.ts'
import {
  CLIENT_EVENTS,
  ControlSchema,
  HandshakeSchema,
  LIMITS,
  parse,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SocketData,
  VoteSchema,
} from './protocol.ts'
import { isPresenter } from './secret.ts'

export type PollServer = Server<ClientToServerEvents, ServerToClientEvents, object, SocketData>
type PollSocket = Socket<ClientToServerEvents, ServerToClientEvents, object, SocketData>

export interface PollServerOptions {
  engine: PollEngine
  /** Presenter secret: sockets that present it (auth or cookie) may open, close and reset. */
  secret: string
  /** Extra origins allowed to open a WebSocket, besides the page's own host. */
  allowedOrigins?: readonly string[]
}

const DECKS = 'decks'

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
  const io: PollServer = new Server(httpServer, {
    maxHttpBufferSize: LIMITS.maxMessageBytes,
    // Other WebSockets share the server (Vite's live reload in `npm run dev`): leave them be.
    destroyUpgrade: false,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000 },
    allowRequest: (req, callback) => {
      const allowed = isAllowedOrigin(req, options.allowedOrigins)
      callback(allowed ? null : 'This page may not connect to the poll server (origin refused).', allowed)
    },
  })

  io.use((socket, next) => {
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
    if (socket.data.role === 'deck') socket.join(DECKS)
    sync(socket)
    guardRate(socket)

    socket.onAny((event: string) => {
      if (!(CLIENT_EVENTS as readonly string[]).includes(event)) {
        socket.emit('rejected', { event: String(event).slice(0, 40), error: 'Unknown event.' })
      }
    })

    socket.on('vote', async (payload, ack) => {
      if (typeof ack !== 'function') return refuseWithoutAck(socket, 'vote')
      const participantId = socket.data.participantId
      if (!participantId) return ack({ ok: false, error: 'Only voters can vote.' })
      const vote = parse(VoteSchema, payload)
      if (!vote.ok) return ack(vote)
      ack(await engine.vote(participantId, vote.value))
    })

    socket.on('control', async (payload, ack) => {
      if (typeof ack !== 'function') return refuseWithoutAck(socket, 'control')
      if (!socket.data.presenter) {
        return ack({ ok: false, error: 'Only the presenter can open, close or reset polls.' })
      }
      const control = parse(ControlSchema, payload)
      if (!control.ok) return ack(control)
      try {
        ack(await engine.control(control.value))
      } catch (error) {
        console.error('Poll control failed:', error)
        ack({ ok: false, error: 'The change could not be saved; please try again.' })
      }
    })
  })

  function sync(socket: PollSocket): void {
    const { role, participantId, presenter } = socket.data
    socket.emit('sync', {
      session: engine.session,
      polls: engine.views(),
      presenter,
      ...(role === 'deck' ? { tallies: engine.allTallies() } : {}),
      ...(participantId ? { mine: engine.answersOf(participantId) } : {}),
    })
  }

  // Tallies reach decks coalesced: at most one message per interval, whatever the vote rate.
  const dirty = new Set<string>()
  let timer: NodeJS.Timeout | null = null
  engine.on('tally', (pollIds) => {
    for (const id of pollIds) dirty.add(id)
    timer ??= setTimeout(() => {
      timer = null
      const tallies = [...dirty].flatMap((id) => engine.tally(id) ?? [])
      dirty.clear()
      io.to(DECKS).emit('tally', tallies)
    }, LIMITS.tallyIntervalMs)
  })
  engine.on('state', (record) => io.emit('poll:state', { ...record }))
  engine.on('resync', () => {
    for (const socket of io.sockets.sockets.values()) sync(socket)
  })
  httpServer.on('close', () => {
    if (timer) clearTimeout(timer)
  })
  return io
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
  socket.use(([event, , ack], next) => {
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
