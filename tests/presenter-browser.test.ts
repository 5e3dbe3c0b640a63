// The presenter's side in real Chromium, against the kit as `npm start` serves the built deck:
// the presenter link signs a browser in once and leaves nothing in its history that grants
// presenter rights; the notes reach the presenter view and nothing else; pages of another site
// cannot frame the presenter view; the Content-Security-Policy blocks nothing the kit needs.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { load } from '@slidev/parser/fs'
import Database from 'better-sqlite3'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM_ARGS, findChromium } from '../handouts/chromium.ts'
import { deckEntry, deckOutDir } from '../server/deck.ts'
import { type RunningServer, startKit } from '../server/kit.ts'
import { loadPresenterNotes } from '../server/presenter-notes.ts'
import { readSettings, SLIDES_DIR } from '../server/settings.ts'
import { openPresenterLink, settle } from './deck-helpers.ts'
import { tempDir } from './harness/system.ts'

const SECRET = 'presenter-browser-secret-8fQ2'
let dir: ReturnType<typeof tempDir>
let server: RunningServer
let browser: Browser
/** The first sentence of slide 2's notes, as the presenter reads it. */
let noteText: string

beforeAll(async () => {
  dir = tempDir()
  server = await startKit(
    { ...readSettings(['--port', '0', '--host', '127.0.0.1', '--data-dir', dir.path]), secret: SECRET },
    { deckDir: deckOutDir('workshop') },
  )
  const { notes } = await loadPresenterNotes(deckEntry('workshop'))
  noteText = plain(notes[2] ?? '').slice(0, 60)
  expect(noteText.length).toBeGreaterThan(30)
  browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS })
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
  dir?.remove()
})

/** Text of an HTML fragment, as a browser shows it. */
const plain = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim()

const exchange = (code: string) =>
  fetch(`${server.url}/api/presenter/sessions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code }),
  })

/** Every file under a folder (a browser profile). */
function files(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name)
    try {
      return statSync(path).isDirectory() ? files(path) : [path]
    } catch {
      return [] // a socket or a file Chromium removed meanwhile
    }
  })
}

/** One slide of each layout and of each poll kind (the components that may need something). */
async function oneOfEachKind(): Promise<number[]> {
  const { slides } = await load({ userRoot: SLIDES_DIR, roots: [SLIDES_DIR] }, deckEntry('workshop'))
  const seen = new Set<string>()
  return slides.flatMap((slide, i) => {
    const poll = slide.frontmatter.poll as { kind?: string } | undefined
    const kind = `${slide.frontmatter.layout ?? 'default'} ${poll ? (poll.kind ?? 'single') : ''} ${/<[A-Z]/.test(slide.content) ? slide.content.match(/<([A-Z]\w+)/)?.[1] : ''}`
    if (seen.has(kind)) return []
    seen.add(kind)
    return [i + 1]
  })
}

/** Collects what the Content-Security-Policy blocked on a page, from the moment it loads. */
async function watchPolicy(page: Page): Promise<string[]> {
  const blocked: string[] = []
  await page.exposeFunction('reportBlocked', (what: string) => blocked.push(what))
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      void (window as unknown as { reportBlocked(what: string): void }).reportBlocked(
        `${event.violatedDirective} ${event.blockedURI} at ${location.pathname}`,
      )
    })
  })
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) blocked.push(message.text())
  })
  return blocked
}

describe('the presenter link', () => {
  it('signs a browser in once, and its history holds nothing that grants presenter rights', async () => {
    const profile = tempDir('kit-presenter-profile-')
    let context: BrowserContext | undefined
    try {
      context = await chromium.launchPersistentContext(profile.path, {
        executablePath: findChromium(),
        args: CHROMIUM_ARGS,
        viewport: { width: 1400, height: 900 },
      })
      const page = context.pages()[0] ?? (await context.newPage())
      const link = await server.presenterLink()
      await openPresenterLink(page, { presenterLink: async () => link })
      // The address bar never kept the code, and the presenter view shows the notes.
      expect(page.url()).toBe(`${server.url}/presenter/1`)
      await page.goto(`${server.url}/presenter/2`)
      await expect.poll(() => page.locator('.slidev-note').first().textContent()).toContain(noteText)
      await page.screenshot({ path: join(dir.path, 'presenter-notes.png') })
      await context.close()
      context = undefined

      // What the browser kept: every address it visited, and every file of its profile.
      const history = new Database(join(profile.path, 'Default', 'History'), { readonly: true })
      const urls = history.prepare<[], { url: string }>('SELECT url FROM urls').all()
      history.close()
      expect(urls.some(({ url }) => url.includes('/present'))).toBe(true) // the link was recorded…
      for (const { url } of urls) {
        const code = new URL(url).hash.slice(1)
        if (code) expect((await exchange(code)).status, url).toBe(403) // …and is worth nothing now
        expect(url).not.toContain(SECRET)
      }
      for (const path of files(profile.path)) {
        const bytes = readFileSync(path)
        expect(bytes.includes(SECRET), path).toBe(false)
        expect(bytes.includes(Buffer.from(SECRET, 'utf16le')), path).toBe(false)
      }
    } finally {
      await context?.close()
      profile.remove()
    }
  })

  it('tells a browser that opens a used link why, and does not sign it in', async () => {
    const link = await server.presenterLink()
    expect((await exchange(new URL(link).hash.slice(1))).status).toBe(201)
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(link)
    await expect.poll(() => page.locator('#status').textContent()).toMatch(/used already.*npm run presenter -- link/)
    expect(page.url()).toBe(`${server.url}/present`)
    expect(await context.cookies()).toEqual([])
    await context.close()
  })
})

describe('presenter-only content', () => {
  it('reaches the presenter view, and not a browser without a presenter session', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } })
    const page = await context.newPage()
    await page.goto(`${server.url}/presenter/2`)
    await expect.poll(() => page.locator('.slidev-note').first().textContent()).toMatch(/open the presenter link/)
    expect(await page.content()).not.toContain(noteText)
    await context.close()
  })
})

describe('framing', () => {
  let other: Server
  let otherUrl: string
  beforeAll(async () => {
    // Another site (here: another port of the same machine) that frames the kit's pages.
    other = createServer((_req, res) => {
      res.setHeader('Content-Type', 'text/html')
      res.end(
        `<iframe id="presenter" src="${server.url}/presenter/3"></iframe><iframe id="deck" src="${server.url}/3"></iframe><iframe id="phone" src="${server.url}/vote"></iframe>`,
      )
    })
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve))
    otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => other.close(() => resolve())))

  it('refuses a page from another origin, even in the presenter’s own browser', async () => {
    const context = await browser.newContext()
    const login = await context.newPage()
    await openPresenterLink(login, server)
    await login.close() // it ends on the presenter view, which would steer the other windows
    const page = await context.newPage()
    const refused: string[] = []
    page.on('console', (message) => {
      if (/frame-ancestors/.test(message.text())) refused.push(message.text())
    })
    await page.goto(otherUrl)
    await expect.poll(() => refused.length).toBe(3)
    // The presenter view may not be framed at all; the deck and the phone page by the kit only.
    expect(refused.filter((text) => text.includes(`"frame-ancestors 'none'"`))).toHaveLength(1)
    expect(refused.filter((text) => text.includes(`"frame-ancestors 'self'"`))).toHaveLength(2)
    // None of the three rendered anything of the kit.
    for (const frame of page.frames().slice(1)) {
      const app = await frame
        .locator('#app, #main')
        .count()
        .catch(() => 0)
      expect(app, frame.url()).toBe(0)
    }
    await context.close()
  })
})

describe('Content-Security-Policy', () => {
  it('blocks nothing the deck, the presenter view or the phone page needs', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } })
    const login = await context.newPage()
    await openPresenterLink(login, server)
    await login.close() // it ends on the presenter view, which would steer the other windows
    const page = await context.newPage()
    const blocked = await watchPolicy(page)
    for (const no of await oneOfEachKind()) {
      await page.goto(`${server.url}/${no}`)
      await settle(page, no)
    }
    await page.goto(`${server.url}/presenter/2`)
    await page.locator('.slidev-note').first().waitFor()
    const phone = await context.newPage()
    const blockedOnPhone = await watchPolicy(phone)
    await phone.goto(`${server.url}/vote`)
    await phone.locator('#conn[data-state="online"]').waitFor()
    expect([...blocked, ...blockedOnPhone]).toEqual([])
    await context.close()
  }, 120_000)
})
