// Every slide of every deck, rendered in real Chromium the way the room sees it: the built deck
// served by the real server, polls holding realistic results, every click revealed. The test
// fails when anything on a slide runs outside the slide, when a clipping box (a word cloud, a
// table cell) cuts its own content off, or when floating reaction emoji would pass over text.
// The presenter's view of the interactive slides (with its poll controls) and each quiz after
// its reveal are checked too. Since it builds the decks anyway, it also checks that no quiz
// answer reached the files the browser loads (slides/setup/preparser.ts strips them).
//
// DECK_OVERFLOW_SHOTS=/some/dir saves a screenshot of every checked slide there.
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deckOutDir } from '../server/deck.ts'
import { type RunningServer, startKit } from '../server/kit.ts'
import type { PollDefinition } from '../server/poll-definition.ts'
import { readSettings } from '../server/settings.ts'
import { checkedDecks, openPresenterLink, prepareDecks, settle, slideSelector, slidesOf } from './deck-helpers.ts'
import { seededDataDir } from './deck-seed.ts'

const SECRET = 'overflow-presenter-secret'
const VIEWPORT = { width: 1280, height: 720 }
/** Past the last click of any slide: Slidev clamps it to the slide's own number of clicks. */
const ALL_CLICKS = 999
/** Half a slide pixel of rounding is not an overflow. */
const TOLERANCE = 1
const SHOTS = process.env.DECK_OVERFLOW_SHOTS

const decks = checkedDecks()
let browser: Browser
let pollsOf: (deck: string) => PollDefinition[]

beforeAll(async () => {
  ;({ pollsOf, browser } = await prepareDecks())
  if (SHOTS) mkdirSync(SHOTS, { recursive: true })
}, 600_000)

afterAll(async () => {
  await browser?.close()
})

// ---------------------------------------------------------------------------------------------
// In the page: wait for a slide to be complete, then measure it.

interface Problem {
  what: string
  element: string
  px: number
}

/** Runs in the page: everything on the current slide that does not fit. Sizes in slide pixels. */
function measure({ selector, tolerance }: { selector: string; tolerance: number }): Problem[] {
  const frame = document.querySelector<HTMLElement>('#slide-content')
  const layout = document.querySelector<HTMLElement>(selector)
  if (!frame || !layout) return [{ what: 'did not render', element: selector, px: 0 }]
  const box = frame.getBoundingClientRect()
  const scale = box.width / frame.offsetWidth
  const problems: Problem[] = []
  const describe = (el: Element) => {
    const classes = [...el.classList].filter((name) => !name.startsWith('slidev-vclick')).slice(0, 3)
    const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 50)
    return `<${el.tagName.toLowerCase()}${classes.length ? `.${classes.join('.')}` : ''}>${text ? ` "${text}"` : ''}`
  }
  const clips = (el: Element) => {
    const style = getComputedStyle(el)
    return style.overflowX !== 'visible' || style.overflowY !== 'visible'
  }
  const shown = (el: Element) => {
    const style = getComputedStyle(el)
    return style.display !== 'none' && style.visibility !== 'hidden' && !el.closest('.slidev-vclick-hidden')
  }

  for (const el of [layout, ...layout.querySelectorAll('*')]) {
    if (!shown(el) || (el.closest('svg') !== el && el.closest('svg'))) continue
    const rect = el.getBoundingClientRect()
    if (rect.width === 0 && rect.height === 0) continue
    // 1. Beyond the slide. Inside a clipping box only the box itself counts (checked below).
    let clipped = false
    for (let parent = el.parentElement; parent && parent !== layout; parent = parent.parentElement) {
      if (clips(parent)) clipped = true
    }
    if (!clipped) {
      const sides = {
        top: box.top - rect.top,
        bottom: rect.bottom - box.bottom,
        left: box.left - rect.left,
        right: rect.right - box.right,
      }
      for (const [side, px] of Object.entries(sides)) {
        if (px / scale > tolerance) {
          problems.push({
            what: `runs ${Math.round(px / scale)} px past the slide's ${side} edge`,
            element: describe(el),
            px: px / scale,
          })
        }
      }
    }
    // 2. A clipping box that cuts its own content off (a word cloud, a cell, a track).
    if (clips(el) && el instanceof HTMLElement) {
      const hiddenY = el.scrollHeight - el.clientHeight
      const hiddenX = el.scrollWidth - el.clientWidth
      if (hiddenY > tolerance) {
        problems.push({ what: `clips ${hiddenY} px of its content vertically`, element: describe(el), px: hiddenY })
      }
      if (hiddenX > tolerance) {
        problems.push({ what: `clips ${hiddenX} px of its content horizontally`, element: describe(el), px: hiddenX })
      }
    }
  }

  // 3. Reaction emoji float up through their stage: no text of the slide may sit in it.
  for (const stage of layout.querySelectorAll('.poll-reactions .stage')) {
    const area = stage.getBoundingClientRect()
    const own = stage.closest('.poll-results') ?? stage
    const walker = document.createTreeWalker(layout, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement
      if (!node.textContent?.trim() || !parent || own.contains(parent) || !shown(parent)) continue
      const range = document.createRange()
      range.selectNodeContents(node)
      for (const line of range.getClientRects()) {
        const overlapX = Math.min(line.right, area.right) - Math.max(line.left, area.left)
        const overlapY = Math.min(line.bottom, area.bottom) - Math.max(line.top, area.top)
        if (overlapX / scale > tolerance && overlapY / scale > tolerance) {
          problems.push({
            what: `sits where reaction emoji float (${Math.round(overlapY / scale)} px into their path)`,
            element: describe(parent),
            px: overlapY / scale,
          })
          break
        }
      }
    }
  }
  return problems
}

// ---------------------------------------------------------------------------------------------

interface Checked {
  problems: string[]
  /** Slides with live components: poll results, the timer, the session badge. */
  interactive: number[]
}

async function checkSlides(
  context: BrowserContext,
  base: string,
  numbers: number[],
  view: 'audience' | 'presenter',
  label: string,
): Promise<Checked> {
  const page = await context.newPage()
  const result: Checked = { problems: [], interactive: [] }
  try {
    for (const no of numbers) {
      const path = view === 'presenter' ? `/presenter/${no}` : `/${no}`
      await page.goto(`${base}${path}?clicks=${ALL_CLICKS}`)
      await settle(page, no)
      const found = await page.evaluate(measure, { selector: slideSelector(no), tolerance: TOLERANCE })
      for (const problem of found) result.problems.push(`${label} slide ${no}: ${problem.element} ${problem.what}`)
      const live = await page
        .locator(`${slideSelector(no)} :is(.poll-results, .focus-timer, .session, .compare)`)
        .count()
      if (live) result.interactive.push(no)
      if (SHOTS)
        await page
          .locator('#slide-content')
          .screenshot({ path: join(SHOTS, `${label.replace(/\W+/g, '-')}-${String(no).padStart(2, '0')}.png`) })
    }
  } finally {
    await page.close()
  }
  return result
}

describe('every slide fits its frame', () => {
  for (const deck of decks) {
    it(`${deck}: all slides, all clicks, polls with results, presenter view and quiz reveals`, async () => {
      const slides = await slidesOf(deck)
      const polls = pollsOf(deck)
      const dir = await seededDataDir(polls)
      const settings = {
        ...readSettings(['--port', '0', '--host', '127.0.0.1', '--data-dir', dir.path]),
        secret: SECRET,
      }
      let server: RunningServer | undefined
      const audience = await browser.newContext({ viewport: VIEWPORT })
      const presenter = await browser.newContext({ viewport: VIEWPORT })
      try {
        server = await startKit(settings, { deckDir: deckOutDir(deck), polls })
        const engine = server.engine
        // Open every poll, as the presenter would on its slide: footers show "Voting open" and
        // the join address, the longest they get.
        for (const poll of polls)
          expect(await engine.control({ pollId: poll.id, action: 'open' })).toEqual({ ok: true })

        // Both windows run in the presenter's browser, which holds the presenter cookie: the
        // projector shows what the room sees (and the comparison with earlier sessions).
        for (const context of [audience, presenter]) {
          const login = await context.newPage()
          await openPresenterLink(login, server)
          await login.close()
        }
        const all = slides.map((slide) => slide.no)
        const shown = await checkSlides(audience, server.url, all, 'audience', `${deck}`)
        const problems = [...shown.problems]

        // The presenter's own view adds the poll controls (and the Reveal button) under results.
        problems.push(
          ...(await checkSlides(presenter, server.url, shown.interactive, 'presenter', `${deck} presenter`)).problems,
        )

        // Reveal every quiz and hidden poll: bars, the suggested reading and the explanation appear.
        const revealable = new Set(
          polls.filter((poll) => poll.kind === 'quiz' || poll.results === 'hidden').map((poll) => poll.id),
        )
        const quizSlides = slides.filter((slide) => slide.pollId && revealable.has(slide.pollId))
        for (const slide of quizSlides) await engine.control({ pollId: slide.pollId as string, action: 'reveal' })
        const numbers = quizSlides.map((slide) => slide.no)
        problems.push(...(await checkSlides(audience, server.url, numbers, 'audience', `${deck} revealed`)).problems)
        problems.push(
          ...(await checkSlides(presenter, server.url, numbers, 'presenter', `${deck} presenter revealed`)).problems,
        )

        expect(problems, `Content does not fit its slide:\n${problems.join('\n')}`).toEqual([])
      } finally {
        await audience.close()
        await presenter.close()
        await server?.close()
        dir.remove()
      }
    }, 240_000)
  }
})

// ---------------------------------------------------------------------------------------------

/** Every file the built deck's index.html loads, directly or through other chunks. */
function loadedFiles(outDir: string): Map<string, string> {
  const files = new Map<string, string>()
  const queue = [join(outDir, 'index.html')]
  for (let file = queue.pop(); file; file = queue.pop()) {
    if (files.has(file) || !existsSync(file)) continue
    const text = readFileSync(file, 'utf8')
    files.set(file, text)
    for (const [, path] of text.matchAll(/["'`(]((?:\.{1,2}\/|\/?assets\/)[^"'`()\s]+?\.(?:js|css))["'`)]/g)) {
      if (!path) continue
      queue.push(path.startsWith('.') ? resolve(dirname(file), path) : join(outDir, path.replace(/^\//, '')))
    }
  }
  return files
}

describe('quiz answers stay on the server', () => {
  for (const deck of decks) {
    it(`${deck}: no right answer or explanation in the deck the browser loads`, () => {
      const files = loadedFiles(deckOutDir(deck))
      expect(files.size).toBeGreaterThan(10)
      const leaks: string[] = []
      for (const poll of pollsOf(deck).filter((candidate) => candidate.kind === 'quiz')) {
        const labels = poll.options.filter((option) => poll.correct?.includes(option.id)).map((option) => option.label)
        for (const [file, text] of files) {
          const name = file.slice(deckOutDir(deck).length + 1)
          if (poll.explain && text.includes(poll.explain)) leaks.push(`${name}: the explanation of ${poll.id}`)
          // Data, not code: `correct: "Leader hat"` or `"correct":["leader-hat"]`.
          for (const answer of [...labels, ...(poll.correct ?? [])]) {
            const escaped = answer.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
            if (new RegExp(`correct["'\`]?\\s*:\\s*\\[?\\s*["'\`]${escaped}["'\`]`).test(text)) {
              leaks.push(`${name}: the answer of ${poll.id}`)
            }
          }
        }
      }
      expect(leaks, `Quiz answers in the built deck:\n${leaks.join('\n')}`).toEqual([])
    })
  }
})
