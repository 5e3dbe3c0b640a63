// Shared test set-up: a real poll server on a random loopback port, real SQLite files in a
// temporary folder, and real socket.io-client connections.
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import { type AddressInfo, createServer as createNetServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { io, type Socket } from 'socket.io-client'
import { createApp } from '../server/app.ts'
import { PollEngine } from '../server/engine.ts'
import { type PollDefinition, PollDefinitionSchema } from '../server/poll-definition.ts'
import { createPollServer } from '../server/poll-server.ts'
import type { ClientToServerEvents, ServerToClientEvents } from '../server/protocol.ts'
import { openSqliteStore } from '../server/sqlite-store.ts'
import { listen } from '../server/start.ts'
import { buildVoterPage, type VoterPage } from '../server/voter-page.ts'

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>

export const SECRET = 'test-presenter-secret'

export const HAT_POLL: PollDefinition = PollDefinitionSchema.parse({
  id: 'hat',
  question: 'Which hat are you wearing right now?',
  options: ['Leading', 'Managing', 'Not sure'],
})

/** One poll of every kind (and a hidden-results one), for the integration and browser tests. */
export const KIND_POLLS: PollDefinition[] = [
  {
    id: 'seen',
    kind: 'multiple',
    question: 'Seen in your team?',
    options: ['Confusion', 'Misalignment', 'Burnout'],
    max: 2,
  },
  {
    id: 'week',
    kind: 'scale',
    question: 'Your week?',
    min: 0,
    max: 10,
    minLabel: 'All managing',
    maxLabel: 'All leading',
  },
  {
    id: 'word',
    kind: 'words',
    question: 'One word for the leader you would follow',
    maxLength: 30,
  },
  {
    id: 'scenario',
    kind: 'quiz',
    question: 'Launching a new idea?',
    options: ['Leader hat', 'Manager hat'],
    correct: 'Leader hat',
    explain: 'A bold move: a new idea.',
  },
  { id: 'vibe', kind: 'reactions', question: 'How does this land?' },
  {
    id: 'secret-ballot',
    question: 'Hidden until reveal',
    options: ['Yes', 'No'],
    results: 'hidden',
  },
  { id: 'my-steps', kind: 'steps', question: 'Your action steps', count: 3 },
].map((poll) => PollDefinitionSchema.parse(poll))

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const probe = createNetServer().listen(0, '127.0.0.1')
  await new Promise((resolve) => probe.once('listening', resolve))
  const { port } = probe.address() as { port: number }
  await new Promise((resolve) => probe.close(resolve))
  return port
}

export function tempDir(prefix = 'kit-test-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}

let voterPage: Promise<VoterPage> | null = null

export async function startTestServer(options: { dataDir: string; polls?: PollDefinition[] }) {
  const store = openSqliteStore(options.dataDir)
  const engine = await new PollEngine(store, options.polls ?? [HAT_POLL]).start()
  voterPage ??= buildVoterPage()
  const app = createApp({
    engine,
    store,
    voterPage: await voterPage,
    secret: SECRET,
    joinUrl: () => 'http://192.0.2.1:3030/vote',
  })
  const httpServer = createServer(app)
  const pollServer = createPollServer(httpServer, { engine, secret: SECRET })
  await listen(httpServer, 0, '127.0.0.1')
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`
  const sockets: TestSocket[] = []
  return {
    url,
    engine,
    store,
    connect(auth: Record<string, unknown>, extra: Parameters<typeof io>[1] = {}): TestSocket {
      const socket: TestSocket = io(url, {
        auth,
        transports: ['websocket'],
        reconnection: false,
        ...extra,
      })
      sockets.push(socket)
      return socket
    },
    async close() {
      for (const socket of sockets) socket.disconnect()
      await new Promise<void>((resolve) => pollServer.close(() => resolve()))
      await store.close()
    },
  }
}

/** Resolves with the next `event` payload that satisfies `match`, or fails after `ms`. */
export function next<E extends keyof ServerToClientEvents>(
  socket: TestSocket,
  event: E,
  match: (...args: Parameters<ServerToClientEvents[E]>) => boolean = () => true,
  ms = 5000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler as never)
      reject(new Error(`No matching "${String(event)}" within ${ms} ms`))
    }, ms)
    const handler = (...args: Parameters<ServerToClientEvents[E]>) => {
      if (!match(...args)) return
      clearTimeout(timer)
      socket.off(event, handler as never)
      resolve(args[0])
    }
    socket.on(event, handler as never)
  })
}

let counter = 0
export const voteId = () => `vote-${Date.now().toString(36)}-${++counter}`
