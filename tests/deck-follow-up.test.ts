// The follow-up components on a deck in Chromium (slides/_follow-up-demo.md, with the workshop's
// own questionnaires): the room's pre-work log equal to the stored answers, live; the presenter
// opening the one-week pulse from the controls under the slide, and a phone told at once; the
// facilitator's before / end / +1 week chart. Photographs go to test-results/follow-up/.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM_ARGS, findChromium } from '../handouts/chromium.ts'
import { buildDeck, deckIsStale, deckOutDir } from '../server/deck.ts'
import { loadFollowUpOrExplain, loadPollsOrExplain, type RunningServer, startKit } from '../server/kit.ts'
import { ROOT, readSettings } from '../server/settings.ts'
import { openPresenterLink } from './deck-helpers.ts'
import { closeClients, connect, nextEvent, synced } from './harness/clients.ts'
import { tempDir } from './harness/system.ts'

const DECK = '_follow-up-demo'
const SECRET = 'follow-up-deck-secret'
const SHOTS = join(ROOT, 'test-results', 'follow-up')
const DAYS = ['day-1', 'day-2', 'day-3', 'day-4', 'day-5']

let dir: ReturnType<typeof tempDir>
let server: RunningServer
let browser: Browser

beforeAll(async () => {
  if (deckIsStale(DECK)) await buildDeck(DECK)
  mkdirSync(SHOTS, { recursive: true })
  dir = tempDir()
  const polls = await loadPollsOrExplain()
  const followUp = await loadFollowUpOrExplain(polls)
  server = await startKit(
    { ...readSettings(['--port', '0', '--host', '127.0.0.1', '--data-dir', dir.path]), secret: SECRET },
    { deckDir: deckOutDir(DECK), polls, followUp },
  )
  browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS })
}, 600_000)
afterAll(async () => {
  closeClients()
  await browser?.close()
  await server?.close()
  dir?.remove()
})

const vote = async (participantId: string, pollId: string, answer: string | number) => {
  const result = await server.engine.vote(participantId, { pollId, answer, voteId: `${participantId}-${pollId}` })
  expect(result, `${participantId} ${pollId}`).toMatchObject({ ok: true })
}
const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) })

describe('the follow-up components on a deck', () => {
  it('shows the room’s pre-work as a log equal to the stored answers, live', async () => {
    await server.engine.changeWindow({ questionnaireId: 'pre-work', action: 'open' })
    const hats = ['leader-hat', 'manager-hat', 'both-equally']
    for (let person = 0; person < 7; person++) {
      for (const [d, day] of DAYS.entries()) {
        if (person < 5 || d < 2) await vote(`attendee-${person}`, `pre-work/${day}`, hats[(person + d) % 3] as string)
      }
    }
    const projector = await browser.newPage({ viewport: { width: 1280, height: 720 } })
    await projector.goto(`${server.url}/1`)
    const log = projector.locator('.slidev-page:visible [data-questionnaire="pre-work"]')
    const row = (day: string) => log.locator(`[data-row="pre-work/${day}"]`)
    await expect.poll(() => row('day-1').locator('.q-total').textContent()).toBe('7')
    for (const day of DAYS) {
      const tally = server.engine.tally(`pre-work/${day}`)
      const shown = await row(day).locator('.q-part').allTextContents()
      const stored = hats.map((hat) => tally?.counts[hat] ?? 0)
      // Each segment prints its count when it is wide enough to hold it.
      expect(shown.map((text, i) => (text ? Number(text) : stored[i]))).toEqual(stored)
      expect(await row(day).locator('.q-total').textContent()).toBe(String(tally?.total))
    }
    expect(await log.locator('.q-people').textContent()).toBe('7 people answered')
    await shot(projector, '1-prework-log')
    // An answer arriving now moves the slide.
    await vote('attendee-9', 'pre-work/day-5', 'leader-hat')
    await expect.poll(() => row('day-5').locator('.q-total').textContent()).toBe('6')
  })

  it('lets the presenter open a pulse from under the slide, and a phone hears of it', async () => {
    const presenter = await browser.newPage({ viewport: { width: 1400, height: 900 } })
    await openPresenterLink(presenter, server)
    await presenter.goto(`${server.url}/presenter/2`)
    const controls = presenter.locator('[data-questionnaire-controls]')
    const pulse = controls.locator('[data-questionnaire="pulse-1w"]')
    await pulse.waitFor()
    expect(await pulse.textContent()).toContain('Not opened')
    const phone = connect(server.url, { role: 'voter', participantId: 'attendee-0' })
    await synced(phone)
    const told = nextEvent(phone, 'sync', (state) => state.questionnaires.some((q) => q.id === 'pulse-1w' && q.open))
    await pulse.getByRole('button', { name: 'Open' }).click()
    await told
    await expect.poll(() => pulse.textContent()).toMatch(/Open until .*0 started · 0 finished/)
    expect(await pulse.locator('.link').textContent()).toMatch(/\/vote\?s=1&q=pulse-1w$/)
    await shot(presenter, '2-presenter-controls')
    const room = await browser.newPage({ viewport: { width: 1280, height: 720 } })
    await room.goto(`${server.url}/2`)
    await expect
      .poll(() => room.locator('.slidev-page:visible [data-questionnaire="pulse-1w"]').textContent())
      .toContain('open now')
    await shot(room, '3-after-today')
  })

  it('draws the facilitator’s chart from the same people’s start, end and pulse', async () => {
    for (const id of ['confidence-start', 'confidence-end']) await server.engine.control({ pollId: id, action: 'open' })
    for (let person = 0; person < 7; person++) {
      await vote(`attendee-${person}`, 'confidence-start', 3 + (person % 3))
      await vote(`attendee-${person}`, 'confidence-end', 6 + (person % 3))
      if (person < 5) await vote(`attendee-${person}`, 'pulse-1w/confidence', 7 + (person % 2))
    }
    const presenter = await browser.newPage({ viewport: { width: 1400, height: 900 } })
    await openPresenterLink(presenter, server)
    await presenter.goto(`${server.url}/presenter/3`)
    const chart = presenter.locator('.slidev-presenter [data-journey]').first()
    await expect.poll(() => chart.locator('text.value').allTextContents()).toEqual(['3.9', '6.9', '7.4'])
    expect(await chart.locator('.changes').textContent()).toContain('+1 week: +3.6 for the same 5 people')
    await shot(presenter, '4-journey-presenter')
    // The room's screen has no presenter cookie: no chart, a note.
    const room = await browser.newPage({ viewport: { width: 1280, height: 720 } })
    await room.goto(`${server.url}/3`)
    await expect
      .poll(() => room.locator('.slidev-page:visible [data-journey]').textContent())
      .toContain('shows in the presenter view')
  })
})
