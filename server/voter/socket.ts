// The phone's one connection, and sending with retries: a retried message carries the same id
// (voteId, postId), so a flaky network never counts it twice.
import { io, type Socket } from 'socket.io-client'
import type { ClientToServerEvents, ServerToClientEvents } from '../protocol.ts'

/** Keeps `value` under `key` (when given) and returns what is kept; private mode keeps it for the page's life. */
function remember(key: string, value: string | null): string | undefined {
  try {
    if (value) localStorage.setItem(key, value)
    return localStorage.getItem(key) ?? value ?? undefined
  } catch {
    return value ?? undefined
  }
}

const KEY = 'workshop.participant'

/**
 * The phone's anonymous participant id, kept on the phone. It is also the attendee's personal
 * code: ten characters without look-alikes (no 0, 1, i, l, o), shown on the takeaway in two
 * groups, typed on another device to carry on there as the same person.
 */
const id = remember(KEY, null) ?? remember(KEY, newCode()) ?? newCode()

function newCode(): string {
  const letters = '23456789abcdefghjkmnpqrstuvwxyz'
  return Array.from(crypto.getRandomValues(new Uint8Array(10)), (v) => letters[v % 31]).join('')
}

/** The personal code as the takeaway shows it: "K7Q4M-2XD9P". */
export const myCode = () => id.toUpperCase().replace(/^(.{5})(?=.)/, '$1-')

/** Continues as another participant (a code from another device), or as a new one (null), from a fresh page. */
export function becomeParticipant(code: string | null): void {
  try {
    if (code) localStorage.setItem(KEY, code)
    else localStorage.removeItem(KEY)
  } catch {}
  location.replace(location.pathname)
}

/** Where the room code is kept (the deck reads it too: components/usePollChannel.ts). */
const ROOM_KEY = 'workshop.room'
export const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
  // The QR code carries the room code (?room=): kept for the page's next visits.
  auth: {
    role: 'voter',
    participantId: id,
    room: remember(ROOM_KEY, new URLSearchParams(location.search).get('room')),
  },
  // WebTransport is left out of the page's bundle (server/voter-page.ts).
  transports: ['polling', 'websocket'],
})

/** Joins with the room code a person typed. */
export function joinRoom(code: string): void {
  socket.auth = { ...socket.auth, room: remember(ROOM_KEY, code) }
  socket.connect()
}

type Acked = { ok: true } | { ok: false; error: string }

/**
 * Emits with an acknowledgement, trying again (same payload, same id) while the network is
 * slow; null when no answer came at all. `slow` hears about each retry.
 */
export async function sendWithRetry<A extends Acked>(
  emit: () => Promise<A>,
  slow: () => void = () => {},
): Promise<A | null> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await emit()
    } catch {
      slow()
    }
  }
  return null
}

export const NOT_SENT = 'Not sent: check the Wi-Fi and try again.'
