// A real redis-server on a free loopback port, in a folder of its own, writing every change to
// disk before it answers (appendonly yes, appendfsync always), as the README says to run it.
// REDIS_SERVER names another binary.
import { type ChildProcess, spawn } from 'node:child_process'
import { freePort, type TempDir, tempDir, track } from './system.ts'

export class RedisServer {
  private child: ChildProcess | null = null
  private constructor(
    readonly port: number,
    readonly dir: TempDir,
  ) {}

  static async start(): Promise<RedisServer> {
    const redis = new RedisServer(await freePort(), tempDir('kit-redis-'))
    await redis.restart()
    return redis
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`
  }

  get pid(): number | undefined {
    return this.child?.pid
  }

  /** Starts (again) on the same port and folder: what was on disk is back. */
  async restart(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir.path]
    args.push('--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--protected-mode', 'yes')
    const child = track(spawn(process.env.REDIS_SERVER || 'redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] }))
    this.child = child
    let out = ''
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start within 10 s: ${out}`)), 10_000)
      const done = (error?: Error) => {
        clearTimeout(timer)
        if (error) reject(error)
        else resolve()
      }
      child.stdout?.on('data', (chunk: Buffer) => {
        if (out.length < 10_000) out += chunk
        if (out.includes('Ready to accept connections')) done()
      })
      child.stderr?.on('data', (chunk: Buffer) => (out += chunk))
      child.once('error', (error) =>
        done(new Error(`cannot start redis-server (${error.message}); install it or set REDIS_SERVER=/path`)),
      )
      child.once('exit', (code) => done(new Error(`redis-server exited (${code}): ${out}`)))
    })
  }

  /** SIGKILL: Redis dies at once, as in a crash; what it acknowledged is on disk. */
  async kill(): Promise<void> {
    const child = this.child
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGKILL')
    await exited
    this.child = null
  }

  async stop(): Promise<void> {
    await this.kill()
    this.dir.remove()
  }
}
