// What is the presenter's stays the presenter's: speaker notes (with the suggested answers and
// readings they carry), quiz explanations and presenter-only slides are in no file of the decks
// built for the room and in no response to anyone without a presenter session; a presenter
// session gets them. Checked in the built files themselves, not only in the pages.
import { readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { join, relative, sep } from 'node:path'
import { load } from '@slidev/parser/fs'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM_ARGS, findChromium } from '../handouts/chromium.ts'
import { buildDeck, buildForRoom, deckEntry, deckIsStale, deckNames, deckOutDir } from '../server/deck.ts'
import { type RunningServer, startKit } from '../server/kit.ts'
import { loadPolls } from '../server/polls.ts'
import { readSettings, SLIDES_DIR } from '../server/settings.ts'
import { closeClients, connect, synced } from './harness/clients.ts'
import { signIn } from './harness/kit.ts'
import { tempDir } from './harness/system.ts'

const SECRET = 'presenter-content-secret-4k'

/** Every file under a folder. */
function files(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name)
    return statSync(path).isDirectory() ? files(path) : [path]
  })
}

/** Runs of six or more words, as they read in a note (Markdown and punctuation taken out). */
function phrases(markdown: string): string[] {
  const text = markdown
    .replace(/<[^>]+>/g, ' ')
    .replace(/[*_`#>[\]()]/g, ' ')
    .replace(/&[a-z]+;/g, ' ')
  return text
    .split(/[.,;:!?“”"()\n–—]+/)
    .map((run) => run.trim().replace(/\s+/g, ' '))
    .filter((run) => run.split(' ').length >= 6)
}

/**
 * What only the presenter may read, in both decks: each note's phrases and each quiz's
 * explanation, leaving out any phrase the slides themselves show (a note may quote its slide).
 */
async function presenterPhrases(): Promise<string[]> {
  const onSlides: string[] = []
  const inNotes: string[] = []
  for (const deck of deckNames()) {
    const { slides } = await load({ userRoot: SLIDES_DIR, roots: [SLIDES_DIR] }, deckEntry(deck))
    for (const slide of slides) {
      // The frontmatter as the deck is built from it: without the quiz's answer and explanation.
      const poll = slide.frontmatter.poll as Record<string, unknown> | undefined
      const frontmatter = { ...slide.frontmatter, poll: poll && { ...poll, correct: null, explain: null } }
      onSlides.push(slide.content, JSON.stringify(frontmatter))
      inNotes.push(...phrases(slide.note ?? ''))
    }
  }
  for (const poll of await loadPolls(SLIDES_DIR)) if (poll.explain) inNotes.push(...phrases(poll.explain))
  const slideText = onSlides.join('\n').replace(/\s+/g, ' ')
  return [...new Set(inNotes)].filter((phrase) => !slideText.includes(phrase))
}

/** The phrases found in a text (none, for anything the room may read). */
const found = (phrases: string[], text: string) => phrases.filter((phrase) => text.includes(phrase))

let secretPhrases: string[]
beforeAll(async () => {
  for (const deck of deckNames()) if (deckIsStale(deck)) await buildDeck(deck)
  secretPhrases = await presenterPhrases()
  // Enough of them to mean something: every note, the suggested answers and readings in it.
  expect(secretPhrases.length).toBeGreaterThan(200)
  for (const poll of await loadPolls(SLIDES_DIR)) {
    if (poll.explain) expect(phrases(poll.explain).some((phrase) => secretPhrases.includes(phrase))).toBe(true)
  }
})

describe('the decks built for the room', () => {
  it('carry no speaker note, suggested answer or explanation in any file', () => {
    for (const deck of deckNames()) {
      const built = files(deckOutDir(deck)).map((path) => readFileSync(path, 'utf8'))
      expect(built.length).toBeGreaterThan(10)
      expect(found(secretPhrases, built.join('\n')), deck).toEqual([])
    }
  })
})

describe('what the kit serves', () => {
  let dir: ReturnType<typeof tempDir>
  let server: RunningServer
  let url: string
  beforeAll(async () => {
    dir = tempDir()
    server = await startKit(
      { ...readSettings(['--port', '0', '--host', '127.0.0.1', '--data-dir', dir.path]), secret: SECRET },
      { deckDir: deckOutDir('workshop') },
    )
    url = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    closeClients()
    await server?.close()
    dir?.remove()
  })

  it('gives none of it to anyone without a presenter session, and all of it to a presenter', async () => {
    const served: { what: string; text: string }[] = []
    const fetchText = async (path: string, headers: Record<string, string> = {}) => {
      const response = await fetch(`${url}${path}`, { headers })
      served.push({ what: `${path} (${response.status})`, text: await response.text() })
      return response
    }
    const deckDir = deckOutDir('workshop')
    for (const path of files(deckDir)) {
      const name = relative(deckDir, path)
      if (!name.startsWith('.')) await fetchText(`/${name.split(sep).map(encodeURIComponent).join('/')}`)
    }
    for (const path of ['/', '/2', '/presenter/2', '/notes', '/vote', '/present', '/api/polls', '/api/cards']) {
      await fetchText(path)
    }
    for (const poll of await loadPolls(SLIDES_DIR)) await fetchText(`/api/polls/${poll.id}`)
    expect((await fetchText('/api/presenter/notes')).status).toBe(401)
    served.push({
      what: 'sync to a phone',
      text: JSON.stringify(await synced(connect(url, { role: 'voter', participantId: 'curious-one' }))),
    })
    served.push({ what: 'sync to a deck', text: JSON.stringify(await synced(connect(url, { role: 'deck' }))) })
    const leaks = served.flatMap(({ what, text }) => (found(secretPhrases, text).length ? [what] : []))
    expect(leaks).toEqual([])

    // The presenter's session reads the notes of this deck (the short deck's own are its own).
    const cookie = await signIn(url, await server.presenterLink())
    const notes = await (await fetch(`${url}/api/presenter/notes`, { headers: { cookie } })).text()
    const workshopPhrases = found(secretPhrases, notes)
    expect(workshopPhrases.length).toBeGreaterThan(secretPhrases.length / 2)
  })
})

describe('a presenter-only slide', () => {
  // A small deck of its own (the workshop has no presenter-only slide), built as `npm start`
  // builds decks, with the kit's own setup: Slidev's preparser and the presenter view's notes.
  let folder: ReturnType<typeof tempDir>
  let server: RunningServer
  const deck = [
    '---',
    'title: Presenter-only fixture',
    'fonts:',
    '  provider: none',
    '---',
    '',
    '# For the room',
    '',
    '<!--',
    'ROOM-SLIDE-NOTE-MARKER',
    '-->',
    '',
    '---',
    'presenterOnly: true',
    '---',
    '',
    '# Answer key KEY-TITLE-MARKER',
    '',
    'Round 1: KEY-BODY-MARKER.',
    '',
    '<!--',
    'KEY-NOTE-MARKER',
    '-->',
    '',
  ].join('\n')

  beforeAll(async () => {
    folder = tempDir('kit-presenter-only-')
    writeFileSync(join(folder.path, 'deck.md'), deck)
    symlinkSync(join(SLIDES_DIR, 'setup'), join(folder.path, 'setup'))
    writeFileSync(
      join(folder.path, 'vite.config.ts'),
      `export { default } from '${join(SLIDES_DIR, 'vite.config.ts')}'\n`,
    )
    const out = join(folder.path, 'dist')
    await buildForRoom(join(folder.path, 'deck.md'), out)
    server = await startKit(
      {
        ...readSettings(['--port', '0', '--host', '127.0.0.1', '--data-dir', join(folder.path, 'data')]),
        secret: SECRET,
      },
      { deckDir: out, notesFrom: join(folder.path, 'deck.md') },
    )
  }, 120_000)
  afterAll(async () => {
    await server?.close()
    rmSync(folder.path, { recursive: true, force: true })
  })

  it('is in no built file, shows the room an empty slide and the presenter its content', async () => {
    const built = files(join(folder.path, 'dist'))
      .map((path) => readFileSync(path, 'utf8'))
      .join('\n')
    expect(built).toContain('For the room')
    for (const marker of ['KEY-TITLE-MARKER', 'KEY-BODY-MARKER', 'KEY-NOTE-MARKER', 'ROOM-SLIDE-NOTE-MARKER']) {
      expect(built, marker).not.toContain(marker)
    }
    const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS })
    try {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } })
      const presenter = await context.newPage()
      await presenter.goto(await server.presenterLink())
      await presenter.waitForURL(/\/presenter\/1$/)
      await presenter.goto(`${server.url}/presenter/2`)
      const current = presenter.locator('#slide-content [data-slidev-no="2"] [data-presenter-only]').first()
      await expect.poll(() => current.textContent()).toContain('KEY-BODY-MARKER')
      await expect.poll(() => presenter.locator('.slidev-note').first().textContent()).toContain('KEY-NOTE-MARKER')
      // The projector (same browser, same session) and anyone else see the slide empty.
      const projector = await context.newPage()
      await projector.goto(`${server.url}/2`)
      await projector.locator('[data-presenter-only]').first().waitFor({ state: 'attached' })
      expect(await projector.content()).not.toContain('KEY-BODY-MARKER')
    } finally {
      await browser.close()
    }
  })
})
