// The phone page against WCAG 2.2 AA, in real Chromium with axe-core: every poll kind in every
// state (waiting, open, voted, revealed, closed), a timed poll's countdown, the room's questions
// (pinned, answered, yours, held counts) and "My takeaway", at 320 and 390 px wide and at
// 390 px zoomed to 200 % (195 CSS px), and a self-paced questionnaire offered, asked and done. No serious or critical violation, no sideways scrolling,
// and the connection pill on one line.
//
// PHONE_SHOTS=/some/dir saves a screenshot of every state there.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM_ARGS, findChromium } from '../handouts/chromium.ts'
import type { PollDefinition } from '../server/poll-definition.ts'
import { axeProblems } from './harness/axe.ts'
import { FOLLOW_UP } from './harness/follow-up.ts'
import { HAT_POLL, KIND_POLLS, SECRET, startTestServer, VOICE_POLLS } from './harness/kit.ts'
import { tempDir } from './harness/system.ts'

const SHOTS = process.env.PHONE_SHOTS
// Every kind, and a timed poll that stays open through the audit (the 5 s one would close itself).
const POLLS = [HAT_POLL, ...KIND_POLLS, ...VOICE_POLLS.filter((poll) => poll.id !== 'quick')]
const WIDTHS = [
  { name: '320 px', width: 320 },
  { name: '390 px', width: 390 },
  { name: '390 px at 200 %', width: 195 },
]

let dir: ReturnType<typeof tempDir>
let server: Awaited<ReturnType<typeof startTestServer>>
let browser: Browser

beforeAll(async () => {
  dir = tempDir()
  server = await startTestServer({ dataDir: dir.path, polls: POLLS, followUp: FOLLOW_UP })
  browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS })
  if (SHOTS) mkdirSync(SHOTS, { recursive: true })
  await seedQuestions()
})

/** Questions from two other phones, one pinned, one answered, one hidden, one waiting. */
async function seedQuestions(): Promise<void> {
  const deck = server.connect({ role: 'deck', secret: SECRET })
  const ask = async (participantId: string, text: string, name?: string) => {
    const phone = server.connect({ role: 'voter', participantId })
    const result = await phone.timeout(5000).emitWithAck('post', { text, postId: `seed-${text.length}`, name })
    phone.close()
    if (!result.ok) throw new Error(result.error)
    return result.card.id
  }
  const moderate = (cardId: string, action: 'pin' | 'answered' | 'hide') =>
    deck.timeout(5000).emitWithAck('moderate', { cardId, action })
  await moderate(await ask('seed-phone-1', 'How do I switch hats mid-meeting without confusing the team?'), 'pin')
  await moderate(await ask('seed-phone-1', 'Is leading only for managers?', 'Priya'), 'answered')
  await ask('seed-phone-2', 'What if my manager only wants the manager hat from me?')
  await moderate(await ask('seed-phone-2', 'Off-topic question'), 'hide')
  await deck.timeout(5000).emitWithAck('approval', { on: true })
  await ask('seed-phone-3', 'A question still waiting for approval')
  await deck.timeout(5000).emitWithAck('approval', { on: false })
  deck.close()
}
afterAll(async () => {
  await browser?.close()
  await server?.close()
  dir?.remove()
})

/** axe-core's WCAG 2.0–2.2 A and AA rules on the page as it is now: what fails badly, and where. */
async function audit(page: Page, state: string, label: string): Promise<string[]> {
  const problems = await axeProblems(page, `${label} ${state}`)
  const layout = await page.evaluate(() => {
    const conn = document.getElementById('conn')
    const lines = conn
      ? conn.getBoundingClientRect().height / Number.parseFloat(getComputedStyle(conn).lineHeight || '20')
      : 1
    return { sideways: document.documentElement.scrollWidth - window.innerWidth, connLines: lines }
  })
  if (layout.sideways > 1) problems.push(`${label} ${state}: the page scrolls sideways by ${layout.sideways} px`)
  if (layout.connLines > 1.9) problems.push(`${label} ${state}: the connection pill wraps`)
  if (SHOTS)
    await page.screenshot({
      path: join(SHOTS, `${label.replace(/\W+/g, '-')}-${state.replace(/\W+/g, '-')}.png`),
      fullPage: true,
    })
  return problems
}

const status = (page: Page) => page.locator('#status').textContent()

/** What a person does with each kind once it is open: answer it. */
async function answer(page: Page, poll: PollDefinition): Promise<void> {
  switch (poll.kind) {
    case 'single':
    case 'quiz':
      await page.locator('#options button').first().click()
      break
    case 'multiple':
      await page.locator('#options button[data-value]').first().click()
      await page.getByRole('button', { name: /^Send/ }).click()
      break
    case 'scale':
      await page.getByRole('button', { name: '7', exact: true }).click()
      break
    case 'words':
      await page.getByRole('textbox', { name: 'Your answer' }).fill('Honest')
      await page.getByRole('button', { name: 'Send' }).click()
      break
    case 'steps':
      await page.getByRole('textbox', { name: 'Action step 1' }).fill('Block Monday mornings for direction')
      await page.getByRole('button', { name: 'Save my steps' }).click()
      break
    case 'reactions':
      await page.locator('#options button').first().click()
      break
    case 'text':
      await page.getByRole('textbox', { name: 'Your answer' }).fill('Ask the team what is unclear')
      await page.getByRole('button', { name: 'Post my answer' }).click()
      // Open answers say so beside the box: the wall comes next.
      await expect.poll(() => page.locator('#options [role="status"]').textContent()).toContain('Posted')
      return
    case 'ranking':
      for (const option of [...poll.options].reverse())
        await page.locator('#options button', { hasText: option.label }).click()
      await page.getByRole('button', { name: 'Send my order' }).click()
      break
    case 'matrix':
      // A tap per item, each on a different spot.
      for (const [i] of poll.options.entries())
        await page.locator('.grid').click({ position: { x: 30 + i * 40, y: 40 + i * 30 } })
      await page.getByRole('button', { name: 'Send my places' }).click()
      break
  }
  await expect.poll(() => status(page)).toMatch(/counted|said|Saved|sent/)
}

describe('the phone page meets WCAG 2.2 AA', () => {
  for (const { name, width } of WIDTHS) {
    it(`${name}: every kind and state, and my takeaway`, async () => {
      for (const poll of POLLS) await server.engine.control({ pollId: poll.id, action: 'reset' })
      const context = await browser.newContext({ viewport: { width, height: 780 }, isMobile: true, hasTouch: true })
      const page = await context.newPage()
      const problems: string[] = []
      try {
        await page.goto(`${server.url}/vote`)
        await page.locator('#conn[data-state="online"]').waitFor()
        problems.push(...(await audit(page, 'waiting', name)))
        await page.getByRole('textbox', { name: 'Your question' }).fill('Can I <b>ask</b> this from my phone?')
        await page.getByRole('button', { name: 'Post my question' }).click()
        await page.locator('#ask li', { has: page.locator('.you') }).waitFor()
        await page.locator('#ask li', { hasText: 'Is leading only' }).getByRole('button').click()
        await expect.poll(() => page.locator('#ask [aria-pressed="true"]').count()).toBe(1)
        problems.push(...(await audit(page, 'questions', name)))
        for (const poll of POLLS) {
          await server.engine.control({ pollId: poll.id, action: 'open' })
          await expect.poll(() => page.locator('#question').textContent()).toBe(poll.question)
          problems.push(...(await audit(page, `${poll.id} open`, name)))
          await answer(page, poll)
          problems.push(...(await audit(page, `${poll.id} answered`, name)))
          if (poll.kind === 'quiz' || poll.results === 'hidden') {
            await server.engine.control({ pollId: poll.id, action: 'reveal' })
            if (poll.kind === 'quiz') await page.locator('#options button.right').waitFor()
            problems.push(...(await audit(page, `${poll.id} revealed`, name)))
          }
          await server.engine.control({ pollId: poll.id, action: 'close' })
          await page.locator('#waiting').waitFor()
          problems.push(...(await audit(page, `${poll.id} closed`, name)))
        }
        await page.getByRole('link', { name: 'My takeaway' }).click()
        await expect.poll(() => page.locator('#takeaway h2').textContent()).toBe('My takeaway')
        problems.push(...(await audit(page, 'takeaway', name)))
        await server.engine.changeWindow({ questionnaireId: 'pre-work', action: 'open' })
        await page.goto(`${server.url}/vote`)
        await page.getByRole('button', { name: /Start|Continue/ }).click()
        await expect.poll(() => page.locator('#question').textContent()).toBe('Day 1: which hat?')
        problems.push(...(await audit(page, 'questionnaire question', name)))
        await page.getByRole('button', { name: 'Skip' }).click()
        await page.getByRole('button', { name: 'Skip' }).click()
        await expect.poll(() => page.locator('#question').textContent()).toBe('One moment to bring')
        problems.push(...(await audit(page, 'questionnaire text', name)))
        await page.getByRole('button', { name: 'Skip' }).click()
        await page.locator('#qdone h2').waitFor()
        problems.push(...(await audit(page, 'questionnaire done', name)))
        await server.engine.changeWindow({ questionnaireId: 'pre-work', action: 'close' })
      } finally {
        await context.close()
      }
      expect(problems, problems.join('\n')).toEqual([])
    })
  }
})
