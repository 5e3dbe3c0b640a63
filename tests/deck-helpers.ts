// Helpers for the browser tests of the built decks.
import { dirname } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'
import { expect } from 'vitest'
import { CHROMIUM_ARGS, findChromium } from '../handouts/chromium.ts'
import { buildDeck, deckEntry, deckIsStale, deckNames } from '../server/deck.ts'
import { readDeck } from '../server/deck-source.ts'
import { type PollDefinition, PollDefinitionSchema } from '../server/poll-definition.ts'
import { loadPolls } from '../server/polls.ts'
import { SLIDES_DIR } from '../server/settings.ts'

/**
 * The kit's sample deck (slides/_poll-kinds.md): a slide for every poll kind, the questions wall
 * and the comparison with earlier sessions. The workshop uses only the kinds it needs; the
 * components' browser tests run on this deck. A "_" deck is not a workshop: `npm start` and the
 * handouts leave it out, and the server does not load its polls unless given them.
 */
export const SAMPLE_DECK = '_poll-kinds'
export const SAMPLE_FILE = deckEntry(SAMPLE_DECK)

/** The polls declared in one deck, as the server would validate them. */
export async function pollsOfDeck(deck: string): Promise<PollDefinition[]> {
  const { slides } = await readDeck(deckEntry(deck))
  const polls = new Map<string, PollDefinition>()
  for (const slide of slides) {
    if (slide.frontmatter.poll) {
      const poll = PollDefinitionSchema.parse(slide.frontmatter.poll)
      polls.set(poll.id, poll)
    }
  }
  return [...polls.values()]
}

/** Every deck the browser tests look at: the workshops and the sample deck. */
export const checkedDecks = () => [...deckNames(), SAMPLE_DECK]

/** Builds the sample deck when it changed (the workshop decks are built by npm test's set-up). */
export async function prepareSampleDeck(): Promise<PollDefinition[]> {
  if (deckIsStale(SAMPLE_DECK)) await buildDeck(SAMPLE_DECK)
  return pollsOfDeck(SAMPLE_DECK)
}

/** The 1-based slide number that declares the poll, as Slidev numbers slides. */
export async function slideNumberOfPoll(deckFile: string, pollId: string): Promise<number> {
  const _root = dirname(deckFile)
  const { slides } = await readDeck(deckFile)
  const index = slides.findIndex((slide) => slide.frontmatter.poll?.id === pollId)
  if (index < 0) throw new Error(`No slide in ${deckFile} declares poll "${pollId}"`)
  return index + 1
}

/** The 1-based number of the first slide whose Markdown includes `text` (e.g. '<Questions'). */
export async function slideNumberWith(deckFile: string, text: string): Promise<number> {
  const _root = dirname(deckFile)
  const { slides } = await readDeck(deckFile)
  const index = slides.findIndex((slide) => slide.source.content.includes(text))
  if (index < 0) throw new Error(`No slide in ${deckFile} includes "${text}"`)
  return index + 1
}

/** The slide on screen. Slidev keeps its neighbours mounted (hidden), so select it by number. */
export const slideSelector = (no: number) => `#slide-content [data-slidev-no="${no}"] .slidev-layout`

/** Resolves once the slide and everything it loads (results, QR code, fonts) has rendered. */
export async function settle(page: Page, no: number): Promise<void> {
  await page.waitForFunction(
    (selector) => {
      const layout = document.querySelector(selector)
      if (!layout || !(layout instanceof HTMLElement) || layout.offsetParent === null) return false
      if (/Connecting to the poll…|Loading results…/.test(layout.textContent ?? '')) return false
      if (layout.querySelector('.join') && !layout.querySelector('.join-qr svg')) return false
      if (layout.querySelector('.with-badge') && !layout.querySelector('.join-badge svg')) return false
      if (layout.querySelector('.compare') && !layout.querySelector('.compare .legend, .compare .note')) return false
      if (layout.querySelector('.session-line') && !layout.querySelector('.session-line .session')) return false
      return true
    },
    slideSelector(no),
    { timeout: 20_000 },
  )
  await page.evaluate(async () => {
    await document.fonts.ready
    // Finite animations and transitions (v-click fades, growing bars) end; running clocks don't.
    const finite = document
      .getAnimations()
      .filter((animation) => Number.isFinite(Number(animation.effect?.getComputedTiming().endTime)))
    await Promise.all(finite.map((animation) => animation.finished.catch(() => undefined)))
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))
  })
}

export interface SlideInfo {
  no: number
  pollId?: string
}

export async function slidesOf(deck: string): Promise<SlideInfo[]> {
  const { slides } = await readDeck(deckEntry(deck))
  return slides.map((slide, i) => ({ no: i + 1, pollId: (slide.frontmatter.poll as { id?: string } | undefined)?.id }))
}

/**
 * Builds the decks that changed (the workshops and the sample deck), reads each deck's polls and
 * starts Chromium, for a test of every slide.
 */
export async function prepareDecks(): Promise<{
  decks: string[]
  pollsOf: (deck: string) => PollDefinition[]
  browser: Browser
}> {
  const decks = checkedDecks()
  // Sequential on purpose: two Slidev builds at once do not fit this machine's memory.
  for (const deck of decks) if (deckIsStale(deck)) await buildDeck(deck)
  const workshops = await loadPolls(SLIDES_DIR)
  const sample = await pollsOfDeck(SAMPLE_DECK)
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS })
  return { decks, pollsOf: (deck) => (deck === SAMPLE_DECK ? sample : workshops), browser }
}

/**
 * Opens a new presenter link in this page, as the facilitator does, and waits until the link's
 * page has signed the browser in and opened the presenter view.
 */
export async function openPresenterLink(page: Page, server: { presenterLink(): Promise<string> }): Promise<void> {
  await page.goto(await server.presenterLink())
  await page.waitForURL(/\/presenter\/1$/, { timeout: 15_000 })
}

/**
 * The live poll loop as people do it, on a kit started from the command line: the facilitator
 * opens the presenter link and opens voting on the poll's slide, a phone (360 px, no presenter
 * cookie) taps `option`, and the projector's copy of the slide shows the vote.
 */
export async function phoneVoteShowsOnSlide(
  browser: Browser,
  kit: { url: string; presenterLink: string },
  poll: { slide: number; id: string; option: string },
): Promise<void> {
  const presenter = await browser.newPage({ viewport: { width: 1400, height: 900 } })
  await presenter.goto(kit.presenterLink)
  await presenter.waitForURL(/\/presenter\/1$/, { timeout: 15_000 })
  await presenter.goto(`${kit.url}/presenter/${poll.slide}`)
  const controls = presenter.locator(`[data-poll-controls="${poll.id}"]`)
  await controls.getByText('Voting closed').waitFor({ timeout: 15_000 })
  await controls.getByRole('button', { name: 'Open voting' }).click()
  await controls.getByText('Voting open').waitFor({ timeout: 10_000 })

  const projector = await browser.newPage({ viewport: { width: 1280, height: 720 } })
  await projector.goto(`${kit.url}/${poll.slide}`)
  const results = projector.locator(`[data-poll="${poll.id}"]`)
  await expect.poll(() => results.getAttribute('data-total'), { timeout: 15_000 }).toBe('0')

  const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true })
  const page = await phone.newPage()
  await page.goto(`${kit.url}/vote`)
  await page.getByRole('button', { name: poll.option, exact: true }).click()
  await expect.poll(() => page.locator('#status').textContent(), { timeout: 10_000 }).toContain('Your vote counted')

  await expect.poll(() => results.getAttribute('data-total'), { timeout: 10_000 }).toBe('1')
  const row = results.locator('li', { hasText: poll.option })
  await expect.poll(() => row.locator('.poll-count').textContent(), { timeout: 5_000 }).toBe('1')
  await Promise.all([phone.close(), presenter.close(), projector.close()])
}
