// What a security reviewer checks from outside, against the kit as `npm start` serves the built
// deck: headers on every kind of response, nothing secret kept by a cache, DNS rebinding refused,
// and presenter sessions that can be signed out from the presenter view.
import { request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { io } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deckOutDir } from '../server/deck.ts'
import { type RunningServer, startKit } from '../server/kit.ts'
import { readSettings } from '../server/settings.ts'
import { closeClients, connect, nextEvent, synced } from './harness/clients.ts'
import { signIn } from './harness/kit.ts'
import { tempDir } from './harness/system.ts'

const SECRET = 'security-secret-Vb3nT7'
let dir: ReturnType<typeof tempDir>
let server: RunningServer
let url: string

beforeAll(async () => {
  dir = tempDir()
  server = await startKit(
    { ...readSettings(['--port', '0', '--host', '127.0.0.1', '--data-dir', dir.path]), secret: SECRET },
    { deckDir: deckOutDir('workshop') },
  )
  url = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`
})

afterAll(async () => {
  closeClients()
  await server?.close()
  dir?.remove()
})

/** A raw request, so any Host header can be sent (fetch always sends the real one). */
function raw(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { headers }, (response) => {
      response.resume()
      const all = new Headers()
      for (const [key, value] of Object.entries(response.headers)) if (value) all.set(key, String(value))
      resolve({ status: response.statusCode ?? 0, headers: all })
    })
    req.on('error', reject)
    req.end()
  })
}

describe('headers', () => {
  const routes: [what: string, path: string, init?: RequestInit][] = [
    ['deck', '/'],
    ['a slide', '/3'],
    ['a built asset', ''],
    ['the phone page', '/vote'],
    ['the presenter link', '/present'],
    ['the presenter view', '/presenter/3'],
    ['the API', '/api/polls'],
    ['health', '/healthz'],
    ['an export', '/api/sessions/current/results.csv', { headers: { Authorization: `Bearer ${SECRET}` } }],
    ['a refused export', '/api/sessions'],
    ['a 404', '/api/nothing'],
    ['a bad address', '/%E0%A4%A'],
    ['the realtime channel', '/socket.io/?EIO=4&transport=polling'],
  ]

  it('are on every kind of response', async () => {
    const index = await (await fetch(`${url}/`)).text()
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(index)?.[1] ?? ''
    expect(asset).not.toBe('')
    for (const [what, path, init] of routes) {
      const response = await fetch(`${url}${path || asset}`, init)
      const header = (name: string) => response.headers.get(name)
      expect(header('x-content-type-options'), what).toBe('nosniff')
      expect(header('referrer-policy'), what).toBe('no-referrer')
      expect(header('cross-origin-resource-policy'), what).toBe('same-origin')
      expect(header('strict-transport-security'), `${what}: HSTS only over HTTPS`).toBeNull()
      if (what === 'the realtime channel') continue // its answers are not pages
      expect(header('cross-origin-opener-policy'), what).toBe('same-origin')
      const policy = header('content-security-policy') ?? ''
      expect(policy, what).toMatch(/default-src '(self|none)'/)
      expect(policy, what).not.toMatch(/unsafe-eval|\*/)
      expect(policy, what).toContain('frame-ancestors')
      expect(header('x-powered-by'), what).toBeNull()
    }
  })

  it('let only the kit load into its pages, and never frame a presenter page', async () => {
    const policy = async (path: string) => (await fetch(`${url}${path}`)).headers.get('content-security-policy') ?? ''
    const deck = await policy('/3')
    expect(deck).toMatch(/script-src 'self' 'sha256-[^']+'(;|$)/) // the deck's one inline script, by hash
    expect(deck).toContain("frame-ancestors 'self'")
    const phone = await policy('/vote')
    expect(phone).toMatch(/default-src 'none'.*script-src 'sha256-[^']+'(;|$)/)
    expect(phone).not.toContain('unsafe-inline')
    for (const path of ['/presenter/3', '/present', '/notes', '/overview']) {
      const response = await fetch(`${url}${path}`)
      expect(response.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'")
      expect(response.headers.get('x-frame-options'), path).toBe('DENY')
    }
  })

  it('keep nothing secret in a cache: no-store on the presenter link, exports and every API answer', async () => {
    const bearer = { headers: { Authorization: `Bearer ${SECRET}` } }
    for (const [path, init] of [
      ['/present', undefined],
      ['/api/sessions', bearer],
      ['/api/sessions/current/results.json', bearer],
      ['/api/sessions/current/results.csv', bearer],
      ['/api/polls/hat-start/history', bearer],
      ['/api/presenter/notes', bearer],
      ['/api/presenter/sessions', bearer],
      ['/api/polls', undefined],
    ] as const) {
      const response = await fetch(`${url}${path}`, init)
      expect(response.status, path).toBe(200)
      expect(response.headers.get('cache-control'), path).toBe('no-store')
    }
  })
})

describe('DNS rebinding', () => {
  it('is refused: a name the server does not know gets no page, no API and no realtime channel', async () => {
    for (const path of ['/', '/vote', '/api/polls', '/present']) {
      const response = await raw(path, { Host: 'rebind.example:3030' })
      expect(response.status, path).toBe(421)
    }
    // Its own names and addresses are fine.
    for (const host of ['localhost', '127.0.0.1', `localhost:${new URL(url).port}`, '[::1]']) {
      expect((await raw('/api/polls', { Host: host })).status, host).toBe(200)
    }
    const port = new URL(url).port
    const rebound = io(url, {
      auth: { role: 'voter', participantId: 'rebinding-page-1' },
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: { host: `rebind.example:${port}`, origin: `http://rebind.example:${port}` },
    })
    const error = await new Promise<Error>((resolve) => rebound.on('connect_error', resolve))
    expect(rebound.connected).toBe(false)
    expect(error.message).toMatch(/websocket error|does not answer/i)
    rebound.close()
  })
})

describe('presenter sessions', () => {
  it('are signed out from the presenter view: every presenter device loses its rights at once', async () => {
    const [first, second] = [
      await signIn(url, await server.presenterLink()),
      await signIn(url, await server.presenterLink()),
    ]
    const laptop = connect(url, { role: 'deck' }, { extraHeaders: { cookie: first } })
    const remote = connect(url, { role: 'deck' }, { extraHeaders: { cookie: second } })
    const [laptopState, remoteState] = await Promise.all([synced(laptop), synced(remote)])
    expect(laptopState.presenter && remoteState.presenter).toBe(true)
    expect(laptopState.presenterSessions?.length).toBe(2)
    expect(laptopState.presenterSessionId).toBe(laptopState.presenterSessions?.[0]?.id)
    const exportWith = (cookie: string) => fetch(`${url}/api/sessions`, { headers: { cookie } }).then((r) => r.status)
    expect(await exportWith(second)).toBe(200)

    const downgraded = nextEvent(remote, 'sync', (state) => !state.presenter)
    expect(await laptop.emitWithAck('presenters', { action: 'sign-out-all' })).toEqual({ ok: true, signedOut: 2 })
    await downgraded
    // Both stay connected as the room's decks: no controls, no held cards, no exports.
    expect(await laptop.emitWithAck('control', { pollId: 'hat-start', action: 'open' })).toEqual({
      ok: false,
      error: 'Only the presenter can do that.',
    })
    expect(await exportWith(first)).toBe(401)
    expect(await exportWith(second)).toBe(401)
    // A new connection with the old cookie is the room's too.
    expect((await synced(connect(url, { role: 'deck' }, { extraHeaders: { cookie: first } }))).presenter).toBe(false)
  })

  it('are refused to a page of another site, and guessing codes is slowed down', async () => {
    const code = new URL(await server.presenterLink()).hash.slice(1)
    const foreign = await fetch(`${url}/api/presenter/sessions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'http://evil.example' },
      body: JSON.stringify({ code }),
    })
    expect(foreign.status).toBe(403)
    const statuses: number[] = []
    for (let i = 0; i < 15; i++) {
      const guess = await fetch(`${url}/api/presenter/sessions`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ code: `guess-number-${i}-xxxxxxxxxxxxxxxx` }),
      })
      statuses.push(guess.status)
    }
    expect(statuses.filter((status) => status === 403).length).toBeLessThanOrEqual(10)
    expect(statuses.at(-1)).toBe(429)
  })
})
