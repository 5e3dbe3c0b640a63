// A questionnaire on the phone page in real Chromium at 360 px: found on the waiting screen,
// answered one question at a time with Back and Next, left and finished later, carried to
// another device with the personal code, opened from a follow-up link for an earlier session,
// set aside while a live poll is open; then the attendee deletes their data. Photographs of
// each screen go to test-results/questionnaire/.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM_ARGS, findChromium } from '../handouts/chromium.ts'
import { ROOT } from '../server/settings.ts'
import { FOLLOW_UP, JOURNEY_POLLS } from './harness/follow-up.ts'
import { startTestServer } from './harness/kit.ts'
import { tempDir } from './harness/system.ts'

const SHOTS = join(ROOT, 'test-results', 'questionnaire')

let dir: ReturnType<typeof tempDir>
let server: Awaited<ReturnType<typeof startTestServer>>
let browser: Browser

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  dir = tempDir()
  server = await startTestServer({ dataDir: dir.path, polls: JOURNEY_POLLS, followUp: FOLLOW_UP })
  browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS })
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
  dir?.remove()
})

const device = () => browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true })
async function open(context: BrowserContext, path = '/vote'): Promise<Page> {
  const page = await context.newPage()
  await page.goto(`${server.url}${path}`)
  await page.locator('#conn[data-state="online"]').waitFor()
  return page
}
const idOf = (page: Page) => page.evaluate(() => localStorage.getItem('workshop.participant') as string)
const question = (page: Page) => page.locator('#question').textContent()
const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })

describe('a questionnaire on the phone', () => {
  let laptop: BrowserContext
  let code = ''

  it('is offered while open, answered at the phone’s pace with Back and Next, left and finished', async () => {
    await server.engine.changeWindow({ questionnaireId: 'pre-work', action: 'open' })
    laptop = await device()
    let page = await open(laptop)
    const offer = () => page.locator('#qlist .card').textContent()
    await expect.poll(offer).toContain('Before the workshop: your week3 questions · 0 answered')
    await shot(page, '1-offered')
    await page.getByRole('button', { name: 'Start' }).click()
    await expect.poll(() => question(page)).toBe('Day 1: which hat?')
    expect(await page.locator('#hint').textContent()).toBe('Before the workshop · 1 of 3')
    expect(await page.getByRole('button', { name: 'Back' }).isDisabled()).toBe(true)
    await shot(page, '2-first-question')
    await page.getByRole('button', { name: 'Leader hat' }).click()
    // One tap saves and moves on; Back shows the answer given.
    await expect.poll(() => question(page)).toBe('Day 2: which hat?')
    expect(await page.locator('#announce').textContent()).toBe('Saved.')
    await page.getByRole('button', { name: 'Back' }).click()
    await expect.poll(() => page.getByRole('button', { name: 'Leader hat' }).getAttribute('aria-pressed')).toBe('true')
    expect(await page.getByRole('button', { name: 'Next' }).isVisible()).toBe(true)
    await page.getByRole('button', { name: 'Next' }).click()
    await expect.poll(() => question(page)).toBe('Day 2: which hat?')
    expect(await page.getByRole('button', { name: 'Skip' }).isVisible()).toBe(true)

    // Leaves, and comes back later: the page picks up at the first question not answered.
    await page.close()
    page = await open(laptop)
    await expect.poll(offer).toContain('3 questions · 1 answered')
    await page.getByRole('button', { name: 'Continue' }).click()
    await expect.poll(() => question(page)).toBe('Day 2: which hat?')
    await page.getByRole('button', { name: 'Both' }).click()
    await expect.poll(() => question(page)).toBe('One moment to bring')
    await page.getByRole('textbox', { name: 'Your answer' }).fill('The Monday planning, <b>again</b>')
    await shot(page, '3-open-text')
    await page.getByRole('button', { name: 'Save' }).click()
    await expect.poll(() => page.locator('#qdone h2').textContent()).toBe('Done, thank you.')
    code = (await page.locator('#qdone .code').textContent()) as string
    expect(code).toMatch(/^[2-9A-Z]{5}-[2-9A-Z]{5}$/)
    expect(code.replace('-', '').toLowerCase()).toBe(await idOf(page))
    await shot(page, '4-done')
    const id = await idOf(page)
    expect(server.engine.answersOf(id)).toEqual({
      'pre-work/day-1': ['leader-hat'],
      'pre-work/day-2': ['both'],
      'pre-work/moment': ['The Monday planning, <b>again</b>'],
    })
  })

  it('puts a live poll first, and returns to the questionnaire after it', async () => {
    const page = await open(await device())
    await page.getByRole('button', { name: 'Start' }).click()
    await expect.poll(() => question(page)).toBe('Day 1: which hat?')
    await server.engine.control({ pollId: 'useful', action: 'open' })
    await expect.poll(() => question(page)).toBe('How useful was it?')
    expect(await page.locator('#qnav').isHidden()).toBe(true)
    await server.engine.control({ pollId: 'useful', action: 'close' })
    await expect.poll(() => question(page)).toBe('Day 1: which hat?')
  })

  it('carries on from another device with the personal code', async () => {
    const phone = await open(await device(), '/vote#takeaway')
    await expect.poll(() => phone.locator('#takeaway .code').textContent()).toMatch(/^[2-9A-Z]{5}-/)
    await shot(phone, '5-takeaway-code')
    const field = phone.getByRole('textbox', { name: 'A code from your other device' })
    await field.fill('ZZZZZ-ZZZZZ')
    await phone.getByRole('button', { name: 'Carry on with this code' }).click()
    await expect
      .poll(() => phone.locator('#takeaway .status').textContent())
      .toContain('Nothing is stored under this code')
    await field.fill(code.toLowerCase().replace('-', ' '))
    await phone.getByRole('button', { name: 'Carry on with this code' }).click()
    await expect.poll(() => idOf(phone)).toBe(code.replace('-', '').toLowerCase())
    await phone.locator('#conn[data-state="online"]').waitFor()
    // The takeaway now shows the pre-work this person gave on the laptop.
    await phone.goto(`${server.url}/vote#takeaway`)
    await expect.poll(() => phone.locator('#takeaway').textContent()).toContain('The Monday planning, <b>again</b>')
    await shot(phone, '6-takeaway-carried')
    await phone.goto(`${server.url}/vote`)
    await phone.getByRole('button', { name: 'Continue' }).click()
    await expect.poll(() => phone.locator('#qdone h2').textContent()).toBe('Done, thank you.')
  })

  it('opens a follow-up link for an earlier session straight away', async () => {
    const first = server.engine.session.id
    await server.engine.changeSession({ action: 'start', name: 'Next cohort' })
    await server.engine.changeWindow({ questionnaireId: 'pulse-1w', action: 'open', sessionId: first })
    const page = await open(laptop, `/vote?s=${first}&q=pulse-1w`)
    await expect.poll(() => question(page)).toBe('Did you take your step?')
    expect(await page.locator('#hint').textContent()).toBe('One week on · 1 of 3')
    expect(await page.locator('#ask').isHidden()).toBe(true)
    await page.getByRole('button', { name: 'Partly' }).click()
    await expect.poll(() => question(page)).toBe('How sure are you, now?')
    await shot(page, '7-pulse-scale')
    await page.getByRole('button', { name: '8', exact: true }).click()
    await expect.poll(() => question(page)).toBe('One sentence')
    const id = await idOf(page)
    const { votes } = await server.store.loadSession(first)
    expect(votes.filter((vote) => vote.participantId === id).map((vote) => [vote.pollId, vote.answer])).toEqual(
      expect.arrayContaining([
        ['pulse-1w/took-step', ['partly']],
        ['pulse-1w/confidence', ['8']],
      ]),
    )
  })

  it('deletes everything under the code from the takeaway, on every device holding it', async () => {
    const page = await open(laptop, '/vote#takeaway')
    const other = await open(await device())
    await other.evaluate((id) => localStorage.setItem('workshop.participant', id), await idOf(page))
    await other.reload()
    await other.locator('#conn[data-state="online"]').waitFor()
    const id = await idOf(page)
    expect(await server.store.hasParticipant(id)).toBe(true)
    page.once('dialog', (dialog) => void dialog.accept())
    await page.getByRole('button', { name: 'Delete my data' }).click()
    // Both devices start afresh as someone new.
    await expect.poll(() => idOf(page)).not.toBe(id)
    await expect.poll(() => idOf(other)).not.toBe(id)
    expect(await server.store.hasParticipant(id)).toBe(false)
  })
})
