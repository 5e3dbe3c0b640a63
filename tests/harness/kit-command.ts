// The kit's command line as a user types it (`npm start -- --deck x`, `npx workshop-kit start
// --entry slides.md`), in a tracked child with its own process group: the test reads the
// addresses the start-up message prints, as the facilitator does.
import { spawn } from 'node:child_process'
import { track } from './system.ts'

export interface KitCommand {
  /** Resolves once the kit says it is ready: the deck's address and the one-use presenter link. */
  ready: Promise<{ url: string; presenterLink: string }>
  output(): string
  /** SIGTERM, as Ctrl+C does; resolves once the process has exited. */
  stop(): Promise<void>
}

export function runKitCommand(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) {
  const child = track(
    spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, detached: true, stdio: 'pipe' }),
  )
  let output = ''
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const ready = new Promise<{ url: string; presenterLink: string }>((resolve, reject) => {
    const check = () => {
      const link = /Presenter link: +(\S+)/.exec(output)?.[1]
      if (!link || !/Ready in/.test(output)) return
      resolve({ url: new URL(link).origin, presenterLink: link })
    }
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk
      check()
    })
    child.stderr.on('data', (chunk: Buffer) => (output += chunk))
    void exited.then(() => reject(new Error(`${command} ${args.join(' ')} exited before it was ready:\n${output}`)))
  })
  ready.catch(() => undefined)
  return {
    ready,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(-child.pid, 'SIGTERM')
      await exited
    },
  } satisfies KitCommand
}
