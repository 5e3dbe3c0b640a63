// Attendee text that could fool the kit: "__proto__" (and other Object.prototype names) as a
// word, text that shows nothing (zero-width and other invisible characters), and bidirectional
// controls that would make a question read backwards. Checked on every surface: the API, the
// exports, the slide, the presenter view, the phone page and the printed handout.
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadBreakdown } from '../handouts/breakdown.ts'
import { CHROMIUM_ARGS, findChromium } from '../handouts/chromium.ts'
import { formatOf, loadDeck } from '../handouts/deck.ts'
import { handoutBodyHtml } from '../handouts/handout-html.ts'
import { PAPERS, Printer } from '../handouts/render.ts'
import { loadActionPrompts, loadCheckRows, loadFurtherReading } from '../handouts/slide-content.ts'
import { deckOutDir } from '../server/deck.ts'
import { type RunningServer, startKit } from '../server/kit.ts'
import { type PollDefinition, PollDefinitionSchema, parseAnswer } from '../server/poll-definition.ts'
import { sessionResults } from '../server/results.ts'
import { readSettings } from '../server/settings.ts'
import { PollTally } from '../server/tally.ts'
import { cleanLine, isInvisible } from '../server/text.ts'
import {
  openPresenterLink,
  prepareSampleDeck,
  SAMPLE_DECK,
  SAMPLE_FILE,
  settle,
  slideNumberOfPoll,
  slideNumberWith,
} from './deck-helpers.ts'
import { closeClients, connect, synced, voteId } from './harness/clients.ts'
import { tempDir } from './harness/system.ts'

const SECRET = 'text-safety-secret-77'
/** Bidirectional embeddings, overrides and isolates: none may reach any surface. */
const BIDI = /[\u202A-\u202E\u2066-\u2069]/
/** "What about language support?", with the word in a right-to-left override: it shows reversed. */
const OVERRIDDEN = 'What about \u202Eegaugnal\u202C support?'
const CLEANED = 'What about egaugnal support?'
const HEBREW = 'מה ההבדל בין מנהיג למנהל?'
const INVISIBLE = ['\u200B\u200B', '\u200D\uFE0F', ' \u2800 ', '\u3164', '\u00AD\u2060', '\u202E\u202C']

describe('the text rules (unit)', () => {
  it('refuse text that shows nothing, remove bidi controls, and count "__proto__" like any word', () => {
    for (const text of INVISIBLE) expect(isInvisible(cleanLine(text)), JSON.stringify(text)).toBe(true)
    for (const text of ['ok', '👍', '❤️', 'a\u200Bb', HEBREW]) expect(isInvisible(text), text).toBe(false)
    expect(cleanLine(OVERRIDDEN)).toBe(CLEANED)
    expect(cleanLine(`\u2067${HEBREW}\u2069`)).toBe(HEBREW)
    const words = PollDefinitionSchema.parse({ id: 'w', kind: 'words', question: 'W' })
    expect(parseAnswer(words, '\u200B')).toEqual({ ok: false, error: expect.stringMatching(/would show as blank/) })
    const tally = new PollTally(words)
    for (const [i, word] of ['__proto__', '__proto__', 'constructor', 'hasOwnProperty'].entries()) {
      tally.apply({ participantId: `p${i}`, answer: [word], voteId: `v${i}`, at: i })
    }
    const counts = tally.toTally(true).counts
    expect(Object.entries(counts).sort()).toEqual([
      ['__proto__', 2],
      ['constructor', 1],
      ['hasOwnProperty', 1],
    ])
    expect(Object.hasOwn(tally.allCounts(), '__proto__')).toBe(true)
  })
})

describe('on every surface', () => {
  let dir: ReturnType<typeof tempDir>
  let server: RunningServer
  let url: string
  let browser: Browser
  let wordsPoll: string
  let polls: PollDefinition[]
  beforeAll(async () => {
    dir = tempDir()
    // The sample deck has a slide of every kind: a words poll and the room's questions.
    polls = await prepareSampleDeck()
    server = await startKit(
      { ...readSettings(['--port', '0', '--host', '127.0.0.1', '--data-dir', dir.path]), secret: SECRET },
      { deckDir: deckOutDir(SAMPLE_DECK), polls, notesFrom: SAMPLE_FILE },
    )
    url = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`
    wordsPoll = polls.find((poll) => poll.kind === 'words')?.id ?? ''
    browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS })
  })
  afterAll(async () => {
    closeClients()
    await browser?.close()
    await server?.close()
    dir?.remove()
  })

  it('the server refuses invisible text with a reason, and stores the rest cleaned', async () => {
    const presenter = connect(url, { role: 'deck', secret: SECRET })
    await synced(presenter)
    expect(await presenter.emitWithAck('control', { pollId: wordsPoll, action: 'open' })).toEqual({ ok: true })
    const phone = (i: number) => connect(url, { role: 'voter', participantId: `text-phone-${i}` })
    const phones = [0, 1, 2, 3, 4].map(phone)
    await Promise.all(phones.map((client) => synced(client)))
    const words = ['__proto__', '__proto__', 'constructor', 'toString']
    for (const [i, word] of words.entries()) {
      expect(await phones[i]?.emitWithAck('vote', { pollId: wordsPoll, answer: word, voteId: voteId() })).toMatchObject(
        { ok: true },
      )
    }
    const last = phones[4]
    if (!last) throw new Error('no phone')
    // Refused with a reason: blank, or (bidi controls only, which are taken out) empty.
    const reason = expect.stringMatching(/would show as blank|Type a word or a few|Write your question first/)
    for (const text of INVISIBLE) {
      const word = await last.emitWithAck('vote', { pollId: wordsPoll, answer: text, voteId: voteId() })
      expect(word, JSON.stringify(text)).toMatchObject({ ok: false, error: reason })
      const question = await last.emitWithAck('post', { text, postId: voteId() })
      expect(question, JSON.stringify(text)).toMatchObject({ ok: false, error: reason })
    }
    const named = await last.emitWithAck('post', { text: 'A fair question?', name: '\u3164\u3164', postId: voteId() })
    expect(named).toEqual({ ok: false, error: expect.stringMatching(/name would show as blank/) })
    for (const text of [OVERRIDDEN, HEBREW]) {
      expect(await last.emitWithAck('post', { text, postId: voteId() })).toMatchObject({ ok: true })
    }

    // The API: every word counted, under its own key.
    const results = (await (await fetch(`${url}/api/polls/${wordsPoll}`)).json()) as {
      counts: Record<string, number>
      total: number
    }
    expect(results.total).toBe(4)
    expect(Object.entries(results.counts).sort()).toEqual([
      ['__proto__', 2],
      ['constructor', 1],
      ['tostring', 1],
    ])
    // The exports: the same, and not one bidi control.
    const bearer = { headers: { Authorization: `Bearer ${SECRET}` } }
    const csv = await (await fetch(`${url}/api/sessions/current/results.csv`, bearer)).text()
    const json = await (await fetch(`${url}/api/sessions/current/results.json`, bearer)).text()
    expect(csv).toMatch(/,__proto__,__proto__,2,4,/)
    expect(csv).toContain(CLEANED)
    expect(csv).toContain(HEBREW)
    expect(json).toContain('"__proto__":2')
    for (const [what, text] of Object.entries({ csv, json })) {
      expect(BIDI.test(text), what).toBe(false)
      expect(text, what).not.toContain('\u200B')
    }
  })

  it('the slide, the presenter view and the phone show the words and questions as typed, isolated', async () => {
    const cloudSlide = await slideNumberOfPoll(SAMPLE_FILE, wordsPoll)
    const questionsSlide = await slideNumberWith(SAMPLE_FILE, '<Questions')
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } })
    const projector = await context.newPage()
    await projector.goto(`${url}/${cloudSlide}`)
    await settle(projector, cloudSlide)
    const word = projector.locator('.slidev-page:visible [data-word="__proto__"]')
    expect(await word.textContent()).toBe('__proto__')
    expect(await word.getAttribute('dir')).toBe('auto')
    for (const other of ['constructor', 'tostring']) {
      expect(await projector.locator(`.slidev-page:visible [data-word="${other}"]`).count(), other).toBe(1)
    }
    await projector.goto(`${url}/${questionsSlide}`)
    await settle(projector, questionsSlide)
    const texts = projector.locator('.slidev-page:visible [data-card] .text')
    await expect.poll(() => texts.allTextContents()).toEqual(expect.arrayContaining([CLEANED, HEBREW]))
    for (const text of await texts.all()) expect(await text.getAttribute('dir')).toBe('auto')
    expect(BIDI.test((await projector.locator('.slidev-page:visible').first().textContent()) ?? '')).toBe(false)

    const presenter = await context.newPage()
    await openPresenterLink(presenter, server)
    // The presenter's browser is signed in on the address the link names (localhost).
    await presenter.goto(`${server.url}/presenter/${questionsSlide}`)
    const moderated = presenter.locator('[data-question-controls] .text bdi')
    await expect.poll(() => moderated.allTextContents()).toEqual(expect.arrayContaining([CLEANED, HEBREW]))

    const phone = await browser.newPage({ viewport: { width: 360, height: 740 } })
    await phone.goto(`${url}/vote#takeaway`)
    const takeaway = phone.locator('#takeaway')
    await expect.poll(() => takeaway.textContent()).toContain('__proto__')
    const text = (await takeaway.textContent()) ?? ''
    // The room's words with their counts, each word isolated from the count beside it.
    expect(text).toContain('\u2068__proto__\u2069 (2)')
    expect(text).toContain(`\u2068${CLEANED}\u2069`)
    expect(text).not.toMatch(/[\u202A-\u202E]/)
    await phone.goto(`${url}/vote`)
    const cards = phone.locator('#ask .card-text')
    await expect.poll(() => cards.allTextContents()).toEqual(expect.arrayContaining([CLEANED, HEBREW]))
    for (const card of await cards.all()) expect(await card.getAttribute('dir')).toBe('auto')
    await context.close()
  })

  it('the printed handout shows them as typed', async () => {
    const deck = await loadDeck(SAMPLE_DECK)
    const results = await sessionResults(server.store, polls, server.engine.session)
    const printer = await Printer.launch(findChromium())
    try {
      const printed = await printer.print(
        handoutBodyHtml({
          deck,
          format: formatOf(deck),
          date: 'today',
          session: { name: results.session.name },
          results,
          breakdown: loadBreakdown(),
          checkRows: loadCheckRows(),
          furtherReading: loadFurtherReading(),
          actionPrompts: loadActionPrompts(),
          polls,
          paper: PAPERS.A4,
        }),
        { paper: PAPERS.A4, name: 'the handout' },
      )
      const file = join(dir.path, 'handout.pdf')
      writeFileSync(file, printed.pdf)
      const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })
      expect(text).toContain('__proto__')
      expect(text).toContain('constructor')
      expect(text.replace(/\s+/g, ' ')).toContain(CLEANED)
      // No override (pdftotext itself marks right-to-left runs, the Hebrew question, with embeddings).
      expect(text).not.toMatch(/[\u202D\u202E]/)
      expect(text).toContain(HEBREW.slice(0, 6))
    } finally {
      await printer.close()
    }
  })
})
