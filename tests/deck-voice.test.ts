// The room's own voice on the kit's sample deck (slides/_poll-kinds.md), in Chromium, with phones as real Socket.IO
// clients: questions that reorder as the room upvotes, moderation from the presenter's controls,
// attendee text shown as text, a timed poll closing itself, the ranking and the 2×2 as the room
// answered them, open answers on a wall. The last test photographs each new view with a
// realistic room (test-results/voice/*.png), for people to look at.
import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'
import { io, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM_ARGS, findChromium } from '../handouts/chromium.ts'
import { exportSlides } from '../handouts/slides-export.ts'
import { placedItems, pointKey, roomOrder } from '../server/answers.ts'
import { deckOutDir } from '../server/deck.ts'
import { type RunningServer, startKit } from '../server/kit.ts'
import type { PollDefinition } from '../server/poll-definition.ts'
import type { CardView, ClientToServerEvents, ServerToClientEvents } from '../server/protocol.ts'
import { ROOT, readSettings } from '../server/settings.ts'
import {
  openPresenterLink,
  prepareSampleDeck,
  SAMPLE_DECK,
  SAMPLE_FILE,
  settle,
  slideNumberOfPoll,
  slideNumberWith,
  slideSelector,
} from './deck-helpers.ts'
import { OPEN_ANSWERS, QUESTIONS, seededDataDir } from './deck-seed.ts'
import { tempDir } from './harness/system.ts'

type Phone = Socket<ServerToClientEvents, ClientToServerEvents>
const SECRET = 'deck-voice-secret'
const DECK = SAMPLE_FILE
const SHOTS = join(ROOT, 'test-results', 'voice')
/** The timed poll under test closes after this many seconds (its slide says 40; the server decides). */
const SHORT_TIMER = 5

let polls: PollDefinition[]
let timed: PollDefinition
let browser: Browser
let dir: ReturnType<typeof tempDir>
let server: RunningServer
let projector: Page
const phones: Phone[] = []

beforeAll(async () => {
  polls = await prepareSampleDeck()
  const first = polls.find((poll) => poll.timer && poll.kind !== 'matrix')
  if (!first) throw new Error('The sample deck has no timed poll')
  timed = { ...first, timer: SHORT_TIMER }
  dir = tempDir()
  server = await startKit(
    { ...readSettings(['--port', '0', '--host', '127.0.0.1', '--data-dir', dir.path]), secret: SECRET },
    { deckDir: deckOutDir(SAMPLE_DECK), polls: polls.map((poll) => (poll.id === timed.id ? timed : poll)) },
  )
  browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS })
  projector = await browser.newPage({ viewport: { width: 1280, height: 720 } })
}, 600_000)

afterAll(async () => {
  for (const phone of phones) phone.close()
  await browser?.close()
  await server?.close()
  dir?.remove()
})

async function phone(): Promise<Phone> {
  const socket: Phone = io(server.url, {
    auth: { role: 'voter', participantId: `phone-${phones.length}-${Date.now()}` },
    transports: ['websocket'],
  })
  phones.push(socket)
  await new Promise((resolve) => socket.once('sync', resolve))
  return socket
}

let posts = 0
async function ask(text: string, pollId?: string): Promise<CardView> {
  const result = await (await phone()).emitWithAck('post', {
    text,
    postId: `post-${++posts}`,
    ...(pollId ? { pollId } : {}),
  })
  if (!result.ok) throw new Error(result.error)
  return result.card
}

async function upvote(card: CardView, times: number) {
  for (let i = 0; i < times; i++) {
    const result = await (await phone()).emitWithAck('upvote', { cardId: card.id, on: true })
    expect(result.ok, JSON.stringify(result)).toBe(true)
  }
}

async function vote(pollId: string, answers: string[][]) {
  await server.engine.control({ pollId, action: 'open' })
  for (const [i, answer] of answers.entries()) {
    const result = await (await phone()).emitWithAck('vote', { pollId, answer, voteId: `vote-${pollId}-${i}` })
    expect(result.ok, JSON.stringify(result)).toBe(true)
  }
}

async function showPoll(page: Page, pollId: string) {
  await page.goto(`${server.url}/${await slideNumberOfPoll(DECK, pollId)}`)
  const poll = page.locator(`.slidev-page:visible [data-poll="${pollId}"]`).first()
  await poll.waitFor()
  return poll
}

async function showQuestions(page: Page) {
  await page.goto(`${server.url}/${await slideNumberWith(DECK, '<Questions')}`)
  const questions = page.locator('.slidev-page:visible [data-questions]').first()
  await questions.waitFor()
  return questions
}

async function presenterAt(no: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  await openPresenterLink(page, server)
  await page.goto(`${server.url}/presenter/${no}`)
  return page
}

describe('questions from the room', () => {
  it('a phone asks, another upvotes, and the slide reorders', async () => {
    const questions = await showQuestions(projector)
    await expect.poll(() => questions.getAttribute('data-total')).toBe('0')
    expect(await questions.textContent()).toContain('Ask from your phone')
    await questions.locator('.empty-qr svg').waitFor()
    mkdirSync(SHOTS, { recursive: true })
    await projector.screenshot({ path: join(SHOTS, 'questions-empty.png') })
    const first = await ask('Who decides which hat a meeting needs?')
    const second = await ask('Can I wear both hats in one conversation?')
    const texts = () => questions.locator('[data-card] .text').allTextContents()
    // Equal votes: the older first.
    await expect.poll(texts).toEqual([first.text, second.text])
    await upvote(second, 2)
    await expect.poll(texts).toEqual([second.text, first.text])
    expect(await questions.locator(`[data-card="${second.id}"] .votes-count`).textContent()).toBe('2')
  })

  it('shows markup in a question as the text it is, and never runs it', async () => {
    const questions = await showQuestions(projector)
    await projector.evaluate(() => delete (window as { z?: number }).z)
    const markup = await ask('<img src=x onerror="window.z=1"><b>bold?</b> & <script>window.z=2</script>')
    await expect.poll(() => questions.locator(`[data-card="${markup.id}"] .text`).textContent()).toBe(markup.text)
    expect(markup.text).toContain('<img')
    expect(await questions.locator('img, script, b').count()).toBe(0)
    expect(await projector.evaluate(() => (window as { z?: number }).z)).toBeUndefined()
  })

  it('a question hidden from the presenter controls leaves the room’s slide, which counts it', async () => {
    const questions = await showQuestions(projector)
    const unwanted = await ask('Why is Alex in marketing so slow?')
    await expect.poll(() => questions.locator(`[data-card="${unwanted.id}"]`).count()).toBe(1)
    const presenter = await presenterAt(await slideNumberWith(DECK, '<Questions'))
    const controls = presenter.locator('[data-question-controls]')
    await controls.locator(`[data-moderate="${unwanted.id}"]`).getByRole('button', { name: 'Hide' }).click()
    await expect.poll(() => questions.locator(`[data-card="${unwanted.id}"]`).count()).toBe(0)
    await expect
      .poll(() => questions.getByTestId('questions-meta').textContent())
      .toContain('1 hidden by the facilitator')
    expect(await projector.content()).not.toContain('Alex in marketing')
    // Pinned and answered reach the slide in words, not only in colour.
    const pinned = await ask('What is the first step on Monday?')
    await controls.locator(`[data-moderate="${pinned.id}"]`).getByRole('button', { name: 'Pin' }).click()
    await expect.poll(() => questions.locator('[data-card] .text').first().textContent()).toBe(pinned.text)
    expect(await questions.locator(`[data-card="${pinned.id}"] .tag-pinned`).textContent()).toContain('Pinned')
    await controls.locator(`[data-moderate="${pinned.id}"]`).getByRole('button', { name: 'Answered' }).click()
    await expect
      .poll(() => questions.locator(`[data-card="${pinned.id}"] .tag-answered`).textContent())
      .toContain('Answered')
    // Shown again: back on the slide, and no longer counted as hidden.
    await controls.locator(`[data-moderate="${unwanted.id}"]`).getByRole('button', { name: 'Show' }).click()
    await expect.poll(() => questions.locator(`[data-card="${unwanted.id}"]`).count()).toBe(1)
    await expect.poll(() => questions.getByTestId('questions-meta').textContent()).not.toContain('hidden')
    await presenter.close()
  })

  it('approve first: a new question waits, the room sees only the count, the presenter approves it', async () => {
    const questions = await showQuestions(projector)
    const presenter = await presenterAt(await slideNumberWith(DECK, '<Questions'))
    const controls = presenter.locator('[data-question-controls]')
    await controls.getByRole('switch', { name: /Approve first/ }).click()
    await expect
      .poll(() => controls.getByRole('switch', { name: /Approve first/ }).getAttribute('aria-checked'))
      .toBe('true')
    const held = await ask('Can we talk about the reorganisation?')
    expect(held.status).toBe('waiting')
    await expect.poll(() => questions.getByTestId('questions-meta').textContent()).toContain('1 waiting for approval')
    expect(await projector.content()).not.toContain('the reorganisation')
    await controls.locator(`[data-moderate="${held.id}"]`).getByRole('button', { name: 'Approve' }).click()
    await expect.poll(() => questions.locator(`[data-card="${held.id}"] .text`).textContent()).toBe(held.text)
    await expect.poll(() => questions.getByTestId('questions-meta').textContent()).not.toContain('waiting')
    await controls.getByRole('switch', { name: /Approve first/ }).click()
    await expect
      .poll(() => controls.getByRole('switch', { name: /Approve first/ }).getAttribute('aria-checked'))
      .toBe('false')
    await presenter.close()
  })
})

describe('polls of the new kinds', () => {
  it('a timed poll counts down on the slide and closes itself', async () => {
    const poll = await showPoll(projector, timed.id)
    const countdown = poll.getByTestId('countdown')
    await expect.poll(() => countdown.getAttribute('data-state')).toBe('waiting')
    await server.engine.control({ pollId: timed.id, action: 'open' })
    await expect.poll(() => countdown.getAttribute('data-state')).toBe('running')
    expect(await poll.getByTestId('countdown-clock').textContent()).toMatch(/^0:0[1-5]$/)
    // Nobody closes it: the server does at zero, and the slide says so.
    await expect.poll(() => countdown.getAttribute('data-state'), { timeout: (SHORT_TIMER + 10) * 1000 }).toBe('closed')
    expect(await countdown.textContent()).toContain('Poll closed')
    expect(server.engine.views().find((view) => view.id === timed.id)?.state).toBe('closed')
  })

  it('the presenter pauses a timed poll and the slide shows it paused', async () => {
    const matrix = polls.find((poll) => poll.kind === 'matrix' && poll.timer)
    if (!matrix) throw new Error('The sample deck has no timed 2×2')
    const poll = await showPoll(projector, matrix.id)
    await server.engine.control({ pollId: matrix.id, action: 'open' })
    const presenter = await presenterAt(await slideNumberOfPoll(DECK, matrix.id))
    const timer = presenter.locator(`[data-poll-controls="${matrix.id}"] [data-timer-controls]`)
    await timer.getByRole('button', { name: 'Pause' }).click()
    await expect.poll(() => poll.getByTestId('countdown').getAttribute('data-state')).toBe('paused')
    expect(await poll.getByTestId('countdown').textContent()).toContain('Paused')
    await timer.getByRole('button', { name: 'Turn timer off' }).click()
    await expect.poll(() => poll.getByTestId('countdown').count()).toBe(0)
    await presenter.close()
    await server.engine.control({ pollId: matrix.id, action: 'close' })
  })

  it('ranking: the room’s order by Borda points, with the spread per row', async () => {
    const ranking = polls.find((poll) => poll.kind === 'ranking')
    if (!ranking) throw new Error('The sample deck has no ranking')
    const ids = ranking.options.map((option) => option.id)
    const reversed = [...ids].reverse()
    const orders = [reversed, reversed, ids]
    await vote(ranking.id, orders)
    const poll = await showPoll(projector, ranking.id)
    const counts: Record<string, number> = {}
    for (const order of orders)
      for (const [i, id] of order.entries()) counts[`${id}@${i + 1}`] = (counts[`${id}@${i + 1}`] ?? 0) + 1
    const expected = roomOrder(ranking.options, counts)
    await expect.poll(() => poll.locator('.row').first().getAttribute('data-option')).toBe(expected[0]?.id)
    const rows = poll.locator('.row')
    expect(await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-option')))).toEqual(
      expected.map((row) => row.id),
    )
    expect(await rows.first().getAttribute('data-points')).toBe(String(expected[0]?.points))
    expect(await poll.textContent()).toContain(`${ids.length - 1} points for a first place, down to 0 for last`)
    // The spread: the top row was put first by two people.
    expect(await rows.first().locator('.segment').first().textContent()).toBe('2')
  })

  it('2×2: every answer on the plot and each item’s average marked', async () => {
    const matrix = polls.find((poll) => poll.kind === 'matrix')
    if (!matrix) throw new Error('The sample deck has no 2×2')
    const answers = [
      matrix.options.map((item, i) => pointKey(item.id, i, 10 - i)),
      matrix.options.map((item, i) => pointKey(item.id, i + 2, 6 - i)),
    ]
    await vote(matrix.id, answers)
    const poll = await showPoll(projector, matrix.id)
    const counts = Object.fromEntries(answers.flat().map((key) => [key, 1]))
    for (const item of placedItems(matrix.options, counts)) {
      const mark = `${item.id}@${item.average?.x},${item.average?.y}`
      await expect.poll(() => poll.locator(`[data-average="${mark}"]`).count()).toBe(1)
      expect(await poll.locator(`[data-item="${item.id}"] .answer`).count()).toBe(2)
    }
    expect(await poll.locator('[data-legend]').count()).toBe(matrix.options.length)
    expect(await poll.textContent()).toContain(matrix.x?.label ?? '')
    await server.engine.control({ pollId: matrix.id, action: 'close' })
  })

  it('open answers: a wall of cards, liked ones first, highlighted from the presenter controls', async () => {
    const text = polls.find((poll) => poll.kind === 'text')
    if (!text) throw new Error('The sample deck has no open-answer poll')
    await server.engine.control({ pollId: text.id, action: 'open' })
    const poll = await showPoll(projector, text.id)
    const plain = await ask('Thursday review: direction first.', text.id)
    const liked = await ask('Monday: ask before I answer. <i>promise</i>', text.id)
    await upvote(liked, 1)
    const cards = () => poll.locator('[data-card] .text').allTextContents()
    await expect.poll(cards).toEqual([liked.text, plain.text])
    expect(await poll.locator('i').count()).toBe(0)
    const presenter = await presenterAt(await slideNumberOfPoll(DECK, text.id))
    await presenter
      .locator(`[data-poll-controls="${text.id}"] [data-moderate="${plain.id}"]`)
      .getByRole('button', { name: 'Highlight' })
      .click()
    await expect.poll(cards).toEqual([plain.text, liked.text])
    expect(await poll.locator(`[data-card="${plain.id}"]`).textContent()).toContain('Highlighted')
    await presenter.close()
  })
})

/** The room's text floor at 1280×720 (issue 14; tests/deck-readable.test.ts checks every slide). */
const FLOOR_PX = 23.5

/** The smallest text the room can see on the slide, in screen pixels. */
function smallestText(page: Page, no: number): Promise<number> {
  return page.evaluate((selector) => {
    const layout = document.querySelector<HTMLElement>(selector)
    const frame = document.querySelector<HTMLElement>('#slide-content')
    if (!layout || !frame) return 0
    const scale = frame.getBoundingClientRect().width / frame.offsetWidth
    let smallest = Number.POSITIVE_INFINITY
    const walker = document.createTreeWalker(layout, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement
      if (!node.textContent?.trim() || !parent?.checkVisibility({ visibilityProperty: true })) continue
      smallest = Math.min(smallest, Number.parseFloat(getComputedStyle(parent).fontSize) * scale)
    }
    return smallest
  }, slideSelector(no))
}

describe('a realistic room, photographed', () => {
  it('each new view at 1280×720, and the presenter’s moderation', async () => {
    mkdirSync(SHOTS, { recursive: true })
    const seeded = await seededDataDir(polls)
    const room = await startKit(
      { ...readSettings(['--port', '0', '--host', '127.0.0.1', '--data-dir', seeded.path]), secret: SECRET },
      { deckDir: deckOutDir(SAMPLE_DECK), polls },
    )
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } })
    try {
      const shots: [string, number][] = [['questions', await slideNumberWith(DECK, '<Questions')]]
      for (const kind of ['text', 'ranking', 'matrix'] as const) {
        const poll = polls.find((candidate) => candidate.kind === kind)
        if (poll) shots.push([kind, await slideNumberOfPoll(DECK, poll.id)])
      }
      await room.engine.control({ pollId: timed.id, action: 'open' })
      shots.push(['timed', await slideNumberOfPoll(DECK, timed.id)])
      // Open, as the room sees them while answering: with the join badge (and the 2×2's countdown).
      const matrix = polls.find((poll) => poll.kind === 'matrix')
      for (const poll of polls.filter((candidate) => ['matrix', 'ranking', 'text'].includes(candidate.kind))) {
        await room.engine.control({ pollId: poll.id, action: 'open' })
      }
      for (const [name, no] of shots) {
        await page.goto(`${room.url}/${no}`)
        await settle(page, no)
        await page.screenshot({ path: join(SHOTS, `${name}.png`) })
        expect(await smallestText(page, no), name).toBeGreaterThanOrEqual(FLOOR_PX)
      }
      expect(await page.locator('.slidev-page:visible [data-poll]').count()).toBeGreaterThan(0)
      // The questions slide shows the seeded questions, most upvoted first, pinned on top.
      await page.goto(`${room.url}/${shots[0]?.[1]}`)
      await page.locator('.slidev-page:visible [data-card] .text').first().waitFor()
      const texts = await page.locator('.slidev-page:visible [data-card] .text').allTextContents()
      expect(texts[0]).toContain('which hat I am wearing')
      const presenter = await browser.newPage({ viewport: { width: 1440, height: 900 } })
      await openPresenterLink(presenter, room)
      await presenter.goto(`${room.url}/presenter/${shots[0]?.[1]}`)
      await presenter.locator('[data-question-controls] [data-moderate]').first().waitFor()
      await presenter.screenshot({ path: join(SHOTS, 'questions-presenter.png') })
      // The wall's moderation and a timed poll's controls, under the slide; then the room's view paused.
      for (const [name, no] of shots.filter(([kind]) => kind === 'text' || kind === 'matrix')) {
        await presenter.goto(`${room.url}/presenter/${no}`)
        await presenter.locator('[data-poll-controls]').first().waitFor()
        await presenter.screenshot({ path: join(SHOTS, `${name}-presenter.png`) })
      }
      if (matrix) {
        await room.engine.control({ pollId: matrix.id, action: 'pause' })
        const no = await slideNumberOfPoll(DECK, matrix.id)
        await page.goto(`${room.url}/${no}`)
        await page.locator('.slidev-page:visible [data-state="paused"]').waitFor()
        await settle(page, no)
        await page.screenshot({ path: join(SHOTS, 'matrix-paused.png') })
      }
      await presenter.close()
    } finally {
      await page.close()
      await room.close()
      seeded.remove()
    }
  })
})

describe('print mode (PDF export of the slides)', () => {
  it('shows the stored questions, open answers, ranking and 2×2, never a spinner', async () => {
    const seeded = await seededDataDir(polls)
    try {
      const numbers = [await slideNumberWith(DECK, '<Questions')]
      for (const kind of ['text', 'ranking', 'matrix'] as const) {
        const poll = polls.find((candidate) => candidate.kind === kind)
        if (poll) numbers.push(await slideNumberOfPoll(DECK, poll.id))
      }
      mkdirSync(SHOTS, { recursive: true })
      const pdf = join(SHOTS, 'voice-slides.pdf')
      await exportSlides(SAMPLE_DECK, pdf, { chromium: findChromium(), dataDir: seeded.path, range: numbers.join(',') })
      const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ')
      expect(text).not.toMatch(/Loading results|Connecting to the poll|Ask from your phone/)
      // The pinned question leads; the markup in a seeded question is printed as text.
      expect(text).toContain('Is it OK to tell the team')
      expect(text).toMatch(/\d+ people ranked/)
      expect(text).toContain('36 people placed them')
      // (pdftotext lays the wall's columns side by side: a card's first words only)
      expect(text).toContain(OPEN_ANSWERS[0]?.text.slice(0, 15))
      expect(QUESTIONS.length).toBeGreaterThan(3)
    } finally {
      seeded.remove()
    }
  }, 300_000)
})
