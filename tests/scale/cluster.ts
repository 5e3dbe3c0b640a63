// Test fixtures for the multi-process mode: a real redis-server on a loopback port (append-only,
// fsync always, like the README says to run it), server processes sharing it, and a TCP
// forwarder standing in for the load balancer in front of them.
import { type ChildProcess, spawn } from 'node:child_process'
import { createConnection, createServer, type Server, type Socket } from 'node:net'
import { createInterface } from 'node:readline'
import { ROOT } from '../../server/settings.ts'
import { tempDir } from '../helpers.ts'

const children = new Set<ChildProcess>()
export function killAll(): void {
  for (const child of children) child.kill('SIGKILL')
  children.clear()
}

export class RedisServer {
  readonly dir = tempDir('kit-redis-')
  private child: ChildProcess | null = null
  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`
  }

  async start(): Promise<void> {
    const child = spawn('redis-server', [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir.path,
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--save',
      '',
      '--protected-mode',
      'yes',
    ])
    children.add(child)
    this.child = child
    await new Promise<void>((resolve, reject) => {
      let out = ''
      child.stdout?.on('data', (chunk) => {
        out += chunk
        if (out.includes('Ready to accept connections')) resolve()
      })
      child.on('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out}`)))
    })
  }

  async kill(): Promise<void> {
    const child = this.child
    if (!child) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGKILL')
    await exited
    children.delete(child)
    this.child = null
  }

  async stop(): Promise<void> {
    await this.kill()
    this.dir.remove()
  }
}

export interface ServerProcess {
  port: number
  url: string
  child: ChildProcess
  kill(): Promise<void>
}

/** The real server (bench/server.ts: startServer, no deck) in its own process. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  // Node itself (not the tsx wrapper), so that killing the child kills the server.
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  children.add(child)
  let errors = ''
  child.stderr?.on('data', (chunk) => (errors += chunk))
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      try {
        const message = JSON.parse(line) as { type?: string; port?: number }
        if (message.type === 'listening' && message.port) resolve(message.port)
      } catch {
        // not a JSON line
      }
    })
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${errors}`)))
  })
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    child,
    async kill() {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGKILL')
      await exited
      children.delete(child)
    },
  }
}

/**
 * One address in front of several servers, like a load balancer: each new connection goes to
 * the first server that accepts it, so when one dies its clients reconnect to another.
 */
export async function startForwarder(targets: () => number[]): Promise<{ url: string; server: Server }> {
  const server = createServer((client: Socket) => {
    const tryTarget = (index: number) => {
      const port = targets()[index]
      if (port === undefined) return client.destroy()
      const upstream = createConnection({ port, host: '127.0.0.1' })
      let connected = false
      upstream.once('connect', () => {
        connected = true
        client.pipe(upstream).pipe(client)
      })
      upstream.once('error', () => {
        if (connected) client.destroy()
        else tryTarget(index + 1)
      })
      client.once('error', () => upstream.destroy())
      client.once('close', () => upstream.destroy())
      upstream.once('close', () => client.destroy())
    }
    tryTarget(0)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server }
}
