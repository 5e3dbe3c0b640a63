// The kit as a Slidev add-on, as a user outside this repository gets it: `npm pack` makes the
// tarball, a bare Slidev project in a temporary folder (its own package.json, one poll and the
// questions wall in its slides.md, one `addons:` line) installs it, `npx workshop-kit start
// --entry slides.md` builds and serves the deck, and a phone's vote shows on its slide in Chromium.
//
// Installing: the package is exactly the tarball's content, unpacked where npm puts it, with its
// command linked in node_modules/.bin as npm links it. Its dependencies (Slidev, Vue, Socket.IO…,
// the same list as this repository's) come from this repository's install, one folder up, where
// Node looks next: a real `npm install` of the tarball fetches about 550 packages (5 minutes
// here), which is npm's work, not the kit's. What this checks is the kit's: that the tarball
// carries every file a deck needs, that Slidev finds the add-on by its name, that the command
// works from another folder, and that results stay in the user's project.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM_ARGS, findChromium } from '../handouts/chromium.ts'
import { ROOT } from '../server/settings.ts'
import { phoneVoteShowsOnSlide } from './deck-helpers.ts'
import { type KitCommand, runKitCommand } from './harness/kit-command.ts'
import { stopChildren, tempDir } from './harness/system.ts'

const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string
  version: string
  peerDependencies: Record<string, string>
}

const SLIDES = `---
theme: default
addons: [workshop-kit]
title: Team lunch
fonts:
  provider: none
---

# Team lunch

<JoinQr />

---
layout: poll
poll:
  id: lunch
  question: Where shall we eat on Friday?
  options: [Pizza, Salad, Soup]
---

# Where shall we eat on Friday?

<PollResults />

---

# Your questions

<Questions />
`

let dir: ReturnType<typeof tempDir>
let project: string
let tarball: string
let kit: KitCommand
let browser: Browser

beforeAll(async () => {
  dir = tempDir('kit-addon-')
  tarball = execFileSync('npm', ['pack', '--pack-destination', dir.path, '--ignore-scripts', '--silent'], {
    cwd: ROOT,
    encoding: 'utf8',
  }).trim()
  project = join(dir.path, 'team-lunch')
  const installed = join(project, 'node_modules', PACKAGE.name)
  mkdirSync(installed, { recursive: true })
  mkdirSync(join(project, 'node_modules', '.bin'))
  execFileSync('tar', ['xzf', join(dir.path, tarball), '--strip-components=1', '-C', installed])
  symlinkSync(`../${PACKAGE.name}/bin/workshop-kit.mjs`, join(project, 'node_modules', '.bin', 'workshop-kit'))
  symlinkSync(join(ROOT, 'node_modules'), join(dir.path, 'node_modules'))
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({
      name: 'team-lunch',
      private: true,
      dependencies: {
        '@slidev/cli': PACKAGE.peerDependencies['@slidev/cli'],
        [PACKAGE.name]: `file:../${tarball}`,
      },
    }),
  )
  writeFileSync(join(project, 'slides.md'), SLIDES)
  browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS })
}, 60_000)

afterAll(async () => {
  await kit?.stop()
  await browser?.close()
  stopChildren()
  dir?.remove()
})

describe('the kit as a Slidev add-on, in a project of its own', () => {
  it('is a package ready to publish: a name Slidev finds, its command, its files, Slidev as a peer', () => {
    expect(PACKAGE.name).toBe('slidev-addon-workshop-kit') // `addons: [workshop-kit]` finds it
    expect(PACKAGE.peerDependencies['@slidev/cli']).toMatch(/^~52\.20\./)
    const files = execFileSync('tar', ['tzf', join(dir.path, tarball)], { encoding: 'utf8' }).split('\n')
    for (const file of ['bin/workshop-kit.mjs', 'components/PollResults.vue', 'layouts/poll.vue', 'setup/main.ts']) {
      expect(files).toContain(`package/${file}`)
    }
    // The kit's own decks, tests and handouts stay in the repository.
    expect(files.filter((file) => /^package\/(slides|tests|bench|dist)\//.test(file))).toEqual([])
  })

  it('builds and serves the deck with `npx workshop-kit start --entry slides.md`; a phone votes on its slide', async () => {
    kit = runKitCommand(
      'npx',
      ['workshop-kit', 'start', '--entry', 'slides.md', '--port', '0', '--host', '127.0.0.1'],
      {
        cwd: project,
      },
    )
    const running = await kit.ready
    expect(kit.output()).toContain('Team lunch')
    expect(existsSync(join(project, 'dist', 'index.html'))).toBe(true)
    expect(existsSync(join(project, 'kit-data'))).toBe(true) // results beside the deck, not in node_modules
    await phoneVoteShowsOnSlide(browser, running, { slide: 2, id: 'lunch', option: 'Salad' })

    // The questions wall of the same deck is live: it shows that no one has asked yet.
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } })
    await page.goto(`${running.url}/3`)
    await expect.poll(() => page.locator('[data-questions]').getAttribute('data-total'), { timeout: 15_000 }).toBe('0')
    await page.close()
  }, 240_000)
})
