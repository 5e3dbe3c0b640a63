// Every poll kind on the kit's sample deck (slides/_poll-kinds.md, built like the workshops), in
// Chromium: live results on the projector, the reveal from the presenter's controls, and
// attendee text shown inert.
import { type Browser, chromium, type Page } from 'playwright-core'
import { io, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM_ARGS, findChromium } from '../handouts/chromium.ts'
import { deckOutDir } from '../server/deck.ts'
import { type RunningServer, startKit } from '../server/kit.ts'
import type { ClientToServerEvents, ServerToClientEvents } from '../server/protocol.ts'
import { readSettings } from '../server/settings.ts'
import { openPresenterLink, prepareSampleDeck, SAMPLE_DECK, SAMPLE_FILE, slideNumberOfPoll } from './deck-helpers.ts'
import { tempDir } from './harness/system.ts'

const SECRET = 'deck-kinds-secret'
const DECK = SAMPLE_FILE
let dir: ReturnType<typeof tempDir>
let server: RunningServer
let browser: Browser
let projector: Page
const phones: Socket<ServerToClientEvents, ClientToServerEvents>[] = []

beforeAll(async () => {
  const polls = await prepareSampleDeck()
  dir = tempDir()
  server = await startKit(
    { ...readSettings(['--port', '0', '--host', '127.0.0.1', '--data-dir', dir.path]), secret: SECRET },
    { deckDir: deckOutDir(SAMPLE_DECK), polls },
  )
  browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS })
  projector = await browser.newPage({ viewport: { width: 1280, height: 720 } })
})
afterAll(async () => {
  for (const phone of phones) phone.close()
  await browser?.close()
  await server?.close()
  dir?.remove()
})

async function phone(): Promise<Socket<ServerToClientEvents, ClientToServerEvents>> {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(server.url, {
    auth: { role: 'voter', participantId: `phone-${phones.length}-${Date.now()}` },
    transports: ['websocket'],
  })
  phones.push(socket)
  await new Promise((resolve) => socket.once('sync', resolve))
  return socket
}

async function vote(pollId: string, answers: (string | number | string[])[]) {
  await server.engine.control({ pollId, action: 'open' })
  for (const [i, answer] of answers.entries()) {
    const result = await (await phone()).emitWithAck('vote', { pollId, answer, voteId: `vote-${pollId}-${i}` })
    expect(result.ok, JSON.stringify(result)).toBe(true)
  }
}

async function show(pollId: string) {
  await projector.goto(`${server.url}/${await slideNumberOfPoll(DECK, pollId)}`)
  const poll = projector.locator(`.slidev-page:visible [data-poll="${pollId}"]`).first()
  await poll.waitFor()
  return poll
}

describe('the deck shows every kind', () => {
  it('multiple choice: a bar per option, shares of the people who answered', async () => {
    await vote('team-symptoms', [['confusion', 'burnout'], ['burnout'], ['misalignment', 'burnout']])
    const poll = await show('team-symptoms')
    await expect.poll(() => poll.locator('[data-option="burnout"] .poll-count').textContent()).toBe('3')
    expect(await poll.locator('[data-option="confusion"] .poll-count').textContent()).toBe('1')
    expect(await poll.getAttribute('data-total')).toBe('3')
  })

  it('scale: the distribution and the average', async () => {
    await vote('week-balance', [2, 6, 7])
    const poll = await show('week-balance')
    await expect.poll(() => poll.getByTestId('scale-mean').textContent()).toContain('5.0')
    expect(await poll.locator('[data-option="7"] .count').textContent()).toBe('1')
  })

  it('words: a cloud of attendee text, shown as text and never run', async () => {
    await projector.evaluate(() => delete (window as { z?: number }).z)
    await vote('leader-word', ['Honest', 'honest ', '<img src=x onerror=z=1>', '<script>z=2'])
    const poll = await show('leader-word')
    await expect.poll(() => poll.locator('[data-word="honest"]').count()).toBe(1)
    const words = await poll.locator('.word').allTextContents()
    expect(words).toContain('<img src=x onerror=z=1>')
    expect(await poll.locator('img, script').count()).toBe(0)
    expect(await projector.evaluate(() => (window as { z?: number }).z)).toBeUndefined()
  })

  it('quiz: only the count until the presenter reveals; then the answer and why', async () => {
    await vote('sample-round', ['manager-hat', 'leader-hat', 'manager-hat'])
    const poll = await show('sample-round')
    await expect.poll(() => poll.locator('.poll-hidden').textContent()).toContain('3')
    expect(await poll.locator('.poll-tick').count()).toBe(0)
    // The presenter reveals from presenter mode.
    const presenter = await browser.newPage({ viewport: { width: 1400, height: 900 } })
    await openPresenterLink(presenter, server)
    await presenter.goto(`${server.url}/presenter/${await slideNumberOfPoll(DECK, 'sample-round')}`)
    await presenter.locator('[data-poll-controls="sample-round"]').getByRole('button', { name: 'Reveal' }).click()
    await expect.poll(() => poll.getByTestId('quiz-explain').textContent()).toBeTruthy()
    expect(await poll.locator('.correct .poll-count').textContent()).toBe('2')
    // A suggestion, not a score: the badge says so, with no tick.
    expect(await poll.locator('.correct .poll-tick').textContent()).toBe('Suggested reading')
    await presenter.close()
  })

  it('reactions: taps float up and are counted', async () => {
    await server.engine.control({ pollId: 'same-call', action: 'open' })
    const poll = await show('same-call')
    const tapper = await phone()
    for (let i = 0; i < 3; i++)
      expect((await tapper.emitWithAck('react', { pollId: 'same-call', emoji: '👍' })).ok).toBe(true)
    await expect.poll(() => poll.locator('[data-option="👍"] .count').textContent()).toBe('3')
  })

  it('action steps: how many saved them, never what they wrote', async () => {
    await vote('action-steps', [['Protect Monday mornings for direction']])
    const poll = await show('action-steps')
    await expect.poll(() => poll.textContent()).toContain('1 person has saved')
    expect(await projector.content()).not.toContain('Protect Monday mornings')
  })
})
