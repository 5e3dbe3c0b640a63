// The kit in this test's own process: a real server on a random loopback port, real SQLite files
// in a temporary folder, the polls the tests share (one of every kind).
import type { AddressInfo } from 'node:net'
import { startKit } from '../../server/kit.ts'
import { type PollDefinition, PollDefinitionSchema } from '../../server/poll-definition.ts'
import type { FollowUp } from '../../server/questionnaire-definition.ts'
import { readSettings, type Settings } from '../../server/settings.ts'
import { connect } from './clients.ts'

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

/** One poll of each of the room's-voice kinds, and a timed one, for tests of questions and cards. */
export const VOICE_POLLS: PollDefinition[] = [
  { id: 'one-line', kind: 'text', question: 'One moment this week to switch hats?', count: 1 },
  { id: 'ideas', kind: 'text', question: 'Ideas for the team?', count: 2, order: 'newest' },
  {
    id: 'hardest',
    kind: 'ranking',
    question: 'Hardest to switch on?',
    options: ['Vision', 'Planning', 'Feedback'],
  },
  {
    id: 'week-map',
    kind: 'matrix',
    question: 'Place these moments of your week',
    items: ['The roadmap', 'A 1:1'],
    x: { label: 'How uncertain?', low: 'Known', high: 'Unknown' },
    y: { label: 'How urgent?', low: 'Can wait', high: 'Due now' },
    quadrants: ['Manager, fast', 'Both hats', 'Routine', 'Leader, slow'],
  },
  { id: 'quick', question: 'Quick: which hat?', options: ['Leader', 'Manager'], timer: 5 },
  { id: 'long', question: 'Take your time: which hat?', options: ['Leader', 'Manager'], timer: 600 },
].map((poll) => PollDefinitionSchema.parse(poll))

/** The kit in this process, as `npm start` assembles it, on a random loopback port. */
export async function startTestServer(options: {
  dataDir: string
  polls?: PollDefinition[]
  followUp?: FollowUp
  resultsPublic?: boolean
  retentionDays?: number
  /** Settings as `npm start` would read them from these environment variables (ROOM_CODE, …). */
  env?: Record<string, string>
}) {
  const settings = {
    ...readSettings(['--port', '0', '--host', '127.0.0.1', '--data-dir', options.dataDir], {
      ...process.env,
      ...options.env,
    }),
    secret: SECRET,
    ...(options.resultsPublic ? { resultsPublic: true } : {}),
    ...(options.retentionDays ? { retentionDays: options.retentionDays } : {}),
  } satisfies Settings
  const server = await startKit(settings, { polls: options.polls ?? [HAT_POLL], followUp: options.followUp })
  server.joinUrl = 'http://192.0.2.1:3030/vote'
  const url = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`
  return {
    url,
    engine: server.engine,
    store: server.store,
    io: server.io,
    presenters: server.presenters,
    /** A new one-time presenter link (on localhost, as `npm start` prints it). */
    presenterLink: () => server.presenterLink(),
    /** Signs in as a browser would with a new presenter link: the presenter session's cookie. */
    signIn: async () => signIn(url, await server.presenterLink()),
    connect: (auth: Record<string, unknown>, extra: Parameters<typeof connect>[2] = {}) => connect(url, auth, extra),
    close: () => server.close(),
  }
}

/**
 * What the presenter link's page does: sends the code from the link's #fragment, and returns the
 * presenter session's cookie (`name=value`) it gets back. `url`: where to send it (the link's own
 * server by default).
 */
export async function signIn(url: string, link: string, headers: Record<string, string> = {}): Promise<string> {
  const code = new URL(link).hash.slice(1)
  const response = await fetch(`${url}/api/presenter/sessions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ code }),
  })
  if (response.status !== 201) throw new Error(`sign-in refused: ${response.status} ${await response.text()}`)
  return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
}
