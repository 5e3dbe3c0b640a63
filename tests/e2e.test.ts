// End to end in real Chromium: a phone-sized page votes on /vote, and the deck's poll slide,
// open in another page of the same running kit, shows the new count.
import { join } from 'node:path'
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM_ARGS, findChromium } from '../handouts/chromium.ts'
import { buildDeck, deckIsStale, deckOutDir } from '../server/deck.ts'
import { type RunningServer, startKit } from '../server/kit.ts'
import { readSettings, SLIDES_DIR } from '../server/settings.ts'
import { openPresenterLink, slideNumberOfPoll } from './deck-helpers.ts'
import { tempDir } from './harness/system.ts'

const SECRET = 'e2e-presenter-secret'
let dir: ReturnType<typeof tempDir>
let server: RunningServer
let browser: Browser
let pollSlide: number

beforeAll(async () => {
  if (deckIsStale('workshop')) await buildDeck('workshop')
  pollSlide = await slideNumberOfPoll(join(SLIDES_DIR, 'workshop.md'), 'hat-start')
  dir = tempDir()
  const settings = {
    ...readSettings(['--port', '0', '--host', '127.0.0.1', '--data-dir', dir.path]),
    secret: SECRET,
  }
  server = await startKit(settings, { deckDir: deckOutDir('workshop') })
  browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS })
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
  dir?.remove()
})

describe('the live poll loop in a browser', () => {
  it('a phone votes and the poll slide shows it', async () => {
    // The facilitator: presenter link, then the poll slide in presenter mode, then "Open voting".
    const presenter = await browser.newPage({ viewport: { width: 1400, height: 900 } })
    await openPresenterLink(presenter, server)
    await presenter.goto(`${server.url}/presenter/${pollSlide}`)
    const controls = presenter.locator('[data-poll-controls="hat-start"]') // under the slide, in the presenter pane
    await controls.getByText('Voting closed').waitFor({ timeout: 15_000 }) // connected and in sync
    await controls.getByRole('button', { name: 'Open voting' }).click()
    await controls.getByText('Voting open').waitFor({ timeout: 5_000 })

    // The projector: the same slide in the audience view.
    const projector = await browser.newPage({ viewport: { width: 1280, height: 720 } })
    await projector.goto(`${server.url}/${pollSlide}`)
    // Before the first answer the bars are empty and carry no numbers.
    const results = projector.locator('[data-poll="hat-start"]')
    await expect.poll(() => results.getAttribute('data-total'), { timeout: 15_000 }).toBe('0')
    const leading = results.locator('li').first()
    expect(await leading.locator('.poll-count').count()).toBe(0)
    const label = (await leading.locator('.poll-label').textContent())?.trim() ?? ''

    // The attendee: a 360 px phone with no presenter cookie.
    const phone = await browser.newContext({
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
    })
    const page = await phone.newPage()
    await page.goto(server.joinUrl.replace(/^http:\/\/[^/]+/, server.url))
    await expect.poll(() => page.locator('#conn').getAttribute('data-state'), { timeout: 10_000 }).toBe('online')
    const option = page.getByRole('button', { name: label, exact: true })
    await option.click()
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 10_000 }).toContain('Your vote counted')
    expect(await option.getAttribute('aria-pressed')).toBe('true')
    const box = await option.boundingBox()
    expect(box?.height).toBeGreaterThanOrEqual(48) // thumb-sized
    expect(box?.width).toBeLessThanOrEqual(360)

    await expect.poll(() => leading.locator('.poll-count').textContent(), { timeout: 5_000 }).toBe('1')
    expect(server.engine.tally('hat-start')?.total).toBe(1)
    await phone.close()
  })
})
