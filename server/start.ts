// Assembles the presenting server: store, poll engine, HTTP app and realtime channel on one port.
// Every failure a facilitator can fix becomes a StartupError whose message names the fix.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server as HttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { createAdapter } from '@socket.io/redis-streams-adapter'
import type { ServerOptions } from 'socket.io'
import { createApp } from './app.ts'
import { PollEngine } from './engine.ts'
import { createPollServer, type PollServer } from './poll-server.ts'
import { loadPolls, PollDefinitionError } from './polls.ts'
import { connectRedis, openRedisStore, type RedisClient } from './redis-store.ts'
import { publicBase, type Settings, SLIDES_DIR } from './settings.ts'
import { DATABASE_FILE, openSqliteStore } from './sqlite-store.ts'
import type { Store } from './store.ts'
import { buildVoterPage } from './voter-page.ts'

export class StartupError extends Error {}

export interface RunningServer {
  url: string
  joinUrl: string
  presenterUrl: string
  httpServer: HttpServer
  io: PollServer
  engine: PollEngine
  store: Store
  close(): Promise<void>
}

/** Opens the SQLite store; each failure a facilitator can fix becomes one sentence naming its real cause. */
export function openStore(dataDir: string): Store {
  try {
    mkdirSync(dataDir, { recursive: true })
    // Probe with a real write: permission bits alone miss read-only mounts and full disks.
    const probe = join(dataDir, '.write-test')
    writeFileSync(probe, 'ok')
    rmSync(probe)
  } catch (error) {
    throw storeError(dataDir, error)
  }
  try {
    return openSqliteStore(dataDir)
  } catch (error) {
    throw storeError(dataDir, error)
  }
}

function storeError(dataDir: string, error: unknown): unknown {
  const { code = '', message = String(error) } = error as NodeJS.ErrnoException
  const writable = 'choose a writable folder with DATA_DIR=/path or --data-dir /path'
  if (code === 'ERR_DLOPEN_FAILED') {
    // Installed under one Node.js, run under another (`nvm use 22` after installing on 20).
    const builtFor = /NODE_MODULE_VERSION (\d+)/.exec(message)?.[1]
    return new StartupError(
      builtFor
        ? `The SQLite module (better-sqlite3) was installed for another Node.js version (module version ${builtFor}; this is Node.js ${process.version}, module version ${process.versions.modules}): run \`npm rebuild better-sqlite3\` once under this version, or switch back to the Node.js you installed with.`
        : `The SQLite module (better-sqlite3) could not be loaded (${message.split('\n')[0]}): run \`npm rebuild better-sqlite3\`.`,
    )
  }
  if (code === 'ENOSPC' || code === 'SQLITE_FULL') {
    return new StartupError(`The disk holding the data folder ${dataDir} is full: free some space or ${writable}.`)
  }
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new StartupError(
      `${join(dataDir, DATABASE_FILE)} is not a readable results database (${code}): move it aside (earlier results are in it) or ${writable}.`,
    )
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new StartupError(
      `Another program holds ${join(dataDir, DATABASE_FILE)} locked (${code}): stop it (is the kit already running?) or ${writable}.`,
    )
  }
  if (/^(E[A-Z]+|SQLITE_(CANTOPEN|READONLY|IOERR|PERM|AUTH)\w*)$/.test(code)) {
    return new StartupError(`Cannot write to the data folder ${dataDir} (${code}): ${writable}.`)
  }
  // Anything else is not a known cause: show it as it is rather than guess.
  return error
}

/** The shared Redis, when REDIS_URL is set: the store and the Socket.IO adapter in one. */
interface Shared {
  store: Store
  adapter: ServerOptions['adapter']
  /** Called when the link to Redis comes back: messages from other processes may have been missed. */
  onReconnect(listener: () => void): void
}

async function openShared(url: string): Promise<Shared> {
  let client: RedisClient
  try {
    client = await connectRedis(url)
  } catch (error) {
    throw new StartupError(
      `Cannot reach Redis at ${url} (${(error as Error).message}): start Redis, or unset REDIS_URL to run on one machine with SQLite.`,
    )
  }
  // The adapter reads the stream with blocking calls, so it gets a connection of its own.
  const adapterClient = client.duplicate()
  // Errors are reported by the main client; here they only mark that a catch-up is due.
  let wasDown = false
  adapterClient.on('error', () => {
    wasDown = true
  })
  await adapterClient.connect()
  const config = (await client.configGet('append*').catch(() => ({}))) as Record<string, string>
  if (config.appendonly !== 'yes' || config.appendfsync !== 'always') {
    console.warn(
      'Redis does not write each change to disk before answering (appendonly yes, appendfsync always): a Redis crash could lose acknowledged votes. Start it with --appendonly yes --appendfsync always.',
    )
  }
  // The adapter publishes other processes' changes without waiting; a failure while Redis is
  // away must not stop the process (the reload on reconnect catches up).
  process.on('unhandledRejection', (error) => console.error('Redis:', (error as Error)?.message ?? error))
  const store = openRedisStore(client)
  const close = async () => {
    await adapterClient.quit().catch(() => undefined)
    await store.close()
  }
  return {
    store: { ...store, close },
    adapter: createAdapter(adapterClient),
    onReconnect(listener) {
      adapterClient.on('ready', () => {
        if (wasDown) listener()
        wasDown = false
      })
    },
  }
}

export async function loadPollsOrExplain(slidesDir = SLIDES_DIR) {
  try {
    return await loadPolls(slidesDir)
  } catch (error) {
    if (error instanceof PollDefinitionError) throw new StartupError(`A poll needs fixing: ${error.message}`)
    throw error
  }
}

export function listen(server: HttpServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new StartupError(
            `Port ${port} is already in use (is the kit already running?): stop the other program or choose another port with PORT=${port + 1} npm start.`,
          ),
        )
      } else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
        reject(new StartupError(`This machine has no address ${host}: leave HOST unset to listen on every network.`))
      } else if (error.code === 'EACCES') {
        reject(new StartupError(`Port ${port} needs administrator rights: choose a port above 1023 with PORT=3030.`))
      } else reject(error)
    }
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      resolve()
    })
  })
}

export async function startServer(settings: Settings, deckDir?: string): Promise<RunningServer> {
  const polls = await loadPollsOrExplain()
  const shared = settings.redisUrl ? await openShared(settings.redisUrl) : null
  const store = shared?.store ?? openStore(settings.dataDir)
  // Started once the realtime channel exists: with several processes, changes the others make
  // while this one loads are then applied after the load instead of being missed.
  const engine = new PollEngine(store, polls)
  const voterPage = await buildVoterPage()
  let joinUrl = ''
  const app = createApp({
    engine,
    store,
    voterPage,
    secret: settings.secret,
    resultsPublic: settings.resultsPublic,
    joinUrl: () => joinUrl,
    deckDir,
  })
  const httpServer = createServer(app)
  const io = createPollServer(httpServer, {
    engine,
    secret: settings.secret,
    allowedOrigins: settings.allowedOrigins,
    maxConnectionsPerAddress: settings.maxConnectionsPerAddress,
    adapter: shared?.adapter,
  })
  if (shared) shared.onReconnect(() => void engine.reload())
  try {
    await engine.start()
    await listen(httpServer, settings.port, settings.host)
  } catch (error) {
    await store.close()
    throw error
  }
  const { port } = httpServer.address() as AddressInfo
  const base = publicBase(settings, port)
  joinUrl = `${base}/vote`
  return {
    url: `http://localhost:${port}`,
    joinUrl,
    presenterUrl: `http://localhost:${port}/present?key=${encodeURIComponent(settings.secret)}`,
    httpServer,
    io,
    engine,
    store,
    async close() {
      await new Promise<void>((resolve) => io.close(() => resolve()))
      await engine.drain()
      await store.close()
    },
  }
}
