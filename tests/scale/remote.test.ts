// The phone remote across processes on one Redis: the laptop's presenter window on process A, a
// phone paired with a code made on A and redeemed on B, connected to B. The phone's moves reach
// the window on A, every presenter device on either process hears where the deck went, and
// signing the phone out on A refuses it on B at once. The window here speaks the presenter
// window's side of the protocol (components/useStage.ts: carry out the move, report where it
// went); tests/remote-browser.test.ts runs the real deck in Chromium.
import { describe, expect, it } from 'vitest'
import type { Move, StageReport } from '../../server/protocol.ts'
import { connect, nextEvent, synced } from '../harness/clients.ts'
import { startServerProcess } from '../harness/server-process.ts'
import { newPresenterLink, redisPerTest } from './cluster.ts'

const SECRET = 'remote-across-processes'
const cluster = redisPerTest(SECRET)

/** What the presenter link's page (and the remote's page) does with the code from its #fragment. */
async function signIn(url: string, code: string): Promise<string> {
  const response = await fetch(`${url}/api/presenter/sessions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'User-Agent': 'Mozilla/5.0 (Linux; Android 14) Chrome/131.0' },
    body: JSON.stringify({ code }),
  })
  expect(response.status).toBe(201)
  return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
}

const report = (slide: number, move?: Move): StageReport => ({
  slide,
  clicks: 0,
  clicksTotal: 0,
  slides: 39,
  clock: { status: 'stopped', elapsedMs: 0 },
  timers: [],
  ...(move ? { move: move.id, by: move.by } : {}),
})

describe('the phone remote on several processes', () => {
  it('on process B drives the presenter window on process A, and is signed out on both at once', async () => {
    const [a, b] = await Promise.all([1, 2].map(() => startServerProcess(cluster.env())))
    if (!a || !b) throw new Error('two processes')
    const laptop = await signIn(a.url, new URL(newPresenterLink(cluster.redis.url)).hash.slice(1))

    // The presenter view on A makes a pairing code; the phone, on B's address, redeems it.
    const pairing = await fetch(`${a.url}/api/presenter/pairing`, { method: 'POST', headers: { cookie: laptop } })
    expect(pairing.status).toBe(201)
    const { url } = (await pairing.json()) as { url: string }
    const phoneCookie = await signIn(b.url, new URL(url).hash.slice(1))

    const window = connect(a.url, { role: 'deck' }, { extraHeaders: { cookie: laptop } })
    const phone = connect(b.url, { role: 'deck' }, { extraHeaders: { cookie: phoneCookie } })
    const laptopOnB = connect(b.url, { role: 'deck' }, { extraHeaders: { cookie: laptop } })
    const [, phoneState] = await Promise.all([synced(window), synced(phone), synced(laptopOnB)])
    expect(phoneState.presenter).toBe(true)

    let slide = 1
    window.on('move', (move) => {
      if (move.action === 'next') slide += 1
      void window.emitWithAck('stage', report(slide, move))
    })
    const ready = nextEvent(phone, 'stage', (stage) => stage.windows === 1 && stage.at?.slide === 1, 10_000)
    expect(await window.emitWithAck('stage', report(1))).toEqual({ ok: true })
    await ready

    for (const next of [2, 3, 4]) {
      const onPhone = nextEvent(phone, 'stage', (stage) => stage.at?.slide === next, 10_000)
      const onLaptop = nextEvent(laptopOnB, 'stage', (stage) => stage.at?.slide === next, 10_000)
      const asked = await phone.emitWithAck('move', { action: 'next' })
      expect(asked).toMatchObject({ ok: true })
      const [stage] = await Promise.all([onPhone, onLaptop])
      expect(stage).toMatchObject({ by: 'Chrome on Android', windows: 1 })
      expect(asked.ok && stage.move === asked.id).toBe(true)
    }

    // Signed out from the presenter view on A: the phone on B is refused at once.
    const downgraded = nextEvent(phone, 'sync', (state) => !state.presenter, 10_000)
    expect(
      await window.emitWithAck('presenters', { action: 'sign-out', id: phoneState.presenterSessionId ?? '' }),
    ).toEqual({ ok: true, signedOut: 1 })
    await downgraded
    expect(await phone.emitWithAck('move', { action: 'next' })).toEqual({
      ok: false,
      error: 'Only the presenter can do that.',
    })

    // The window on A closes: B counts no presenter window left.
    const gone = nextEvent(laptopOnB, 'stage', (stage) => stage.windows === 0, 10_000)
    window.disconnect()
    await gone
  }, 120_000)
})
