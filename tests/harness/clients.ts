// Typed Socket.IO clients (phones and decks) and the HTTP view of a poll, as the tests and the
// benchmark see the kit from outside.
import { io, type Socket } from 'socket.io-client'
import type { ClientToServerEvents, PollResults, ServerToClientEvents, SyncPayload } from '../../server/protocol.ts'

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>

const clients = new Set<Client>()

/** A client over WebSocket; no automatic reconnection unless asked. Closed by `closeClients`. */
export function connect(url: string, auth: Record<string, unknown>, options: Parameters<typeof io>[1] = {}): Client {
  const client: Client = io(url, {
    auth,
    transports: ['websocket'],
    reconnection: false,
    reconnectionDelay: 100,
    reconnectionDelayMax: 500,
    forceNew: true,
    ...options,
  })
  clients.add(client)
  return client
}

export function closeClients(): void {
  for (const client of clients) client.close()
  clients.clear()
}

/** The next `event` whose payload satisfies `match`; fails after `ms`. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  client: Client,
  event: E,
  match: (...args: Parameters<ServerToClientEvents[E]>) => boolean = () => true,
  ms = 5000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off(event, handler as never)
      reject(new Error(`No matching "${String(event)}" within ${ms} ms`))
    }, ms)
    const handler = (...args: Parameters<ServerToClientEvents[E]>) => {
      if (!match(...args)) return
      clearTimeout(timer)
      client.off(event, handler as never)
      resolve(args[0])
    }
    client.on(event, handler as never)
  })
}

/** The first full state a client receives (after connecting, or after the next reset). */
export function synced(client: Client | Socket, ms = 10_000): Promise<SyncPayload> {
  const socket = client as Client
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no sync within ${ms} ms`)), ms)
    socket.once('sync', (state) => {
      clearTimeout(timer)
      resolve(state)
    })
    socket.once('connect_error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
  })
}

/** `GET /api/polls/:id`: the poll with what the room may see of its results. */
export async function pollResults(url: string, pollId: string): Promise<PollResults> {
  const response = await fetch(`${url}/api/polls/${encodeURIComponent(pollId)}`)
  if (!response.ok) throw new Error(`GET /api/polls/${pollId}: ${response.status} ${await response.text()}`)
  return (await response.json()) as PollResults
}

/** The option an acknowledgement (`{ answer: [id] }`) or a sync's `mine` entry (`[id]`) names. */
export function chosenOption(value: unknown): string | undefined {
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0]
  if (value && typeof value === 'object' && 'answer' in value) return chosenOption(value.answer)
  return undefined
}

let counter = 0
/** A fresh vote id, as a phone makes one per tap. */
export const voteId = () => `vote-${Date.now().toString(36)}-${++counter}`

/**
 * A phone joining as the phone page does (server/voter/main.ts): a refusal that says when to come
 * back (many phones joining from one address) is followed, after that time; any other refusal
 * fails. Resolves with the client, its first sync and how often it was told to wait.
 */
export function joinLikeAPhone(
  url: string,
  auth: Record<string, unknown>,
  options: Parameters<typeof io>[1] = {},
): Promise<{ client: Client; state: SyncPayload; retries: number }> {
  const client = connect(url, auth, options)
  let retries = 0
  return new Promise((resolve, reject) => {
    client.once('sync', (state) => resolve({ client, state, retries }))
    client.on('connect_error', (error) => {
      const retryAfterMs = (error as { data?: { retryAfterMs?: number } }).data?.retryAfterMs
      if (!retryAfterMs) return reject(error)
      retries++
      setTimeout(() => client.connect(), retryAfterMs)
    })
  })
}
