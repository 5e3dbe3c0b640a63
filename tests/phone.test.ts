// The phone page in real Chromium at 360 px, for every poll kind, then "My takeaway".
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM_ARGS, findChromium } from '../handouts/chromium.ts'
import { KIND_POLLS, startTestServer } from './harness/kit.ts'
import { tempDir } from './harness/system.ts'

const POLLS = KIND_POLLS

let dir: ReturnType<typeof tempDir>
let server: Awaited<ReturnType<typeof startTestServer>>
let browser: Browser
let page: Page

beforeAll(async () => {
  dir = tempDir()
  server = await startTestServer({ dataDir: dir.path, polls: POLLS })
  browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS })
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true })
  page = await context.newPage()
  await page.goto(`${server.url}/vote`)
  await page.locator('#conn[data-state="online"]').waitFor()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
  dir?.remove()
})

const open = (pollId: string) => server.engine.control({ pollId, action: 'open' })
const close = (pollId: string) => server.engine.control({ pollId, action: 'close' })
const status = () => page.locator('#status').textContent()
const question = () => page.locator('#question').textContent()

async function showing(pollId: string, text: string) {
  await open(pollId)
  await expect.poll(question).toBe(text)
}

describe('the phone page, kind by kind', () => {
  it('multiple choice: tick up to the limit, then send', async () => {
    await showing('seen', 'Seen in your team?')
    const send = page.getByRole('button', { name: /^Send/ })
    expect(await send.isDisabled()).toBe(true)
    await page.getByRole('button', { name: 'Confusion', exact: true }).click()
    await page.getByRole('button', { name: 'Burnout', exact: true }).click()
    await page.getByRole('button', { name: 'Misalignment', exact: true }).click() // a third: refused
    await expect.poll(status).toContain('Pick at most 2')
    expect(await send.textContent()).toBe('Send (2 of 2)')
    await send.click()
    await expect.poll(status).toContain('Your vote counted')
    expect(server.engine.tally('seen')?.counts).toEqual({ confusion: 1, misalignment: 0, burnout: 1 })
    await close('seen')
  })

  it('scale: one tap on a number, with the ends labelled', async () => {
    await showing('week', 'Your week?')
    expect(await page.locator('.ends').textContent()).toBe('All managingAll leading')
    await page.getByRole('button', { name: '7', exact: true }).click()
    await expect.poll(status).toContain('Your vote counted')
    expect(server.engine.tally('week')?.mean).toBe(7)
    await close('week')
  })

  it('words: type and send; text stays text', async () => {
    await showing('word', 'One word for the leader you would follow')
    const input = page.getByRole('textbox', { name: 'Your answer' })
    expect(await input.getAttribute('maxlength')).toBe('30')
    await input.fill('<b>Honest</b>')
    await page.getByRole('button', { name: 'Send' }).click()
    // The word is isolated (first-strong isolates) from the sentence around it.
    await expect.poll(status).toBe('You said "\u2068<b>honest</b>\u2069". Send another to change it.')
    expect(await page.locator('#status b').count()).toBe(0)
    await close('word')
  })

  it('quiz: answer, then see the suggested answer at the reveal', async () => {
    await showing('scenario', 'Launching a new idea?')
    await page.getByRole('button', { name: 'Manager hat', exact: true }).click()
    await expect.poll(status).toContain('Your vote counted')
    await server.engine.control({ pollId: 'scenario', action: 'reveal' })
    await expect.poll(status).toBe('The suggested answer was Leader hat. Your pick has a case too: see the screen.')
    await close('scenario')
  })

  it('reactions: each tap is sent, and a flood is slowed down', async () => {
    await showing('vibe', 'How does this land?')
    const clap = page.getByRole('button', { name: 'React 👏' })
    await clap.click()
    await expect.poll(status).toBe('👏 sent')
    // Six more taps at thumb speed (in one go: the limit is per 3 seconds).
    await clap.evaluate((button: HTMLButtonElement) => {
      for (let i = 0; i < 6; i++) button.click()
    })
    await expect.poll(status).toBe('Easy there: a few reactions at a time.')
    expect(server.engine.tally('vibe')?.counts['👏']).toBe(5)
    await close('vibe')
  })

  it('action steps: saved privately', async () => {
    await showing('my-steps', 'Your action steps')
    await page.getByRole('textbox', { name: 'Action step 1' }).fill('Block Monday mornings for direction')
    await page.getByRole('textbox', { name: 'Action step 2' }).fill('Ask the team what is unclear')
    await page.getByRole('button', { name: 'Save my steps' }).click()
    await expect.poll(status).toContain('Saved')
    expect(server.engine.tally('my-steps')).toEqual({ pollId: 'my-steps', counts: {}, total: 1 })
    await close('my-steps')
  })

  it('my takeaway: the group and my own answers and steps, ready to print', async () => {
    await page.getByRole('link', { name: 'My takeaway' }).click()
    const takeaway = page.locator('#takeaway')
    await expect.poll(() => takeaway.locator('h2').textContent()).toBe('My takeaway')
    const text = (await takeaway.textContent()) ?? ''
    expect(text).toContain('Block Monday mornings for direction')
    expect(text).toContain('Seen in your team?')
    expect(text).toContain('You: Confusion, Burnout')
    expect(text).toContain('Average: 7')
    expect(text).toContain('Leader hat ✓')
    expect(await takeaway.locator('b').count()).toBe(0) // the word stays text here too
    const pdf = await page.pdf({ format: 'A4' })
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF')
  })
})
