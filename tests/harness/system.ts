// Ports, folders, child processes and waiting, for the tests and the benchmark. Everything runs
// on loopback, every child started through here is stopped by `stopChildren`, and every folder
// made here that is still there is removed by `removeTempDirs`.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from '../../server/settings.ts'

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1')
  await new Promise((resolve) => probe.once('listening', resolve))
  const { port } = probe.address() as { port: number }
  await new Promise((resolve) => probe.close(resolve))
  return port
}

export interface TempDir {
  path: string
  remove(): void
}

const dirs = new Set<string>()

export function tempDir(prefix = 'kit-test-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix))
  dirs.add(path)
  return {
    path,
    remove: () => {
      rmSync(path, { recursive: true, force: true })
      dirs.delete(path)
    },
  }
}

/** Removes every folder `tempDir` made that is still there: for a run that ends early. */
export function removeTempDirs(): void {
  for (const path of dirs) rmSync(path, { recursive: true, force: true })
  dirs.clear()
}

const children = new Set<ChildProcess>()

/** Remembers a child so that `stopChildren` ends it (and its process group, when it has one). */
export function track<T extends ChildProcess>(child: T): T {
  children.add(child)
  child.once('exit', () => children.delete(child))
  return child
}

export function stopChildren(): void {
  for (const child of children) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL')
    } catch {
      child.kill('SIGKILL') // not a group leader
    }
  }
  children.clear()
}

export interface TsChildOptions {
  /** The child's whole environment (default: ours). */
  env?: NodeJS.ProcessEnv
  /** More Node.js flags, say `--cpu-prof`. */
  execArgv?: string[]
  /** An IPC channel (advanced serialization), for `child.send` and `process.send`. */
  ipc?: boolean
  /** 'pipe' (default): read them from `child.stdout`/`stderr`; 'inherit': they go to ours. */
  output?: 'pipe' | 'inherit'
}

/**
 * Runs a TypeScript file in a tracked child: Node itself with tsx loaded (not the tsx wrapper),
 * so a signal sent to the child reaches the code, in the kit's folder.
 */
export function runTs(file: string, options: TsChildOptions = {}): ChildProcess {
  const output = options.output ?? 'pipe'
  return track(
    spawn(process.execPath, ['--import', 'tsx', ...(options.execArgv ?? []), file], {
      cwd: ROOT,
      env: options.env ?? process.env,
      stdio: ['ignore', output, output, ...(options.ipc ? (['ipc'] as const) : [])],
      serialization: 'advanced',
    }),
  )
}

/** Polls `check` until it holds or `ms` pass; whether it held. */
export async function holdsWithin(check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  return true
}

/** Waits until `check` holds, polling; fails naming `what` after `ms`. */
export async function until(
  check: () => boolean | Promise<boolean>,
  ms = 10_000,
  what = 'the condition',
): Promise<void> {
  if (!(await holdsWithin(check, ms))) throw new Error(`${what} did not happen within ${ms} ms`)
}
