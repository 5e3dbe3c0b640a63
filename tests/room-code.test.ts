// The optional room code (ROOM_CODE): phones give it (the QR code carries it, or they type it),
// the room's data needs it, the presenter needs none, and guessing it is slowed down per address.
import { join } from 'node:path'
import { type Browser, chromium } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM_ARGS, findChromium } from '../handouts/chromium.ts'
import { deckOutDir } from '../server/deck.ts'
import { startKit } from '../server/kit.ts'
import { roomCodeFrom } from '../server/room-code.ts'
import { readSettings, SLIDES_DIR } from '../server/settings.ts'
import { openPresenterLink, settle, slideNumberWith, slideSelector } from './deck-helpers.ts'
import { closeClients, synced } from './harness/clients.ts'
import { SECRET, startTestServer } from './harness/kit.ts'
import { readQr } from './harness/qr.ts'
import { tempDir } from './harness/system.ts'

const CODE = '482915'
let dir: ReturnType<typeof tempDir>
let server: Awaited<ReturnType<typeof startTestServer>>
beforeAll(async () => {
  dir = tempDir()
  // A small room behind one address: 20 wrong codes before it must wait.
  server = await startTestServer({ dataDir: dir.path, env: { ROOM_CODE: CODE, PHONES_PER_ADDRESS: '40' } })
})
afterAll(async () => {
  await server?.close()
  dir?.remove()
})
afterEach(() => closeClients())

/** How a connection ends: connected, or refused with the reason and what the phone page should ask. */
function attemptOn(
  auth: Record<string, unknown>,
  on: { connect: typeof server.connect },
): Promise<{ connected: boolean; message?: string; room?: string }> {
  const client = on.connect(auth)
  return new Promise((resolve) => {
    client.once('connect', () => resolve({ connected: true }))
    client.once('connect_error', (error) =>
      resolve({ connected: false, message: error.message, room: (error as { data?: { room?: string } }).data?.room }),
    )
  })
}

const attempt = (auth: Record<string, unknown>) => attemptOn(auth, server)

describe('the room code', () => {
  it('is made from the secret with ROOM_CODE=auto, the same in every process, or taken as given', () => {
    const auto = roomCodeFrom('auto', 'one-secret-for-all-processes')
    expect(auto).toMatch(/^\d{6}$/)
    expect(roomCodeFrom('auto', 'one-secret-for-all-processes')).toBe(auto)
    expect(roomCodeFrom('auto', 'another-secret-entirely')).not.toBe(auto)
    expect(roomCodeFrom('ab-12 cd', 'x')).toBe('AB12CD')
    expect(roomCodeFrom('no', 'x')).toEqual({ error: expect.stringContaining('ROOM_CODE must be auto') })
    expect(roomCodeFrom(undefined, 'x')).toBeUndefined()
  })

  it('lets in a phone with the code (as typed: spaces and case do not matter), and asks the others for it', async () => {
    expect(await attempt({ role: 'voter', participantId: 'no-code-phone' })).toEqual({
      connected: false,
      message: 'This session needs the room code shown on the screen.',
      room: 'needed',
    })
    expect(await attempt({ role: 'voter', participantId: 'wrong-code-1', room: '111111' })).toMatchObject({
      connected: false,
      room: 'wrong',
    })
    expect(await attempt({ role: 'voter', participantId: 'typed-phone', room: ' 482 915 ' })).toEqual({
      connected: true,
    })
    // A deck that is not the presenter's needs it too; the presenter needs none.
    expect(await attempt({ role: 'deck' })).toMatchObject({ connected: false, room: 'needed' })
    expect((await synced(server.connect({ role: 'deck', secret: SECRET }))).presenter).toBe(true)
    expect(
      (await synced(server.connect({ role: 'deck' }, { extraHeaders: { cookie: await server.signIn() } }))).presenter,
    ).toBe(true)
  })

  it("guards the room's data over HTTP, and gives the projector the code inside the join address", async () => {
    const polls = await fetch(`${server.url}/api/polls`)
    expect(polls.status).toBe(403)
    expect(await polls.json()).toEqual({
      error: 'This session needs the room code shown on the screen.',
      room: 'needed',
    })
    expect((await fetch(`${server.url}/api/cards`)).status).toBe(403)
    expect((await fetch(`${server.url}/api/polls/hat`, { headers: { 'X-Room-Code': CODE } })).status).toBe(200)
    const health = await (await fetch(`${server.url}/healthz`)).json()
    expect(health.ok).toBe(true)
    expect(health.session).toBeUndefined() // the session's name is the room's business
    expect(await (await fetch(`${server.url}/api/join`)).json()).toEqual({
      url: 'http://192.0.2.1:3030/vote',
      roomCode: true,
    })
    const projector = await fetch(`${server.url}/api/join`, { headers: { cookie: await server.signIn() } })
    expect(await projector.json()).toEqual({ url: `http://192.0.2.1:3030/vote?room=${CODE}`, roomCode: '482 915' })
  })

  it('slows down guessing: after the address’s wrong codes, no new phone from it comes in for a while', async () => {
    // A server of its own: the other tests here come from the same address.
    const own = tempDir()
    const guessed = await startTestServer({ dataDir: own.path, env: { ROOM_CODE: CODE, PHONES_PER_ADDRESS: '40' } })
    const attempt = (auth: Record<string, unknown>) => attemptOn(auth, guessed)
    try {
      const member = { role: 'voter', participantId: 'in-before-the-guessing', room: CODE }
      expect(await attempt(member)).toEqual({ connected: true })
      closeClients()
      let wrong = 0
      for (let guess = 100000; guess < 100060; guess++) {
        const result = await attempt({ role: 'voter', participantId: `guesser-${guess}`, room: String(guess) })
        expect(result.connected).toBe(false)
        if (result.room === 'wait') break
        wrong++
      }
      // The address's budget (20 for a room of 40, and one every two seconds), then a wait.
      expect(wrong).toBeGreaterThanOrEqual(20)
      expect(wrong).toBeLessThan(25)
      // Meanwhile the right code does not let a new phone in (or guessing would go on)…
      expect(await attempt({ role: 'voter', participantId: 'new-while-guessed', room: CODE })).toMatchObject({
        connected: false,
        room: 'wait',
      })
      // …but a phone that was in before comes back in.
      expect(await attempt(member)).toEqual({ connected: true })
    } finally {
      await guessed.close()
      own.remove()
    }
  })
})

describe('the phone page with a room code', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS })
  })
  afterAll(() => browser?.close())

  it('joins at once from the QR code, asks for the code when typed, and keeps it', async () => {
    const fromQr = await browser.newPage({ viewport: { width: 360, height: 740 } })
    await fromQr.goto(`${server.url}/vote?room=${CODE}`)
    await fromQr.locator('#conn[data-state="online"]').waitFor()
    expect(await fromQr.locator('#room').isHidden()).toBe(true)

    const typed = await browser.newPage({ viewport: { width: 360, height: 740 } })
    await typed.goto(`${server.url}/vote`)
    await typed.getByLabel('Shown on the screen').waitFor()
    await typed.getByLabel('Shown on the screen').fill('123 456')
    await typed.getByRole('button', { name: 'Join' }).click()
    await expect.poll(() => typed.locator('#room-status').textContent()).toMatch(/not right/)
    await typed.getByLabel('Shown on the screen').fill('482 915')
    await typed.getByRole('button', { name: 'Join' }).click()
    await typed.locator('#conn[data-state="online"]').waitFor()
    expect(await typed.locator('#room').isHidden()).toBe(true)
    expect(await typed.locator('#waiting').isVisible()).toBe(true)
    // The next visit needs no typing.
    await typed.reload()
    await typed.locator('#conn[data-state="online"]').waitFor()
    expect(await typed.locator('#room').isHidden()).toBe(true)
  })

  it('the join slide on the projector shows the code, and its QR code carries it', async () => {
    const own = tempDir()
    const kit = await startKit(
      {
        ...readSettings(['--port', '0', '--host', '127.0.0.1', '--data-dir', own.path], { ROOM_CODE: CODE }),
        secret: SECRET,
      },
      { deckDir: deckOutDir('workshop') },
    )
    try {
      const joinSlide = await slideNumberWith(join(SLIDES_DIR, 'workshop.md'), '<JoinQr')
      // The projector window is in the presenter's browser: the room code comes with the session.
      const context = await browser.newContext({ viewport: { width: 1280, height: 720 } })
      // (The sign-in page ends on the presenter view: closed, so it does not steer the projector.)
      const login = await context.newPage()
      await openPresenterLink(login, kit)
      await login.close()
      const projector = await context.newPage()
      await projector.goto(`${kit.url}/${joinSlide}`)
      await settle(projector, joinSlide)
      // Slidev keeps neighbouring slides mounted, hidden: the join slide on screen is this one.
      const onScreen = projector.locator(slideSelector(joinSlide))
      expect(await onScreen.getByTestId('join-code').textContent()).toBe('Room code 482 915')
      const box = await onScreen.locator('.join-qr').boundingBox()
      if (!box) throw new Error('no QR code on the join slide')
      const decoded = await readQr(context, await projector.screenshot({ clip: box }))
      expect(decoded).toBe(`${kit.joinUrl}?room=${CODE}`)
      await context.close()
    } finally {
      await kit.close()
      own.remove()
    }
  }, 60_000)
})
