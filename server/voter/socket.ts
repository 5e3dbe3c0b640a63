// The phone's one connection, and sending with retries: a retried message carries the same id
// (voteId, postId), so a flaky network never counts it twice.
import { io, type Socket } from 'socket.io-client'
import type { ClientToServerEvents, ServerToClientEvents } from '../protocol.ts'
import { randomId } from './dom.ts'

/** Keeps `value` under `key` (when given) and returns what is kept; private mode keeps it for the page's life. */
function remember(key: string, value: string | null): string | undefined {
  try {
    if (value) localStorage.setItem(key, value)
    return localStorage.getItem(key) ?? value ?? undefined
  } catch {
    return value ?? undefined
  }
}

const participantId = () =>
  remember('workshop.participant', null) ?? remember('workshop.participant', randomId()) ?? randomId()

/** Where the room code is kept (the deck reads it too: components/usePollChannel.ts). */
const ROOM_KEY = 'workshop.room'
export const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
  // The QR code carries the room code (?room=): kept for the page's next visits.
  auth: {
    role: 'voter',
    participantId: participantId(),
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
