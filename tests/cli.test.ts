// `npm start` as a facilitator meets it: what it prints, and one clear sentence when it cannot start.
import { type ChildProcess, spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { io } from 'socket.io-client'
import { afterEach, describe, expect, it } from 'vitest'
import { lanAddress, ROOT } from '../server/settings.ts'
import { signIn } from './harness/kit.ts'
import { freePort, tempDir } from './harness/system.ts'

const children: ChildProcess[] = []
const dirs: ReturnType<typeof tempDir>[] = []
afterEach(() => {
  // Each run is its own process group: tsx and Slidev start children that must go too.
  for (const child of children.splice(0)) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
  for (const dir of dirs.splice(0)) dir.remove()
})

function run(args: string[], env: Record<string, string> = {}) {
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['server/cli.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    detached: true,
  })
  children.push(child)
  let out = ''
  child.stdout.on('data', (chunk) => (out += chunk))
  child.stderr.on('data', (chunk) => (out += chunk))
  return {
    child,
    output: () => out,
    exited: new Promise<number | null>((resolve) => child.on('exit', resolve)),
    until: (pattern: RegExp) =>
      new Promise<string>((resolve, reject) => {
        const check = () => (pattern.test(out) ? resolve(out) : undefined)
        child.stdout.on('data', check)
        child.on('exit', () => reject(new Error(`exited before printing ${pattern}:\n${out}`)))
        check()
      }),
  }
}

describe('npm run dev', () => {
  it('serves the deck with live reload and the same poll engine attached', async () => {
    const dir = tempDir()
    dirs.push(dir)
    const port = await freePort()
    const dev = run(['dev', '--port', String(port), '--host', '127.0.0.1', '--data-dir', dir.path])
    await dev.until(/Attendees join:/)
    await dev.until(/presenter mode/)
    const polls = await (await fetch(`http://127.0.0.1:${port}/api/polls`)).json()
    expect(polls.polls.map((p: { id: string }) => p.id)).toContain('hat-start')
    const deck = io(`http://127.0.0.1:${port}`, {
      auth: { role: 'deck' },
      transports: ['websocket'],
      reconnection: false,
    })
    const state = await new Promise<{ polls: unknown[] }>((resolve, reject) => {
      deck.on('sync', resolve)
      deck.on('connect_error', reject)
    })
    deck.close()
    expect(state.polls.length).toBe(polls.polls.length)
  }, 90_000)
})

describe('npm start', () => {
  it('prints the join address, a QR code, the presenter link and the results file', async () => {
    const dir = tempDir()
    dirs.push(dir)
    const start = run(['start', '--port', '0', '--data-dir', dir.path], {
      PRESENTER_SECRET: 'cli-secret-long-enough',
    })
    const out = await start.until(/Ready in/)
    const join = /Attendees join:\s+(\S+)/.exec(out)?.[1] ?? ''
    const lan = lanAddress('0.0.0.0')
    // The join address is the LAN address whenever the machine has one, never only localhost.
    expect(join).toMatch(lan ? new RegExp(`^http://${lan.replaceAll('.', '\\.')}:\\d+/vote$`) : /localhost/)
    // A one-time link: the secret itself is printed nowhere.
    const link = /Presenter link:\s+(http:\/\/localhost:\d+\/present#[A-Za-z0-9_-]{40,})\s/.exec(out)?.[1] ?? ''
    expect(link).not.toBe('')
    expect(out).not.toContain('cli-secret-long-enough')
    expect(out).toContain(`Results stored in`)
    expect(out).toContain('workshop.sqlite')
    expect(out).toMatch(/[▀▄█]{10,}/) // the terminal QR code

    const port = /localhost:(\d+)/.exec(out)?.[1]
    const url = `http://127.0.0.1:${port}`
    const health = await fetch(`${url}/healthz`)
    expect(health.status).toBe(200)
    const deck = await fetch(`${url}/1`)
    expect(await deck.text()).toContain('<div id="app"')

    // The printed link signs one browser in; `npm run presenter -- sign-out`, run beside the
    // server on the same data folder, signs it out of the running server.
    const cookie = await signIn(url, link)
    const exports = () => fetch(`${url}/api/sessions`, { headers: { cookie } }).then((response) => response.status)
    expect(await exports()).toBe(200)
    const another = run(['presenter', 'link', '--data-dir', dir.path, '--port', String(port)])
    expect(await another.exited).toBe(0)
    const second = /A new presenter link \(one use, for a day\): (\S+)/.exec(another.output())?.[1] ?? ''
    expect(second).toMatch(new RegExp(`^http://localhost:${port}/present#`))
    const secondCookie = await signIn(url, second)
    const signOut = run(['presenter', 'sign-out', '--data-dir', dir.path])
    expect(await signOut.exited).toBe(0)
    expect(signOut.output()).toContain('Signed out all 2 presenter devices.')
    await expect.poll(exports).toBe(401)
    expect(await fetch(`${url}/api/sessions`, { headers: { cookie: secondCookie } }).then((r) => r.status)).toBe(401)
    // The terminal offers a new link at once.
    await start.until(
      /Every presenter device is signed out\. A new presenter link \(one use\): http:\/\/localhost:\d+\/present#/,
    )
  })

  it('names the fix when the port is taken', async () => {
    const blocker = createServer().listen(0, '0.0.0.0')
    await new Promise((resolve) => blocker.once('listening', resolve))
    const port = (blocker.address() as { port: number }).port
    const dir = tempDir()
    dirs.push(dir)
    try {
      const start = run(['start', '--port', String(port), '--data-dir', dir.path])
      expect(await start.exited).toBe(1)
      expect(start.output()).toContain(`Port ${port} is already in use`)
      expect(start.output()).toContain(`PORT=${port + 1} npm start`)
      expect(start.output()).not.toMatch(/\n\s+at /) // no stack trace
    } finally {
      blocker.close()
    }
  })

  it('names the fix when the data folder cannot be written', async () => {
    const dir = tempDir()
    dirs.push(dir)
    const file = join(dir.path, 'not-a-folder')
    writeFileSync(file, '')
    const start = run(['start', '--port', '0', '--data-dir', join(file, 'data')])
    expect(await start.exited).toBe(1)
    expect(start.output()).toMatch(/Cannot write to the data folder .* choose a writable folder with DATA_DIR=/)
    expect(start.output()).not.toMatch(/\n\s+at /)
  })

  it('refuses a bad PORT with one sentence', async () => {
    const start = run(['start'], { PORT: 'eighty' })
    expect(await start.exited).toBe(1)
    expect(start.output()).toContain('PORT must be a number from 0 to 65535, not "eighty".')
  })
})
