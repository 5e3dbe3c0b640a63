// The kit on every Node.js it supports (package.json `engines`): on 22 and 24 as well as the
// runner's own version, a copy of this working tree is installed as the README says (`npm ci`),
// its decks built, `npm start` run and a phone votes in Chromium. And a start under another
// Node.js than the install's names the cause and the fix instead of a misleading message.
// The Node.js binaries come from the npm registry (the `node-<os>-<cpu>` packages), like
// everything else the kit installs.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { chromium } from 'playwright-core'
import { io } from 'socket.io-client'
import { afterAll, describe, expect, it } from 'vitest'
import { CHROMIUM_ARGS, findChromium } from '../../handouts/chromium.ts'
import type { PollResults } from '../../server/protocol.ts'
import { ROOT } from '../../server/settings.ts'
import { freePort, tempDir } from '../harness/system.ts'

const SECRET = 'node-versions-presenter-secret'
const MAJORS = ['22', '24']

const children = new Set<ChildProcess>()
const dirs: ReturnType<typeof tempDir>[] = []
afterAll(() => {
  for (const child of children) if (child.pid) process.kill(-child.pid, 'SIGKILL')
  for (const dir of dirs) dir.remove()
})

/** The `node` binary of the newest release of a major version, from the npm registry (cached). */
function nodeRelease(major: string): { bin: string; home: string; version: string } {
  const name = `node-${process.platform}-${process.arch}`
  const cache = join(tmpdir(), `workshop-kit-${name}-${major}`)
  const home = join(cache, 'package')
  if (!existsSync(join(home, 'bin', 'node'))) {
    mkdirSync(cache, { recursive: true })
    const file = execFileSync('npm', ['pack', `${name}@${major}`, '--pack-destination', cache, '--silent'], {
      encoding: 'utf8',
    }).trim()
    execFileSync('tar', ['xzf', join(cache, file), '-C', cache])
  }
  const bin = join(home, 'bin')
  const version = execFileSync(join(bin, 'node'), ['--version'], { encoding: 'utf8' }).trim()
  return { bin, home, version }
}

/** A command under the given Node.js: its directory comes first on PATH, for npm's scripts too. */
function run(command: string, args: string[], options: { cwd: string; bin: string; env?: Record<string, string> }) {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, PATH: `${options.bin}:${process.env.PATH}`, ...options.env },
    detached: true,
  })
  children.add(child)
  let output = ''
  child.stdout?.on('data', (chunk) => (output += chunk))
  child.stderr?.on('data', (chunk) => (output += chunk))
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  void exited.then(() => children.delete(child))
  return {
    child,
    exited,
    output: () => output,
    until: (pattern: RegExp) =>
      new Promise<void>((resolve, reject) => {
        const check = () => pattern.test(output) && resolve()
        child.stdout?.on('data', check)
        child.stderr?.on('data', check)
        void exited.then((code) => reject(new Error(`exited (${code}) before printing ${pattern}:\n${output}`)))
        check()
      }),
  }
}

/** What a new user has: the repository's files (this working tree), no node_modules, no builds. */
function freshCopy(): string {
  const dir = tempDir('kit-node-')
  dirs.push(dir)
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((file) => file && existsSync(join(ROOT, file)))
  for (const file of files) {
    mkdirSync(dirname(join(dir.path, file)), { recursive: true })
    cpSync(join(ROOT, file), join(dir.path, file))
  }
  return dir.path
}

/** The facilitator opens a poll; a phone-sized Chromium page votes; the API counts it. */
async function phoneVotes(url: string): Promise<void> {
  const { polls } = (await (await fetch(`${url}/api/polls`)).json()) as { polls: PollResults[] }
  const poll = polls.find((candidate) => candidate.kind === 'single')
  if (!poll?.options[0]) throw new Error('the deck has no single-choice poll')
  const presenter = io(url, { auth: { role: 'deck', secret: SECRET }, transports: ['websocket'] })
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS })
  try {
    const opened = await presenter.timeout(10_000).emitWithAck('control', { pollId: poll.id, action: 'open' })
    expect(opened).toEqual({ ok: true })
    const page = await browser.newPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true })
    await page.goto(`${url}/vote`)
    await page.getByRole('button', { name: poll.options[0].label, exact: true }).click()
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 15_000 }).toContain('Your vote counted')
    const counted = (await (await fetch(`${url}/api/polls/${poll.id}`)).json()) as PollResults
    expect(counted.total).toBe(1)
  } finally {
    presenter.disconnect()
    await browser.close()
  }
}

describe('supported Node.js versions', () => {
  it('the engines field names the versions checked here', () => {
    const { engines } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }
    for (const major of ['20', ...MAJORS]) expect(engines.node).toMatch(new RegExp(`\\b${major}\\.`))
  })

  it('a start under another Node.js than the install names the mismatch and the fix', async () => {
    // This checkout's node_modules were installed under the runner's Node.js; pick one whose
    // native modules differ.
    const other = MAJORS.map(nodeRelease).find(
      (release) =>
        execFileSync(join(release.bin, 'node'), ['-p', 'process.versions.modules'], { encoding: 'utf8' }).trim() !==
        process.versions.modules,
    )
    if (!other) throw new Error('every checked Node.js shares the runner’s module version')
    const data = tempDir()
    dirs.push(data)
    const start = run('node', ['--import', 'tsx', 'server/cli.ts', 'start', '--port', '0', '--data-dir', data.path], {
      cwd: ROOT,
      bin: other.bin,
    })
    expect(await start.exited).toBe(1)
    expect(start.output()).toMatch(
      /The SQLite module \(better-sqlite3\) was installed for another Node\.js version .*this is Node\.js v\d+.*: run `npm rebuild better-sqlite3`/,
    )
    expect(start.output()).not.toMatch(/Cannot write to the data folder|at .*\.ts:\d+/)
  }, 120_000)

  for (const major of MAJORS) {
    it(`installs, builds, presents and counts a phone's vote on Node.js ${major}`, async () => {
      const release = nodeRelease(major)
      const kit = freshCopy()
      const started = performance.now()
      // This machine's npm config points node-gyp at the system Node's headers; a laptop would
      // fetch the headers of the running Node instead. Point it at this release's own.
      const install = run('npm', ['ci', '--no-audit', '--no-fund'], {
        cwd: kit,
        bin: release.bin,
        env: { npm_config_nodedir: release.home },
      })
      const code = await install.exited
      expect(code, install.output()).toBe(0)
      const seconds = Math.round((performance.now() - started) / 1000)
      console.log(`Node.js ${release.version}: npm ci (with the deck builds) took ${seconds} s`)
      expect(install.output()).not.toMatch(/EBADENGINE|Failed to download|ENOTFOUND/)

      const port = await freePort()
      const data = tempDir()
      dirs.push(data)
      const start = run(
        'npm',
        ['start', '--', '--port', String(port), '--host', '127.0.0.1', '--data-dir', data.path],
        {
          cwd: kit,
          bin: release.bin,
          env: { PRESENTER_SECRET: SECRET },
        },
      )
      await start.until(/Ready in/)
      expect(start.output()).not.toMatch(/Building the/) // npm ci built the decks already
      await phoneVotes(`http://127.0.0.1:${port}`)
      // Ctrl+C: npm passes the signal on and exits by it; the kit stops cleanly and frees the port.
      if (start.child.pid) process.kill(-start.child.pid, 'SIGINT')
      await start.exited
      expect(start.output()).toMatch(/Stopping…/)
      const health = () =>
        fetch(`http://127.0.0.1:${port}/healthz`).then(
          () => 'up',
          () => 'stopped',
        )
      await expect.poll(health, { timeout: 10_000 }).toBe('stopped')
    }, 900_000)
  }
})
