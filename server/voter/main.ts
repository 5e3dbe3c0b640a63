// The phone page: shows the poll that is open, sends a tap as a vote, and shows that it counted.
// Kept tiny (it is inlined into one HTML response) and free of frameworks.
import { io, type Socket } from 'socket.io-client'
import type { Ack, ClientToServerEvents, PollView, ServerToClientEvents } from '../protocol.ts'

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T

/** Random id made on the phone; crypto.getRandomValues works on plain-http LAN pages too. */
function randomId(bytes = 12): string {
  const values = crypto.getRandomValues(new Uint8Array(bytes))
  return Array.from(values, (v) => v.toString(36).padStart(2, '0')).join('')
}

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

const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
  auth: { role: 'voter', participantId: participantId() },
})

const polls = new Map<string, PollView>()
let mine: Record<string, string> = {}
let shownPollId: string | null = null
let sending = false

function currentPoll(): PollView | undefined {
  let newest: PollView | undefined
  for (const poll of polls.values()) {
    if (poll.state === 'open' && (!newest || (poll.openedAt ?? 0) > (newest.openedAt ?? 0))) newest = poll
  }
  return newest
}

function setStatus(text: string, tone: 'ok' | 'bad' | '' = ''): void {
  const status = $('status')
  status.textContent = text
  status.dataset.tone = tone
}

function render(): void {
  const poll = currentPoll()
  $('poll').hidden = !poll
  $('waiting').hidden = Boolean(poll)
  if (!poll) {
    if (shownPollId) setStatus(mine[shownPollId] ? 'Voting closed. Your vote counted.' : 'Voting closed.')
    shownPollId = null
    return
  }
  if (poll.id !== shownPollId) {
    shownPollId = poll.id
    $('question').textContent = poll.question
    const group = $('options')
    group.replaceChildren(
      ...poll.options.map((option) => {
        const button = document.createElement('button')
        button.type = 'button'
        button.textContent = option.label
        button.dataset.option = option.id
        button.addEventListener('click', () => vote(poll.id, option.id))
        return button
      }),
    )
    setStatus(mine[poll.id] ? 'Your vote counted. Tap another option to change it.' : '')
  }
  for (const button of $('options').querySelectorAll('button')) {
    button.setAttribute('aria-pressed', String(mine[poll.id] === button.dataset.option))
    button.disabled = sending
  }
}

/** Sends one tap; retries with the same vote id, so a flaky network never counts it twice. */
async function vote(pollId: string, optionId: string): Promise<void> {
  const voteId = randomId(9)
  sending = true
  render()
  setStatus('Sending…')
  let result: Ack<{ optionId: string }> | null = null
  for (let attempt = 0; attempt < 5 && !result; attempt++) {
    try {
      result = await socket.timeout(8000).emitWithAck('vote', { pollId, optionId, voteId })
    } catch {
      setStatus('Still sending… (the connection is slow)')
    }
  }
  sending = false
  if (result?.ok) {
    mine[pollId] = result.optionId
    setStatus('Your vote counted. Tap another option to change it.', 'ok')
  } else {
    setStatus(result ? result.error : 'Your vote could not be sent. Check the Wi-Fi and tap again.', 'bad')
  }
  render()
}

function setConnection(online: boolean, text: string): void {
  const conn = $('conn')
  conn.dataset.state = online ? 'online' : 'offline'
  conn.textContent = text
}

socket.on('connect', () => setConnection(true, 'Connected'))
socket.on('disconnect', () => setConnection(false, 'Reconnecting…'))
socket.on('connect_error', (error) => setConnection(false, `Reconnecting… (${error.message})`))
socket.on('sync', (state) => {
  polls.clear()
  for (const poll of state.polls) polls.set(poll.id, poll)
  mine = state.mine ?? {}
  shownPollId = null
  render()
})
socket.on('poll:state', ({ pollId, state, openedAt }) => {
  const poll = polls.get(pollId)
  if (!poll) return
  polls.set(pollId, { ...poll, state, openedAt })
  render()
})
socket.on('rejected', ({ error }) => setStatus(error, 'bad'))
