// The real kit in a child process (server-main.ts), for tests that kill it, stop it or run
// several of it on one Redis. Node itself runs it (not the tsx wrapper), so a signal sent to the
// child reaches the server.
import type { ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { runTs } from './system.ts'

/** The server process's entry; the benchmark runs it too, with an IPC channel for its figures. */
export const SERVER_MAIN = join(import.meta.dirname, 'server-main.ts')

export interface ServerProcess {
  child: ChildProcess
  /** The port once the server listens; rejects with its output if it exits first. */
  listening: Promise<number>
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  stdout(): string
  stderr(): string
  /** SIGKILL, as in a crash; resolves once it is gone. */
  kill(): Promise<void>
}

/** Starts the server with these environment variables (DATA_DIR, REDIS_URL, PORT, …). */
export function spawnServer(env: Record<string, string>): ServerProcess {
  const child = runTs(SERVER_MAIN, { env: { ...process.env, ...env } })
  let out = ''
  let err = ''
  child.stdout?.on('data', (chunk) => (out += chunk))
  child.stderr?.on('data', (chunk) => (err += chunk))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  )
  const listening = new Promise<number>((resolve, reject) => {
    child.stdout?.on('data', () => {
      const line = out.split('\n').find((candidate) => candidate.includes('"listening"'))
      if (line) resolve((JSON.parse(line) as { port: number }).port)
    })
    void exited.then(({ code, signal }) => reject(new Error(`server exited (${signal ?? code}):\n${out}\n${err}`)))
  })
  // Tests of start-up failures wait for the exit instead; no unhandled rejection for them.
  listening.catch(() => undefined)
  return {
    child,
    listening,
    exited,
    stdout: () => out,
    stderr: () => err,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
    },
  }
}

export type RunningProcess = ServerProcess & { port: number; url: string }

/** A running server: its address once it listens. */
export async function startServerProcess(env: Record<string, string>): Promise<RunningProcess> {
  const server = spawnServer(env)
  const port = await server.listening
  return { ...server, port, url: `http://127.0.0.1:${port}` }
}
