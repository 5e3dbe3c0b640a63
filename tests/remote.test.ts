// The phone remote from outside, without a browser: pairing (one-time, short-lived codes, made
// by a presenter session and ending with it), what a device without a session gets (nothing
// presenter-only), and the stage: a presenter window reports where it stands, a remote's move
// reaches it, and every presenter device hears the result. The browser test (remote-browser)
// runs the same with the real deck and the real page.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { PAIRING_LIFETIME_MS } from '../server/presenter-sessions.ts'
import type { StageReport } from '../server/protocol.ts'
import type { RunSheet } from '../server/run-sheet.ts'
import { type Client, closeClients, nextEvent, synced } from './harness/clients.ts'
import { SECRET, startTestServer } from './harness/kit.ts'
import { tempDir } from './harness/system.ts'

let dir: ReturnType<typeof tempDir>
let server: Awaited<ReturnType<typeof startTestServer>>
/** The laptop's presenter session (one sign-in: the kit allows an address only a few codes a minute). */
let laptopCookie: string

beforeAll(async () => {
  dir = tempDir()
  server = await startTestServer({ dataDir: dir.path })
  laptopCookie = await server.signIn()
})

afterEach(() => {
  vi.useRealTimers()
  closeClients()
})

afterAll(async () => {
  await server?.close()
  dir?.remove()
})

const PHONE =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36'

/** The presenter view asks for a pairing code: the URL its QR code holds. */
async function pairingUrl(cookie: string): Promise<string> {
  const response = await fetch(`${server.url}/api/presenter/pairing`, { method: 'POST', headers: { cookie } })
  expect(response.status).toBe(201)
  return ((await response.json()) as { url: string }).url
}

/** What the remote's page does with the code in its #fragment; the response and its cookie. */
async function redeem(url: string): Promise<{ status: number; cookie: string; body: Record<string, unknown> }> {
  const response = await fetch(`${server.url}/api/presenter/sessions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'User-Agent': PHONE },
    body: JSON.stringify({ code: new URL(url).hash.slice(1) }),
  })
  return {
    status: response.status,
    cookie: (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '',
    body: (await response.json()) as Record<string, unknown>,
  }
}

async function pairedPhone(laptopCookie: string): Promise<string> {
  const { status, cookie } = await redeem(await pairingUrl(laptopCookie))
  expect(status).toBe(201)
  return cookie
}

const report = (slide: number, extra: Partial<StageReport> = {}): StageReport => ({
  slide,
  clicks: 0,
  clicksTotal: 2,
  slides: 39,
  clock: { status: 'running', elapsedMs: 60_000 },
  timers: [],
  ...extra,
})

const deck = (cookie?: string): Client => server.connect({ role: 'deck' }, cookie ? { extraHeaders: { cookie } } : {})

describe('pairing a phone', () => {
  it('works once, through a code made by the presenter session that the phone then ends with', async () => {
    const laptop = await server.signIn()
    const url = await pairingUrl(laptop)
    // On the address phones reach (the join address's host), never the laptop's localhost.
    expect(url).toMatch(/^http:\/\/192\.0\.2\.1:3030\/remote#[A-Za-z0-9_-]{40,}$/)
    const first = await redeem(url)
    expect(first.status).toBe(201)
    const laptopId = server.presenters.list().find((session) => session.kind === 'link')?.id
    expect(first.body.session).toMatchObject({ kind: 'paired', label: 'Chrome on Android' })
    const paired = server.presenters.list().find((session) => session.kind === 'paired')
    expect(paired?.createdBy).toBeTruthy()
    expect(server.presenters.list().some((session) => session.id === paired?.createdBy)).toBe(true)
    expect(laptopId).toBeTruthy()
    // The same code again, from this phone or any other: refused.
    expect((await redeem(url)).status).toBe(403)

    // Signing out the laptop's session signs out the phone it paired.
    await server.presenters.revoke([paired?.createdBy ?? ''])
    const runSheet = await fetch(`${server.url}/api/presenter/run-sheet`, { headers: { cookie: first.cookie } })
    expect(runSheet.status).toBe(401)
  })

  it('needs a presenter session: not the secret alone, not the room, not another site', async () => {
    const ask = (headers: Record<string, string>) =>
      fetch(`${server.url}/api/presenter/pairing`, { method: 'POST', headers }).then((response) => response.status)
    expect(await ask({})).toBe(401)
    expect(await ask({ Authorization: `Bearer ${SECRET}` })).toBe(401)
    expect(await ask({ cookie: laptopCookie, Origin: 'http://evil.example' })).toBe(403)
  })

  it('is signed out from the presenter view, and the phone loses its rights at once', async () => {
    const phoneCookie = await pairedPhone(laptopCookie)
    const laptop = deck(laptopCookie)
    const phone = deck(phoneCookie)
    const [, phoneState] = await Promise.all([synced(laptop), synced(phone)])
    expect(phoneState.presenter).toBe(true)
    const phoneId = phoneState.presenterSessionId ?? ''
    const downgraded = nextEvent(phone, 'sync', (state) => !state.presenter)
    expect(await laptop.emitWithAck('presenters', { action: 'sign-out', id: phoneId })).toEqual({
      ok: true,
      signedOut: 1,
    })
    await downgraded
    expect(await phone.emitWithAck('move', { action: 'next' })).toEqual({
      ok: false,
      error: 'Only the presenter can do that.',
    })
    expect(await phone.emitWithAck('control', { pollId: 'hat-start', action: 'open' })).toMatchObject({ ok: false })
    const notes = await fetch(`${server.url}/api/presenter/notes`, { headers: { cookie: phoneCookie } })
    expect(notes.status).toBe(401)
  })
})

describe('a remote without a session', () => {
  it('gets the page, which no other page may frame, and nothing presenter-only', async () => {
    const page = await fetch(`${server.url}/remote`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(page.headers.get('x-frame-options')).toBe('DENY')
    const html = await page.text()
    expect(html).toContain('Use your phone as a remote')
    for (const path of ['/api/presenter/run-sheet', '/api/presenter/notes']) {
      expect((await fetch(`${server.url}${path}`)).status).toBe(401)
    }
    const stranger = deck()
    const state = await synced(stranger)
    expect(state.presenter).toBe(false)
    expect(state.stage).toBeUndefined()
    expect(await stranger.emitWithAck('move', { action: 'next' })).toMatchObject({ ok: false })
    expect(await stranger.emitWithAck('stage', report(3))).toMatchObject({ ok: false })
  })

  it('gets a reason for a malformed move or report', async () => {
    const window = deck(laptopCookie)
    await synced(window)
    expect(await window.emitWithAck('move', { action: 'jump' } as never)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^Invalid message/),
    })
    expect(await window.emitWithAck('stage', { ...report(1), slide: -1 })).toMatchObject({ ok: false })
  })
})

describe('the stage', () => {
  it('carries a move from a phone to the presenter window, and tells every presenter device where it went', async () => {
    const window = deck(laptopCookie)
    const phone = deck(await pairedPhone(laptopCookie))
    await Promise.all([synced(window), synced(phone)])

    // No presenter window has reported yet (or it has gone): a move says so.
    const ready = nextEvent(phone, 'stage', (stage) => stage.windows === 1 && stage.at?.slide === 4)
    expect(await window.emitWithAck('stage', report(4))).toEqual({ ok: true })
    expect((await ready).by).toBe('the laptop')

    const asked = nextEvent(window, 'move')
    const result = await phone.emitWithAck('move', { action: 'next' })
    expect(result).toMatchObject({ ok: true, id: expect.any(String) })
    const move = await asked
    expect(move).toMatchObject({ action: 'next', by: 'Chrome on Android' })
    expect(result.ok && move.id === result.id).toBe(true)

    const moved = nextEvent(phone, 'stage', (stage) => stage.at?.clicks === 1)
    await window.emitWithAck('stage', report(4, { clicks: 1, move: move.id, by: move.by }))
    expect(await moved).toMatchObject({ by: 'Chrome on Android', move: move.id, windows: 1 })

    const gone = nextEvent(phone, 'stage', (stage) => stage.windows === 0)
    window.disconnect()
    await gone
    expect(await phone.emitWithAck('move', { action: 'next' })).toEqual({
      ok: false,
      error: 'The laptop’s presenter window is not connected: open the presenter view on the laptop.',
    })
  })

  it('shows the deck to a paired phone: titles, notes, planned times and the agenda’s cut cues', async () => {
    const phoneCookie = await pairedPhone(laptopCookie)
    const response = await fetch(`${server.url}/api/presenter/run-sheet`, { headers: { cookie: phoneCookie } })
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const sheet = (await response.json()) as RunSheet
    expect(sheet.slides.length).toBeGreaterThan(20)
    expect(sheet.slides[0]?.title).toBe('Management vs Leadership')
    expect(sheet.slides[1]?.notes).toMatch(/<p>/)
    expect(sheet.slides.filter((slide) => slide.pollId).length).toBeGreaterThan(3)
    expect(sheet.blocks.length).toBeGreaterThan(3)
    expect(sheet.blocks[0]).toMatchObject({ from: 1, startsAt: 0 })
    expect(sheet.blocks.flatMap((block) => block.cuts).length).toBeGreaterThan(2)
  })
})

// Last: it moves this process's clock on (the per-address limits would see time go backwards after).
describe('a pairing code', () => {
  it('expires after a few minutes unused', async () => {
    const url = await pairingUrl(laptopCookie)
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + PAIRING_LIFETIME_MS + 1000 })
    expect((await redeem(url)).status).toBe(403)
  })
})
