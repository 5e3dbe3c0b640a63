// Helpers for the browser tests of the built decks.
import { dirname } from 'node:path'
import { load } from '@slidev/parser/fs'
import { type Browser, chromium, type Page } from 'playwright-core'
import { CHROMIUM_ARGS, findChromium } from '../handouts/chromium.ts'
import { buildDeck, deckEntry, deckIsStale, deckNames } from '../server/deck.ts'
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
  const { slides } = await load({ userRoot: SLIDES_DIR, roots: [SLIDES_DIR] }, deckEntry(deck))
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
  const root = dirname(deckFile)
  const { slides } = await load({ userRoot: root, roots: [root] }, deckFile)
  const index = slides.findIndex((slide) => slide.frontmatter.poll?.id === pollId)
  if (index < 0) throw new Error(`No slide in ${deckFile} declares poll "${pollId}"`)
  return index + 1
}

/** The 1-based number of the first slide whose Markdown includes `text` (e.g. '<Questions'). */
export async function slideNumberWith(deckFile: string, text: string): Promise<number> {
  const root = dirname(deckFile)
  const { slides } = await load({ userRoot: root, roots: [root] }, deckFile)
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
  const { slides } = await load({ userRoot: SLIDES_DIR, roots: [SLIDES_DIR] }, deckEntry(deck))
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
