// The phone's one connection, and sending with retries: a retried message carries the same id
// (voteId, postId), so a flaky network never counts it twice.
import { io, type Socket } from 'socket.io-client'
import type { ClientToServerEvents, ServerToClientEvents } from '../protocol.ts'
import { randomId } from './dom.ts'

function participantId(): string {
  const key = 'workshop.participant'
  try {
    const existing = localStorage.getItem(key)
    if (existing) return existing
    const made = randomId()
    localStorage.setItem(key, made)
    return made
  } catch {
    return randomId() // private mode without storage: one id for this page's life
  }
}

export const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
  auth: { role: 'voter', participantId: participantId() },
  // WebTransport is left out of the page's bundle (server/voter-page.ts).
  transports: ['polling', 'websocket'],
})

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
