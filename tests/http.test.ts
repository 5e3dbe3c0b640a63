// The HTTP side: health, results API, phone page, presenter link, and the Origin check.
import { get, type IncomingMessage } from 'node:http'
import { gunzipSync } from 'node:zlib'
import { io } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SECRET, startTestServer } from './harness/kit.ts'
import { tempDir } from './harness/system.ts'

let dir: ReturnType<typeof tempDir>
let server: Awaited<ReturnType<typeof startTestServer>>
beforeAll(async () => {
  dir = tempDir()
  server = await startTestServer({ dataDir: dir.path })
})
afterAll(async () => {
  await server.close()
  dir.remove()
})

describe('results API', () => {
  it('reports health as JSON', async () => {
    const response = await fetch(`${server.url}/healthz`)
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({
      ok: true,
      polls: 1,
      session: { name: 'First session' },
    })
  })

  it('lists polls with their state and counts', async () => {
    const body = await (await fetch(`${server.url}/api/polls`)).json()
    expect(body.polls).toEqual([
      expect.objectContaining({
        id: 'hat',
        question: 'Which hat are you wearing right now?',
        state: 'closed',
        counts: { leading: 0, managing: 0, 'not-sure': 0 },
        total: 0,
      }),
    ])
    const one = await (await fetch(`${server.url}/api/polls/hat`)).json()
    expect(one).toMatchObject({ id: 'hat', state: 'closed', total: 0 })
  })

  it('answers unknown polls and routes with a JSON 404', async () => {
    const missing = await fetch(`${server.url}/api/polls/nope`)
    expect(missing.status).toBe(404)
    expect(await missing.json()).toEqual({ error: 'There is no poll "nope".' })
    const route = await fetch(`${server.url}/api/nothing/here`)
    expect(route.status).toBe(404)
    expect((await route.json()).error).toBeTruthy()
  })
})

// The attendees' page and the facilitator's remote: each is one response a slow phone loads at once.
describe.each(['/vote', '/remote'])('phone page %s', (path) => {
  it('is one gzipped response under 30 KB that carries its own script', async () => {
    // node:http, not fetch: fetch would unzip the body before we could measure it.
    const response = await new Promise<IncomingMessage>((resolve) =>
      get(`${server.url}${path}`, { headers: { 'Accept-Encoding': 'gzip' } }, resolve),
    )
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-encoding']).toBe('gzip')
    const chunks: Buffer[] = []
    for await (const chunk of response) chunks.push(chunk as Buffer)
    const gzipped = Buffer.concat(chunks)
    expect(gzipped.length).toBeLessThan(30 * 1024)
    const html = gunzipSync(gzipped).toString()
    expect(html).not.toMatch(/<script[^>]+src=/) // no second request, no CDN
    expect(html).not.toMatch(/<link[^>]+stylesheet/)
    expect(html).toContain('name="viewport"')
    expect(html).not.toContain(SECRET)
  })
})

describe('presenter link', () => {
  const exchange = (code: string) =>
    fetch(`${server.url}/api/presenter/sessions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code }),
    })

  it('refuses a made-up code, and the old ?key= link does nothing', async () => {
    const response = await exchange('a-made-up-code-that-is-long-enough')
    expect(response.status).toBe(403)
    expect(response.headers.get('set-cookie')).toBeNull()
    expect((await response.json()).error).toMatch(/npm run presenter -- link/)
    // The page at /present takes nothing from the query: the secret in a URL signs no one in.
    const old = await fetch(`${server.url}/present?key=${SECRET}`, { redirect: 'manual' })
    expect(old.status).toBe(200)
    expect(old.headers.get('set-cookie')).toBeNull()
  })

  it('trades a one-time link for an HttpOnly session cookie that makes a deck the presenter, once', async () => {
    const link = await server.presenterLink()
    expect(link).toMatch(/^http:\/\/localhost:\d+\/present#[A-Za-z0-9_-]{40,}$/)
    expect(link).not.toContain(SECRET)
    const code = new URL(link).hash.slice(1)
    const response = await exchange(code)
    expect(response.status).toBe(201)
    const cookie = response.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Strict/i)
    expect(cookie).not.toContain(SECRET)
    const deck = server.connect({ role: 'deck' }, { extraHeaders: { cookie: cookie.split(';')[0] ?? '' } })
    const state = await new Promise<{ presenter: boolean }>((resolve) => deck.on('sync', resolve))
    expect(state.presenter).toBe(true)
    // The same link again: worth nothing.
    expect((await exchange(code)).status).toBe(403)
  })
})

describe('WebSocket origin check', () => {
  it('refuses a page from another site and accepts the same host', async () => {
    const foreign = io(server.url, {
      auth: { role: 'deck' },
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: { origin: 'http://evil.example' },
    })
    const error = await new Promise<Error>((resolve) => foreign.on('connect_error', resolve))
    expect(error.message).toMatch(/websocket error|origin/i)
    foreign.close()

    const host = new URL(server.url).host
    const same = io(server.url, {
      auth: { role: 'deck' },
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: { origin: `http://${host}` },
    })
    await new Promise<void>((resolve, reject) => {
      same.on('connect', resolve)
      same.on('connect_error', reject)
    })
    same.close()
  })
})
