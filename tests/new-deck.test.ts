// A new session in one command, as a facilitator types it: `npm run new -- "Giving feedback"`
// makes a deck from the kit's template, `npm start -- --deck giving-feedback` builds and presents
// it with no edit, and a phone's vote shows on its first poll's slide in Chromium. The decks
// folder is a temporary one (SLIDES_DIR), so the kit's own decks and the other tests never see it.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM_ARGS, findChromium } from '../handouts/chromium.ts'
import { readDeck } from '../server/deck-source.ts'
import { deckNameOf, newDeck } from '../server/new-deck.ts'
import { POLL_KINDS, PollDefinitionSchema } from '../server/poll-definition.ts'
import { ROOT } from '../server/settings.ts'
import { phoneVoteShowsOnSlide, slideNumberOfPoll } from './deck-helpers.ts'
import { type KitCommand, runKitCommand } from './harness/kit-command.ts'
import { stopChildren, tempDir } from './harness/system.ts'

let dir: ReturnType<typeof tempDir>
let slides: string
let kit: KitCommand | undefined
let browser: Browser

beforeAll(async () => {
  dir = tempDir('kit-new-deck-')
  slides = join(dir.path, 'slides')
  mkdirSync(slides)
  browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS })
})

afterAll(async () => {
  await kit?.stop()
  await browser?.close()
  stopChildren()
  dir?.remove()
})

const env = () => ({ ...process.env, SLIDES_DIR: slides })

describe('npm run new', () => {
  it('names the deck after its title and never overwrites one', () => {
    expect(deckNameOf('Giving feedback')).toBe('giving-feedback')
    expect(deckNameOf('  Équipe : rétro #3 ')).toBe('equipe-retro-3')
    expect(() => newDeck('!!!', slides)).toThrow(/a letter or digit/)
    newDeck('Twice', slides)
    expect(() => newDeck('twice', slides)).toThrow(/already exists: choose another title/)
  })

  it('makes a deck with every layout, every poll kind, an agenda, a join slide and notes in the kit’s cues', async () => {
    const output = execFileSync('npm', ['run', '--silent', 'new', '--', 'Giving feedback'], {
      cwd: ROOT,
      env: env(),
      encoding: 'utf8',
    })
    expect(output).toContain('npm start -- --deck giving-feedback')
    const file = join(slides, 'giving-feedback.md')
    expect(readFileSync(file, 'utf8')).toContain('title: "Giving feedback"')
    const { slides: parsed } = await readDeck(file)
    const layouts = new Set(parsed.map((slide) => slide.frontmatter.layout ?? 'default'))
    for (const layout of ['cover', 'section', 'poll', 'practice', 'compare', 'quote', 'close', 'default']) {
      expect(layouts, layout).toContain(layout)
    }
    const kinds = parsed.flatMap((slide) =>
      slide.frontmatter.poll ? [PollDefinitionSchema.parse(slide.frontmatter.poll).kind] : [],
    )
    expect([...kinds].sort()).toEqual([...POLL_KINDS].sort())
    expect(parsed.some((slide) => Array.isArray(slide.frontmatter.agenda))).toBe(true)
    expect(parsed.some((slide) => slide.content.includes('<JoinQr'))).toBe(true)
    expect(parsed.some((slide) => slide.content.includes('<Questions'))).toBe(true)
    for (const [i, slide] of parsed.entries()) {
      expect(slide.note, `slide ${i + 1}`).toMatch(/\*\*(Say|Do):\*\*/)
      expect(slide.note, `slide ${i + 1}`).toMatch(/\*\*Time:\*\* \d/)
    }
  })

  it('refuses a deck with a wrong layout at start-up, before building it, naming the slide and the fix', async () => {
    const file = join(slides, 'giving-feedback.md')
    writeFileSync(
      join(slides, 'broken.md'),
      readFileSync(file, 'utf8').replace('layout: compare', 'layout: comparison'),
    )
    const broken = runKitCommand('npm', ['start', '--', '--deck', 'broken', '--port', '0'], { cwd: ROOT, env: env() })
    await expect(broken.ready).rejects.toThrow(
      /A slide needs fixing: .*broken\.md, slide 8: there is no layout "comparison"\. Write one of the kit's \(layout: close, compare,/,
    )
    expect(broken.output()).not.toContain('Building')
    rmSync(join(slides, 'broken.md'))
  })

  it('presents the new deck with `npm start -- --deck giving-feedback`, and a phone votes on it', async () => {
    const data = join(dir.path, 'data')
    kit = runKitCommand(
      'npm',
      ['start', '--', '--deck', 'giving-feedback', '--port', '0', '--host', '127.0.0.1', '--data-dir', data],
      { cwd: ROOT, env: env() },
    )
    const running = await kit.ready
    expect(kit.output()).toContain('Giving feedback — the "giving-feedback" deck is live.')
    expect(existsSync(join(dir.path, 'dist', 'giving-feedback', 'index.html'))).toBe(true)
    const slide = await slideNumberOfPoll(join(slides, 'giving-feedback.md'), 'giving-feedback-arriving')
    await phoneVoteShowsOnSlide(browser, running, { slide, id: 'giving-feedback-arriving', option: 'Curious' })
  }, 240_000)

  it('exports its handouts with `npm run handouts -- --deck giving-feedback`: the kit’s, with what the room said', () => {
    const out = join(dir.path, 'out')
    const args = ['run', 'handouts', '--', '--deck', 'giving-feedback', '--session', 'current']
    const result = spawnSync('npm', [...args, '--out', out, '--data-dir', join(dir.path, 'data')], {
      cwd: ROOT,
      env: env(),
      encoding: 'utf8',
      timeout: 280_000,
    })
    expect(result.status, result.stderr + result.stdout).toBe(0)
    for (const file of ['slides', 'handout', 'facilitator-guide'].map((name) => `${name}-giving-feedback.pdf`)) {
      expect(existsSync(join(out, file)), file).toBe(true)
    }
    const handout = execFileSync('pdftotext', [join(out, 'handout-giving-feedback.pdf'), '-'], { encoding: 'utf8' })
    expect(handout).toContain('Giving feedback')
    expect(handout).toContain('How are you arriving today?') // the phone's vote, in what the room said
    expect(handout).not.toMatch(/Leader hat|Manager hat|breakdown/i) // the workshop's own pages stay the workshop's
    const guide = execFileSync('pdftotext', [join(out, 'facilitator-guide-giving-feedback.pdf'), '-'], {
      encoding: 'utf8',
    })
    expect(guide).not.toMatch(/Leader hat|Manager hat/)
    const messages = readFileSync(join(out, 'follow-up-giving-feedback.md'), 'utf8')
    expect(messages).toMatch(/^# Follow-up messages: Giving feedback/)
    expect(messages).not.toMatch(/\bhats?\b|\barticle\b/i)
  }, 300_000)
})
