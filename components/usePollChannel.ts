// One realtime connection per deck page, shared by every poll component on it. While presenting
// it follows live tallies; in print mode (PDF export) components read stored results instead.
import { io, type Socket } from 'socket.io-client'
import { reactive } from 'vue'
import type {
  Ack,
  ClientToServerEvents,
  ControlPayload,
  PollView,
  ServerToClientEvents,
  Tally,
} from '../server/protocol'

export interface PollChannel {
  connected: boolean
  /** True when this browser holds the presenter cookie (from the printed presenter link). */
  presenter: boolean
  sessionName: string
  /** The short address phones open, shown under an open poll. */
  joinAddress: string
  polls: Record<string, PollView>
  tallies: Record<string, Tally>
}

let socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null
const channel = reactive<PollChannel>({
  connected: false,
  presenter: false,
  sessionName: '',
  joinAddress: '',
  polls: {},
  tallies: {},
})

export function usePollChannel(): PollChannel {
  if (socket || typeof window === 'undefined') return channel
  socket = io({ auth: { role: 'deck' } })
  fetch('/api/join')
    .then((response) => (response.ok ? response.json() : null))
    .then((body: { url?: string } | null) => {
      channel.joinAddress = body?.url?.replace(/^https?:\/\//, '') ?? ''
    })
    .catch(() => undefined)
  socket.on('connect', () => {
    channel.connected = true
  })
  socket.on('disconnect', () => {
    channel.connected = false
  })
  socket.on('sync', (state) => {
    channel.presenter = state.presenter
    channel.sessionName = state.session.name
    channel.polls = Object.fromEntries(state.polls.map((poll) => [poll.id, poll]))
    channel.tallies = Object.fromEntries((state.tallies ?? []).map((tally) => [tally.pollId, tally]))
  })
  socket.on('poll:state', ({ pollId, state, openedAt }) => {
    const poll = channel.polls[pollId]
    if (poll) channel.polls[pollId] = { ...poll, state, openedAt }
  })
  socket.on('tally', (tallies) => {
    for (const tally of tallies) channel.tallies[tally.pollId] = tally
  })
  return channel
}

export async function sendControl(payload: ControlPayload): Promise<Ack> {
  if (!socket?.connected) return { ok: false, error: 'Not connected to the poll server.' }
  try {
    return await socket.timeout(5000).emitWithAck('control', payload)
  } catch {
    return { ok: false, error: 'The poll server did not answer in time.' }
  }
}

/** Stored results for print mode: one request, rendered as a still snapshot. */
export type StoredResults = PollView & Pick<Tally, 'counts' | 'total'>

export async function fetchPollResults(pollId: string): Promise<StoredResults | null> {
  const response = await fetch(`/api/polls/${encodeURIComponent(pollId)}`)
  if (!response.ok) return null
  return (await response.json()) as StoredResults
}
