// The room's own voice on the phone page, in real Chromium against a real server: questions with
// upvotes (and approval first), a timed poll that the server closes, a ranking by taps only,
// the 2×2 by tap and by sliders, and an open answer on the wall with a like.
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM_ARGS, findChromium } from '../handouts/chromium.ts'
import { SECRET, startTestServer, VOICE_POLLS } from './harness/kit.ts'
import { tempDir } from './harness/system.ts'

let dir: ReturnType<typeof tempDir>
let server: Awaited<ReturnType<typeof startTestServer>>
let browser: Browser
const contexts: BrowserContext[] = []

async function phone(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 800 }, isMobile: true, hasTouch: true })
  contexts.push(context)
  const page = await context.newPage()
  await page.goto(`${server.url}/vote`)
  await page.locator('#conn[data-state="online"]').waitFor()
  return page
}

let asker: Page
let voter: Page

beforeAll(async () => {
  dir = tempDir()
  server = await startTestServer({ dataDir: dir.path, polls: VOICE_POLLS })
  browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS })
  asker = await phone()
  voter = await phone()
})
afterAll(async () => {
  for (const context of contexts) await context.close()
  await browser?.close()
  await server?.close()
  dir?.remove()
})

const control = (pollId: string, action: 'open' | 'close') => server.engine.control({ pollId, action })
const status = (page: Page) => page.locator('#status').textContent()
/** The question card whose text is exactly `text`. */
const questionCard = (page: Page, text: string) =>
  page.locator('#ask li').filter({ has: page.locator('.card-text', { hasText: text }) })

async function ask(page: Page, text: string, name = ''): Promise<void> {
  await page.getByRole('textbox', { name: 'Your question' }).fill(text)
  if (name) await page.getByRole('textbox', { name: 'Your name (optional)' }).fill(name)
  await page.getByRole('button', { name: 'Post my question' }).click()
}

describe('questions from the room', () => {
  it('one phone asks, another upvotes and takes it back; markup stays text', async () => {
    const text = 'How do we <b>decide</b> who leads?'
    const box = asker.getByRole('textbox', { name: 'Your question' })
    await box.fill(text)
    expect(await asker.locator('#ask-text-count').textContent()).toBe(`${text.length} / 280`)
    await asker.getByRole('button', { name: 'Post my question' }).click()
    await expect.poll(() => asker.locator('#ask [role="status"]').textContent()).toContain('Sent')
    expect(await box.inputValue()).toBe('')

    const mine = questionCard(asker, text)
    await expect.poll(() => mine.locator('.card-meta').textContent()).toBe('YoursAnonymous')
    const theirs = questionCard(voter, text)
    await theirs.waitFor()
    expect(await theirs.locator('.card-text').textContent()).toBe(text)
    expect(await voter.locator('#ask b').count()).toBe(0)

    const upvote = theirs.getByRole('button', { name: 'Upvote 0' })
    await upvote.click()
    await expect.poll(() => theirs.locator('.up').getAttribute('aria-pressed')).toBe('true')
    await expect.poll(() => mine.locator('.up').textContent()).toBe('Upvote 1')

    await theirs.locator('.up').click() // take it back
    await expect.poll(() => theirs.locator('.up').getAttribute('aria-pressed')).toBe('false')
    await expect.poll(() => mine.locator('.up').textContent()).toBe('Upvote 0')
  })

  it('signed questions show the name, as text', async () => {
    await ask(asker, 'Can a manager lead too?', '<i>Sam</i>')
    const card = questionCard(voter, 'Can a manager lead too?')
    await expect.poll(() => card.locator('.card-meta').textContent()).toBe('<i>Sam</i>')
    expect(await voter.locator('#ask i').count()).toBe(0)
  })

  it('approval first: the author sees it waiting, the others only a count', async () => {
    const deck = server.connect({ role: 'deck', secret: SECRET })
    expect(await deck.timeout(5000).emitWithAck('approval', { on: true })).toEqual({ ok: true })
    const text = 'Is this one held for approval?'
    await ask(asker, text, 'Kim')
    await expect.poll(() => asker.locator('#ask [role="status"]').textContent()).toContain('approves')
    // Its author reads it as they signed it, while the room reads only a count.
    await expect
      .poll(() => questionCard(asker, text).locator('.card-meta').textContent())
      .toBe('YoursWaiting for the facilitatorKim')
    await expect.poll(() => voter.locator('#ask .held').textContent()).toBe('1 waiting for approval')
    expect(await voter.locator('#ask').textContent()).not.toContain(text)

    // Approved: now everyone reads it.
    const card = server.engine.cards('presenter').find((one) => one.text === text)
    expect(card?.status).toBe('waiting')
    expect(await deck.timeout(5000).emitWithAck('moderate', { cardId: card?.id ?? '', action: 'show' })).toEqual({
      ok: true,
    })
    await questionCard(voter, text).waitFor()
    await expect.poll(() => voter.locator('#ask .held').isHidden()).toBe(true)
    await deck.timeout(5000).emitWithAck('approval', { on: false })
    deck.close()
  })

  it('a refusal is said in words', async () => {
    // A few questions a minute: ask until the server says no (the ones above count too).
    const line = asker.locator('#ask [role="status"]')
    for (let i = 0; i < 5 && (await line.getAttribute('data-tone')) !== 'bad'; i++) {
      await ask(asker, `Another question, number ${i + 1}?`)
      await expect.poll(() => line.getAttribute('data-tone')).not.toBe('')
    }
    expect(await line.getAttribute('data-tone')).toBe('bad')
    expect(await line.textContent()).toMatch(/^[A-Z].{10,}/)
    // What was refused stays in the box, to send later.
    expect(await asker.getByRole('textbox', { name: 'Your question' }).inputValue()).toMatch(/^Another question/)
  })
})

describe('the new poll kinds', () => {
  it('a timed poll counts down and shows closed when the server closes it', async () => {
    await control('quick', 'open')
    await expect.poll(() => asker.locator('#question').textContent()).toBe('Quick: which hat?')
    await expect.poll(() => asker.locator('#timer').textContent()).toMatch(/^0:0\d left$/)
    expect(await asker.locator('#timer').getAttribute('role')).toBe('timer')
    // The server closes it at zero; the phone waits for that, whatever its own clock says.
    await asker.locator('#waiting').waitFor({ timeout: 20_000 })
    expect(await asker.locator('#timer').isHidden()).toBe(true)
    expect(server.engine.view('quick')?.state).toBe('closed')
  })

  it('ranking by taps only: place, take one back, send', async () => {
    await control('hardest', 'open')
    await expect.poll(() => asker.locator('#question').textContent()).toBe('Hardest to switch on?')
    const option = (name: string) => asker.locator('#options button', { hasText: name })
    const send = asker.getByRole('button', { name: /^Place|^Send my order/ })
    expect(await send.textContent()).toBe('Place 3 more')
    await option('Feedback').click()
    await option('Vision').click()
    await option('Planning').click()
    expect(await option('Planning').locator('.place').textContent()).toBe('3')
    await option('Vision').click() // taken back: Planning moves up
    expect(await option('Planning').locator('.place').textContent()).toBe('2')
    expect(await option('Vision').getAttribute('aria-pressed')).toBe('false')
    await option('Vision').click()
    expect(await send.textContent()).toBe('Send my order')
    await send.click()
    await expect.poll(() => status(asker)).toContain('Your order counted')
    expect(server.engine.tally('hardest')?.counts).toMatchObject({ 'feedback@1': 1, 'planning@2': 1, 'vision@3': 1 })
    await control('hardest', 'close')
  })

  it('the 2×2: one item by a tap on the grid, the other by the sliders', async () => {
    await control('week-map', 'open')
    await expect.poll(() => asker.locator('#question').textContent()).toBe('Place these moments of your week')
    const grid = asker.locator('#options .grid')
    const box = await grid.boundingBox()
    if (!box) throw new Error('no grid')
    // Top right of the grid: uncertain and urgent.
    await grid.click({ position: { x: box.width * 0.8, y: box.height * 0.2 } })
    expect(await asker.locator('#options .chips button').first().textContent()).toContain('8, 8')
    // The tap moved on to the next item; place it with the sliders, as a keyboard would.
    expect(await asker.locator('#options legend').textContent()).toBe('Placing: A 1:1')
    await asker.getByRole('slider', { name: /How uncertain/ }).fill('2')
    await asker.getByRole('slider', { name: /How urgent/ }).fill('3')
    await asker.getByRole('button', { name: 'Send my places' }).click()
    await expect.poll(() => status(asker)).toContain('Your places counted')
    expect(server.engine.tally('week-map')?.counts).toMatchObject({ 'the-roadmap@8,8': 1, 'a-1-1@2,3': 1 })
    await control('week-map', 'close')
  })

  it('an open answer goes on the wall, another phone likes it', async () => {
    await control('one-line', 'open')
    await expect.poll(() => asker.locator('#question').textContent()).toBe('One moment this week to switch hats?')
    const text = 'Ask the team what is <em>unclear</em>'
    await asker.getByRole('textbox', { name: 'Your answer' }).fill(text)
    await asker.getByRole('button', { name: 'Post my answer' }).click()
    const mine = asker.locator('#wall li', { hasText: text })
    await expect.poll(() => mine.locator('.card-meta').textContent()).toBe('Yours')
    // One answer allowed: the box makes way for a line that says so.
    expect(await asker.getByRole('textbox', { name: 'Your answer' }).isHidden()).toBe(true)

    await expect.poll(() => voter.locator('#question').textContent()).toBe('One moment this week to switch hats?')
    const theirs = voter.locator('#wall li', { hasText: text })
    expect(await theirs.locator('.card-text').textContent()).toBe(text)
    expect(await voter.locator('#wall em').count()).toBe(0)
    await theirs.getByRole('button', { name: 'Like 0' }).click()
    await expect.poll(() => mine.locator('.up').textContent()).toBe('Like 1')
    await control('one-line', 'close')
  })
})
