// The phone remote in real Chromium, against the kit as `npm start` serves the workshop deck: the
// laptop's presenter window and audience window in one browser, a phone-sized browser paired by
// reading the QR code off the presenter view's screen. From the phone alone: Next moves both
// windows (the time from tap to the audience window's new slide is printed, not asserted), a poll
// opens and a phone votes, a waiting question is approved onto the slide, and the table timer
// starts on the slide. Every view of the remote passes axe at 320 and 390 px.
//
// REMOTE_SHOTS=/some/dir saves a screenshot of every view there.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM_ARGS, findChromium } from '../handouts/chromium.ts'
import { type DeckInfo, loadDeck } from '../handouts/deck.ts'
import { deckOutDir } from '../server/deck.ts'
import { type RunningServer, startKit } from '../server/kit.ts'
import { readSettings } from '../server/settings.ts'
import { openPresenterLink, settle, slideSelector } from './deck-helpers.ts'
import { axeProblems } from './harness/axe.ts'
import { closeClients, connect, synced } from './harness/clients.ts'
import { readQr } from './harness/qr.ts'
import { tempDir } from './harness/system.ts'

const SECRET = 'remote-browser-secret-Qw7'
const SHOTS = process.env.REMOTE_SHOTS
const PHONE_UA =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36'

let dir: ReturnType<typeof tempDir>
let server: RunningServer
let browser: Browser
let deck: DeckInfo
let laptop: BrowserContext
let presenter: Page
let audience: Page
let phone: BrowserContext
let remote: Page

beforeAll(async () => {
  dir = tempDir()
  server = await startKit(
    { ...readSettings(['--port', '0', '--host', '127.0.0.1', '--data-dir', dir.path]), secret: SECRET },
    { deckDir: deckOutDir('workshop') },
  )
  // The address phones reach: here, the test's own loopback address.
  server.joinUrl = `${server.url}/vote`
  deck = await loadDeck('workshop')
  browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS })
  if (SHOTS) mkdirSync(SHOTS, { recursive: true })
})

afterAll(async () => {
  closeClients()
  await browser?.close()
  await server?.close()
  dir?.remove()
})

/** The slide number and click step a deck window shows, from its address. */
const where = (page: Page) => page.evaluate(() => `${location.pathname}${location.search}`)
const slideOfPage = async (page: Page) => Number(/\/(\d+)(?:\?|$)/.exec(await where(page))?.[1] ?? 0)

/** Moves the deck from the phone's "Go to slide" list. */
async function goTo(no: number): Promise<void> {
  await tab('Slides')
  await remote.getByLabel('Go to slide').selectOption(String(no))
  await settle(audience, no)
}

async function tab(name: string): Promise<void> {
  await remote
    .getByRole('navigation', { name: 'Remote' })
    .getByRole('button', { name: new RegExp(`^${name}( |$)`) })
    .click()
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0

describe('the phone remote', () => {
  it('pairs in one scan of the presenter view, and Next on the phone moves both laptop windows', async () => {
    laptop = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    presenter = await laptop.newPage()
    await openPresenterLink(presenter, server)
    audience = await laptop.newPage()
    await audience.goto(`${server.url}/1`)
    await settle(audience, 1)

    await presenter.bringToFront()
    await presenter.getByRole('button', { name: /^Remote/ }).click()
    const panel = presenter.locator('#remote-pairing-panel')
    await panel.locator('.qr svg').waitFor()
    const box = await panel.boundingBox()
    if (!box) throw new Error('no pairing panel in the presenter view')
    const url = await readQr(laptop, await presenter.screenshot({ clip: box }))
    expect(url).toMatch(new RegExp(`^${server.url}/remote#[A-Za-z0-9_-]{40,}$`))

    phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      userAgent: PHONE_UA,
      isMobile: true,
      hasTouch: true,
    })
    remote = await phone.newPage()
    await remote.goto(url ?? '')
    await expect.poll(() => remote.locator('#conn').textContent()).toBe('Laptop connected')
    // The code is gone from the address bar, and worth nothing now.
    expect(remote.url()).toBe(`${server.url}/remote`)
    await expect.poll(() => panel.getByRole('listitem').first().textContent()).toContain('Chrome on Android')

    // Tap after tap: each waits for the audience window's next slide or step.
    const times: number[] = []
    for (let tap = 0; tap < 50; tap++) {
      const before = await where(audience)
      const start = performance.now()
      await remote.getByRole('button', { name: 'Next', exact: true }).click()
      await audience
        .waitForFunction((earlier) => `${location.pathname}${location.search}` !== earlier, before, {
          polling: 'raf',
          timeout: 10_000,
        })
        .catch(async (error) => {
          console.log('DEBUG', tap, before, await where(presenter), await remote.locator('#view-slides').textContent())
          throw error
        })
      times.push(performance.now() - start)
    }
    const sorted = [...times].sort((a, b) => a - b)
    console.log(
      `Remote tap → audience window's new slide, ${times.length} taps: p50 ${percentile(sorted, 50).toFixed(0)} ms, p99 ${percentile(sorted, 99).toFixed(0)} ms`,
    )
    const no = await slideOfPage(audience)
    expect(no).toBeGreaterThan(5)
    // The presenter window is on the same slide, and both say the phone moved it.
    await expect.poll(() => slideOfPage(presenter)).toBe(no)
    await expect.poll(() => remote.locator('#view-slides').textContent()).toContain('Moved from this phone')
    expect(await remote.locator('#slides-title').textContent()).toBe(deck.slides[no - 1]?.title)

    // The laptop's own keys keep working, and the phone hears of it.
    await presenter.getByRole('button', { name: 'Close' }).click()
    await presenter.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
    await presenter.keyboard.press('ArrowRight')
    await expect.poll(() => remote.locator('#view-slides').textContent()).toContain('Moved on the laptop')
  }, 180_000)

  it('opens the poll on the slide, and the count moves as a phone votes', async () => {
    const slide = deck.slides.find((candidate) => candidate.pollId === 'hat-start')
    if (!slide?.pollId) throw new Error('the workshop has no hat-start poll')
    await goTo(slide.number)
    await tab('Poll')
    await expect.poll(() => remote.locator('#poll-title').textContent()).not.toBe('No poll on this slide')
    await remote.getByRole('button', { name: 'Open', exact: true }).click()
    // Open: the button that closes it takes the place of the one that opened it.
    await remote.getByRole('button', { name: 'Close', exact: true }).waitFor()

    const poll = server.engine.polls.find((candidate) => candidate.id === slide.pollId)
    const voter = connect(server.url, { role: 'voter', participantId: 'remote-test-phone' })
    await synced(voter)
    const vote = await voter.emitWithAck('vote', {
      pollId: slide.pollId,
      answer: poll?.options[0]?.id ?? '',
      voteId: 'remote-test-vote-1',
    })
    expect(vote).toMatchObject({ ok: true })
    await expect.poll(() => remote.locator('#view-poll').textContent()).toContain('1 answered')
    await shoot('poll-open')
  })

  it('approves a waiting question, and it appears on the slide', async () => {
    const laptopSocket = connect(server.url, { role: 'deck', secret: SECRET })
    await synced(laptopSocket)
    await laptopSocket.emitWithAck('approval', { on: true })
    const voter = connect(server.url, { role: 'voter', participantId: 'remote-test-asker' })
    await synced(voter)
    const text = 'How do I switch hats when my team is already mid-sprint?'
    expect((await voter.emitWithAck('post', { text, postId: 'remote-test-q1' })).ok).toBe(true)

    const questions = deck.slides.find((slide) => slide.questions)
    if (!questions) throw new Error('the workshop has no questions slide')
    await goTo(questions.number)
    await tab('Questions')
    const waiting = remote.locator('#view-room li', { hasText: text })
    await waiting.waitFor()
    await shoot('questions-waiting')
    await waiting.getByRole('button', { name: 'Approve' }).click()
    await expect.poll(() => audience.locator(slideSelector(questions.number)).textContent()).toContain(text)
    await laptopSocket.emitWithAck('approval', { on: false })
  })

  it('starts the table timer, and the slide counts down', async () => {
    const practice = deck.slides.find((slide) => slide.layout === 'practice' && slide.floor.minutes)
    if (!practice) throw new Error('the workshop has no practice slide with a timer')
    await goTo(practice.number)
    await tab('Timer')
    const start = remote.getByRole('button', { name: 'Start' })
    await expect.poll(() => start.isEnabled()).toBe(true)
    const digits = audience.locator(`${slideSelector(practice.number)} .focus-timer .digits`)
    const before = await digits.textContent()
    await start.click()
    await expect.poll(() => digits.textContent()).not.toBe(before)
    await expect.poll(() => remote.getByRole('button', { name: 'Pause' }).isEnabled()).toBe(true)
    await shoot('timer-running')
  }, 90_000)

  it('passes axe on every view at 320 and 390 px, and never scrolls sideways', async () => {
    const problems: string[] = []
    for (const width of [320, 390]) {
      await remote.setViewportSize({ width, height: 740 })
      for (const view of ['Slides', 'Time', 'Poll', 'Timer', 'Questions']) {
        await tab(view)
        await remote.locator(`#${view === 'Questions' ? 'room' : view.toLowerCase()}-title`).waitFor()
        problems.push(...(await axeProblems(remote, `${view} at ${width} px`)))
        const sideways = await remote.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
        if (sideways > 1) problems.push(`${view} at ${width} px scrolls sideways by ${sideways} px`)
        await shoot(`${view.toLowerCase()}-${width}`)
      }
    }
    // A phone that is not paired.
    const elsewhere = await browser.newContext({ viewport: { width: 320, height: 640 } })
    const stranger = await elsewhere.newPage()
    await stranger.goto(`${server.url}/remote`)
    await expect.poll(() => stranger.locator('#gate-title').textContent()).toBe('This phone is not paired')
    problems.push(...(await axeProblems(stranger, 'not paired')))
    await elsewhere.close()
    expect(problems).toEqual([])
  })
})

async function shoot(name: string): Promise<void> {
  if (SHOTS) await remote.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })
}
