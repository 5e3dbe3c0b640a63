// The kit, assembled once: the store chosen from the settings, the poll engine, the realtime
// channel and the HTTP routes. `npm start`, `npm run dev` (the Vite plugin), the tests and the
// benchmark build it here; `npm run results` and `npm run handouts` open the store here. Every
// failure a facilitator can fix becomes a StartupError whose message names the fix.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server as HttpServer } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { createAdapter } from '@socket.io/redis-streams-adapter'
import type express from 'express'
import type { ServerOptions } from 'socket.io'
import { loadDeck, loadDeckFile } from '../handouts/deck.ts'
import { HostAllowList, trustProxy } from './address.ts'
import { AddressLimits, addressRates } from './address-limits.ts'
import { createApp } from './app.ts'
import { DeckError, deckEntry } from './deck.ts'
import { deckLookOf } from './deck-source.ts'
import { PollEngine } from './engine.ts'
import { StartupError } from './errors.ts'
import type { PollDefinition } from './poll-definition.ts'
import { createPollServer, type PollServer } from './poll-server.ts'
import { type DeckFiles, loadFollowUp, loadPolls, PollDefinitionError } from './polls.ts'
import { loadPresenterNotes, type PresenterNotes } from './presenter-notes.ts'
import { PresenterSessions } from './presenter-sessions.ts'
import type { FollowUp } from './questionnaire-definition.ts'
import { connectRedis, disconnectRedis, openRedisStore, type RedisClient } from './redis-store.ts'
import { keepFor } from './retention.ts'
import { RoomDoor } from './room-code.ts'
import { EMPTY_RUN_SHEET, type RunSheet, runSheetOf } from './run-sheet.ts'
import { publicBase, type Settings, SLIDES_DIR } from './settings.ts'
import { DATABASE_FILE, openSqliteStore } from './sqlite-store.ts'
import type { Store } from './store.ts'
import { buildRemotePage, buildVoterPage, NEUTRAL_LOOK, type PhoneLook } from './voter-page.ts'

export { StartupError }

/** Where results live, and (several processes) the Socket.IO adapter that links the processes. */
export interface OpenedStore {
  store: Store
  adapter?: ServerOptions['adapter']
}

/**
 * Opens the results store the settings name: Redis when REDIS_URL is set, otherwise SQLite in
 * the data folder. `adapter` also links Socket.IO servers through Redis (for a server, not for
 * commands that only read results).
 */
export async function openStore(
  settings: Pick<Settings, 'dataDir' | 'redisUrl'>,
  options: { adapter?: boolean } = {},
): Promise<OpenedStore> {
  if (settings.redisUrl) return openRedis(settings.redisUrl, options.adapter ?? false)
  return { store: openSqlite(settings.dataDir) }
}

function openSqlite(dataDir: string): Store {
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

async function openRedis(url: string, withAdapter: boolean): Promise<OpenedStore> {
  let client: RedisClient
  try {
    client = await connectRedis(url)
  } catch (error) {
    throw new StartupError(
      `Cannot reach Redis at ${url} (${(error as Error).message}): start Redis, or unset REDIS_URL to run on one machine with SQLite.`,
    )
  }
  const config = (await client.configGet('append*').catch(() => ({}))) as Record<string, string>
  if (config.appendonly !== 'yes' || config.appendfsync !== 'always') {
    console.warn(
      'Redis does not write each change to disk before answering (appendonly yes, appendfsync always): a Redis crash could lose acknowledged votes. Start it with --appendonly yes --appendfsync always.',
    )
  }
  const store = openRedisStore(client)
  if (!withAdapter) return { store }
  // The adapter reads its own stream with blocking calls, so it gets a connection of its own. It
  // retries a failed read at once: with commands refused while Redis is away (the store's rule)
  // that retry loop would hold the event loop, and the process could not even be stopped. Its
  // commands wait for the connection instead; it carries no votes, only messages to phones.
  const adapterClient = client.duplicate({ disableOfflineQueue: false })
  adapterClient.on('error', () => undefined) // the store's client reports Redis being away
  await adapterClient.connect()
  // The adapter publishes without waiting; a failure while Redis is away must not stop the
  // process (messages to phones are also sent again by the full sync on reconnect).
  process.on('unhandledRejection', (error) => console.error('Redis:', (error as Error)?.message ?? error))
  return {
    store: {
      ...store,
      async close() {
        await Promise.all([disconnectRedis(adapterClient), store.close()])
      },
    },
    adapter: createAdapter(adapterClient),
  }
}

export async function loadPollsOrExplain(
  slidesDir: DeckFiles = SLIDES_DIR,
  served?: string,
): Promise<PollDefinition[]> {
  try {
    return await loadPolls(slidesDir, served)
  } catch (error) {
    if (error instanceof PollDefinitionError) throw new StartupError(`A slide needs fixing: ${error.message}`)
    throw error
  }
}

/** The decks' questionnaires, chart and report plan; a bad declaration stops the start with its fix. */
export async function loadFollowUpOrExplain(
  polls: readonly PollDefinition[],
  slidesDir: DeckFiles = SLIDES_DIR,
): Promise<FollowUp> {
  try {
    return await loadFollowUp(slidesDir, polls)
  } catch (error) {
    if (error instanceof PollDefinitionError) throw new StartupError(`A questionnaire needs fixing: ${error.message}`)
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

export interface Kit {
  engine: PollEngine
  store: Store
  io: PollServer
  /** Who may present: the presenter sessions every process shares. */
  presenters: PresenterSessions
  /** The HTTP routes: the request handler of `npm start`'s server, middleware in Vite's. */
  app: express.Express
  /** The address phones use (known once the server listens; shown on the join slide). */
  joinUrl: string
  /** Where the presenter opens the deck (known once the server listens), e.g. http://localhost:3030. */
  presenterBase: string
  /** A new one-time presenter link: `<presenterBase>/present#<code>`. */
  presenterLink(): Promise<string>
  /** Stops taking answers, writes what was acknowledged, closes the store: within a few seconds. */
  close(): Promise<void>
}

export interface KitOptions {
  /** The polls; default: every poll declared in the slides. */
  polls?: PollDefinition[]
  /** Questionnaires, chart and report plan; default: what the slides declare (none when `polls` is given). */
  followUp?: FollowUp
  /** A built deck to serve at / (`npm start`). */
  deckDir?: string
  /** An already opened store; default: the one the settings name. */
  opened?: OpenedStore
  /** The routes are middleware in another server (Vite): unknown requests pass on. */
  middleware?: boolean
  /** The deck Markdown whose notes presenters read (default: the settings' deck, when there is one). */
  notesFrom?: string
}

/**
 * Builds the kit on an HTTP server: its requests go to `kit.app`, unless the routes are
 * middleware of another server (`middleware`), which then routes to them itself.
 */
export async function createKit(httpServer: HttpServer, settings: Settings, options: KitOptions = {}): Promise<Kit> {
  // The kit's own decks, or the one deck given with --entry (a Slidev project using the add-on).
  const decks = settings.entry ? [settings.entry] : SLIDES_DIR
  const polls = options.polls ?? (await loadPollsOrExplain(decks, settings.deck))
  const followUp = options.followUp ?? (options.polls ? undefined : await loadFollowUpOrExplain(polls, decks))
  const { store, adapter } = options.opened ?? (await openStore(settings, { adapter: true }))
  const engine = new PollEngine(store, polls, followUp)
  const presenters = new PresenterSessions(store, settings.secret)
  const limits = new AddressLimits(settings.maxConnectionsPerAddress, addressRates(settings.phonesPerAddress))
  const hosts = new HostAllowList([
    ...(settings.publicUrl ? [new URL(settings.publicUrl).host] : []),
    settings.host,
    ...settings.allowedHosts,
  ])
  const trust = trustProxy(settings.trustProxy)
  const room = settings.roomCode ? new RoomDoor(settings.roomCode) : undefined
  let notes: Promise<PresenterNotes> | null = null
  let runSheet: Promise<RunSheet> | null = null
  const readNotes = () => {
    notes ??= deckNotes(options.notesFrom ?? settings.entry, settings.deck)
    return notes
  }
  const app = createApp({
    engine,
    store,
    voterPage: await buildVoterPage(await phoneLook(settings)),
    remotePage: buildRemotePage,
    presenters,
    hosts,
    trustProxy: trust,
    limits,
    room,
    notes: readNotes,
    runSheet: () => {
      runSheet ??= deckRunSheet(options.notesFrom ?? settings.entry, settings.deck, readNotes)
      return runSheet
    },
    resultsPublic: settings.resultsPublic,
    joinUrl: () => kit.joinUrl,
    deckDir: options.deckDir,
    passOn: options.middleware,
  })
  // Before Socket.IO attaches: it serves /socket.io/ itself and passes everything else on.
  if (!options.middleware) httpServer.on('request', app)
  const io = createPollServer(httpServer, {
    engine,
    presenters,
    allowedOrigins: settings.allowedOrigins,
    hosts,
    limits,
    trustProxy: trust,
    room,
    adapter,
  })
  try {
    await engine.start()
    await presenters.start()
  } catch (error) {
    await store.close()
    throw error
  }
  const stopRetention = settings.retentionDays ? keepFor(store, settings.retentionDays) : () => undefined
  const kit: Kit = {
    engine,
    store,
    io,
    presenters,
    app,
    joinUrl: '',
    presenterBase: '',
    async presenterLink() {
      return `${kit.presenterBase}/present#${await presenters.issueCode('link')}`
    },
    async close() {
      stopRetention()
      const closing = (async () => {
        await engine.drain()
        await new Promise<void>((resolve) => io.close(() => resolve()))
      })()
      // Whatever Redis or SQLite is doing, stopping must not hang: what was acknowledged is
      // already stored, and whatever is still in flight was never acknowledged.
      await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, 3000).unref())])
      httpServer.closeAllConnections?.()
      limits.close()
      presenters.close()
      await store.close()
    },
  }
  return kit
}

export interface RunningServer extends Kit {
  url: string
  presenterUrl: string
  httpServer: HttpServer
}

/** A deck's notes: from its Markdown file, or the named deck's; none when there is no such deck. */
async function deckNotes(file: string | undefined, deck: string): Promise<PresenterNotes> {
  try {
    return file ? await loadPresenterNotes(file) : await loadPresenterNotes(deckEntry(deck))
  } catch (error) {
    if (!(error instanceof DeckError)) console.error('Reading the presenter notes failed:', error)
    return { notes: {}, slides: {} }
  }
}

/** The phone page's look: the served deck's title and colours; a neutral page without a deck. */
async function phoneLook(settings: Settings): Promise<PhoneLook> {
  const file = settings.entry ?? join(SLIDES_DIR, `${settings.deck}.md`)
  if (!existsSync(file)) return NEUTRAL_LOOK
  try {
    return await deckLookOf(file)
  } catch {
    return NEUTRAL_LOOK // an unreadable deck is reported where its polls are read
  }
}

/** The deck as the phone remote shows it; an empty one when there is no such deck. */
async function deckRunSheet(
  file: string | undefined,
  deck: string,
  notes: () => Promise<PresenterNotes>,
): Promise<RunSheet> {
  try {
    const info = file ? await loadDeckFile(file) : await loadDeck(deck)
    return runSheetOf(info, await notes())
  } catch (error) {
    if (!(error instanceof DeckError)) console.error('Reading the deck for the remote failed:', error)
    return EMPTY_RUN_SHEET
  }
}

/** The HTTP server: HTTPS with the settings' certificate and key, plain HTTP without. */
function httpServerFor(settings: Settings): HttpServer {
  if (!settings.tls) return createServer()
  const read = (file: string, what: string) => {
    try {
      return readFileSync(file)
    } catch (error) {
      throw new StartupError(
        `Cannot read the TLS ${what} ${file} (${(error as NodeJS.ErrnoException).code}): check TLS_CERT and TLS_KEY.`,
      )
    }
  }
  const cert = read(settings.tls.cert, 'certificate')
  const key = read(settings.tls.key, 'key')
  try {
    // An https.Server is an http.Server as far as Socket.IO and the routes are concerned.
    return createHttpsServer({ cert, key }) as unknown as HttpServer
  } catch (error) {
    throw new StartupError(
      `TLS_CERT and TLS_KEY do not make a certificate and its key (${(error as Error).message}): use PEM files.`,
    )
  }
}

/** Where the presenter opens the deck: PUBLIC_URL, or this machine itself. */
export function presenterBase(settings: Settings, port: number): string {
  return settings.publicUrl ?? `${settings.tls ? 'https' : 'http'}://localhost:${port}`
}

/** The kit on its own HTTP server, listening on the settings' port and host. */
export async function startKit(settings: Settings, options: KitOptions = {}): Promise<RunningServer> {
  const httpServer = httpServerFor(settings)
  const kit = await createKit(httpServer, settings, options)
  try {
    await listen(httpServer, settings.port, settings.host)
  } catch (error) {
    await kit.close()
    throw error
  }
  const { port } = httpServer.address() as AddressInfo
  kit.joinUrl = `${publicBase(settings, port)}/vote`
  kit.presenterBase = presenterBase(settings, port)
  return Object.assign(kit, {
    url: `${settings.tls ? 'https' : 'http'}://localhost:${port}`,
    presenterUrl: await kit.presenterLink(),
    httpServer,
  })
}
