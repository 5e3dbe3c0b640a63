// `npm start`, `npm run dev` and `npm run build`. Problems a facilitator can fix are printed as
// one sentence that names the fix, never as a stack trace.
import { spawn } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { basename, dirname, relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { questionnaireLink } from './app.ts'
import { banner } from './banner.ts'
import {
  buildDeck,
  type DeckBuild,
  deckEntry,
  deckIsStale,
  deckNames,
  deckOutDir,
  entryDeck,
  kitDeck,
  slidevCommand,
} from './deck.ts'
import { deckTitle } from './deck-source.ts'
import { PollEngine } from './engine.ts'
import { KitError } from './errors.ts'
import { loadFollowUpOrExplain, loadPollsOrExplain, openStore, presenterBase, startKit } from './kit.ts'
import { newDeck } from './new-deck.ts'
import { PresenterSessions } from './presenter-sessions.ts'
import type { WindowPayload } from './protocol.ts'
import { findSession, resultsCsv, sessionResults } from './results.ts'
import { publicBase, ROOT, readSettings, type Settings, SettingsError, SLIDES_DIR } from './settings.ts'
import { DATABASE_FILE } from './sqlite-store.ts'

/** The deck the settings name: one of the kit's, or your own (--entry), built when it changed. */
async function ensureBuilt(settings: Settings): Promise<DeckBuild> {
  const deck = settings.entry ? entryDeck(settings.entry) : kitDeck(settings.deck)
  if (!deckIsStale(deck)) return deck
  const started = Date.now()
  console.log(`Building the "${deck.name}" deck (slides changed since the last build)…`)
  await buildDeck(deck)
  console.log(`Built in ${((Date.now() - started) / 1000).toFixed(1)} s → ${relative(process.cwd(), deck.out) || '.'}/`)
  return deck
}

async function start(argv: string[]): Promise<void> {
  const started = Date.now()
  const settings = readSettings(argv)
  // A wrong poll, layout or agenda is refused before the build, with the slide and the fix.
  await loadPollsOrExplain(settings.entry ? [settings.entry] : SLIDES_DIR, settings.deck)
  const deck = await ensureBuilt(settings)
  const server = await startKit(settings, { deckDir: deck.out })
  console.log(banner(server, settings, { name: deck.name, title: await deckTitle(deck.entry) }))
  console.log(`  Ready in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`)
  // Every presenter device signed out (from the presenter view or the command): a new link here.
  server.presenters.on('revoked', () => {
    if (server.presenters.list().length) return
    void server
      .presenterLink()
      .then((link) =>
        console.log(`\n  Every presenter device is signed out. A new presenter link (one use): ${link}\n`),
      )
  })
  stopOnSignal(() => server.close())
}

/**
 * Ctrl+C or SIGTERM: close cleanly (answers already acknowledged are stored, new ones are
 * refused with a reason) and exit within a few seconds whatever the store is doing. A second
 * signal exits at once.
 */
function stopOnSignal(close: () => Promise<void>): void {
  let stopping = false
  const stop = () => {
    if (stopping) process.exit(1)
    stopping = true
    console.log('\nStopping…')
    setTimeout(() => process.exit(0), 5000).unref()
    close()
      .catch((error: unknown) => console.error(error))
      .finally(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

async function build(argv: string[]): Promise<void> {
  const onlyIfStale = argv.includes('--if-stale')
  for (const deck of deckNames()) {
    if (onlyIfStale && !deckIsStale(deck)) continue
    const started = Date.now()
    process.stdout.write(`Building the "${deck}" deck… `)
    await buildDeck(deck)
    console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s → ${relative(ROOT, deckOutDir(deck))}/`)
  }
}

/** Slidev's dev server with live reload; the kit's Vite plugin (setup/vite-plugins.ts) attaches the poll engine. */
function dev(argv: string[]): void {
  const settings = readSettings(argv)
  const entry = settings.entry ?? deckEntry(settings.deck)
  const slidev = slidevCommand(entry)
  const args = [entry, '--port', String(settings.port), '--bind', settings.host]
  const child = spawn(slidev, args, {
    cwd: dirname(entry),
    stdio: 'inherit',
    // The Vite plugin reads its settings from the environment: pass on what the flags chose.
    env: {
      ...process.env,
      PRESENTER_SECRET: settings.secret,
      DATA_DIR: settings.dataDir,
      DECK: settings.deck,
      HOST: settings.host,
      ...(settings.publicUrl ? { PUBLIC_URL: settings.publicUrl } : {}),
      ...(settings.redisUrl ? { REDIS_URL: settings.redisUrl } : {}),
      WORKSHOP_DEV: '1',
    },
  })
  child.on('exit', (code) => process.exit(code ?? 0))
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal))
}

/** Settings from a command's --data-dir and --redis-url; the results must be there already. */
function storeSettings(values: { 'data-dir'?: string; 'redis-url'?: string }, argv: string[] = []): Settings {
  const settings = readSettings([
    ...(values['data-dir'] ? ['--data-dir', values['data-dir']] : []),
    ...(values['redis-url'] ? ['--redis-url', values['redis-url']] : []),
    ...argv,
  ])
  if (!settings.redisUrl && !existsSync(resolve(settings.dataDir, DATABASE_FILE))) {
    throw new SettingsError(
      `No results yet in ${settings.dataDir}: run a workshop with npm start first (or set DATA_DIR, or REDIS_URL for results kept in Redis).`,
    )
  }
  return settings
}

/**
 * `npm run presenter -- link | sign-out | list`: a new one-time presenter link, signing out every
 * presenter device, or listing them. Works on the store itself (the data folder or Redis), so a
 * running kit hears of it at once; the one who may run it is whoever may read the results.
 */
async function presenter(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string' },
      'redis-url': { type: 'string' },
      port: { type: 'string' },
      'public-url': { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  })
  const [action = ''] = positionals
  if (!['link', 'sign-out', 'list'].includes(action)) {
    throw new SettingsError(`Use npm run presenter -- link, sign-out or list (not "${action}").`)
  }
  const extra = [
    ...(values.port ? ['--port', values.port] : []),
    ...(values['public-url'] ? ['--public-url', values['public-url']] : []),
  ]
  const settings = storeSettings(values, extra)
  const { store } = await openStore(settings)
  let presenters: PresenterSessions | undefined
  try {
    presenters = await new PresenterSessions(store, settings.secret).start()
    if (action === 'link') {
      const link = `${presenterBase(settings, settings.port)}/present#${await presenters.issueCode('link')}`
      console.log(`A new presenter link (one use, for a day): ${link}`)
    } else if (action === 'sign-out') {
      const signedOut = await presenters.revoke('all')
      console.log(
        signedOut.length
          ? `Signed out ${signedOut.length === 1 ? 'the one presenter device' : `all ${signedOut.length} presenter devices`}.`
          : 'No presenter device was signed in.',
      )
    } else {
      const list = presenters.list()
      if (!list.length) console.log('No presenter device is signed in.')
      for (const session of list) {
        console.log(`${session.id}  ${session.label}  signed in ${new Date(session.createdAt).toLocaleString()}`)
      }
    }
  } finally {
    presenters?.close()
    await store.close()
  }
}

/** `npm run results -- --session current --format csv [--out file]`: reads the data folder. */
async function results(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      session: { type: 'string', default: 'current' },
      format: { type: 'string', default: 'csv' },
      out: { type: 'string' },
      'data-dir': { type: 'string' },
      'redis-url': { type: 'string' },
    },
    strict: true,
  })
  if (values.format !== 'csv' && values.format !== 'json') {
    throw new SettingsError(`--format must be csv or json, not "${values.format}".`)
  }
  const settings = storeSettings(values)
  const { store } = await openStore(settings)
  try {
    const session = await findSession(store, values.session)
    const polls = await loadPollsOrExplain()
    const data = await sessionResults(store, polls, session, await loadFollowUpOrExplain(polls))
    const text = values.format === 'csv' ? resultsCsv(data) : `${JSON.stringify(data, null, 2)}\n`
    if (values.out) {
      writeFileSync(values.out, text)
      console.error(`Wrote the results of session ${session.id} ("${session.name}") to ${values.out}.`)
    } else process.stdout.write(text)
  } finally {
    await store.close()
  }
}

interface WindowListing {
  questionnaireId: string
  title: string
  open: boolean
  opensAt: number | null
  closesAt: number | null
  started?: number
  finished?: number
  link: string
}

/**
 * `npm run questionnaire -- list|open|close|schedule [id] [--session N] [--from DATE] [--until DATE]`.
 * A kit that is running applies the change itself, so its phones hear of it at once (and with
 * SQLite only it may write: its log of changes lives in its process); otherwise the data folder
 * or Redis is changed directly and the next start reads it.
 */
async function questionnaire(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      session: { type: 'string', default: 'current' },
      from: { type: 'string' },
      until: { type: 'string' },
      url: { type: 'string' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'redis-url': { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  })
  const [action = 'list', questionnaireId] = positionals
  if (!['list', 'open', 'close', 'schedule'].includes(action)) {
    throw new SettingsError(`Unknown action "${action}": use list, open, close or schedule.`)
  }
  if (action !== 'list' && !questionnaireId) {
    throw new SettingsError(`Name the questionnaire: npm run questionnaire -- ${action} pre-work`)
  }
  const date = (flag: 'from' | 'until') => {
    const text = values[flag]
    if (text === undefined) return undefined
    const at = Date.parse(text)
    if (Number.isNaN(at))
      throw new SettingsError(`--${flag} must be a date like 2026-05-16 (or 2026-05-16T18:00), not "${text}".`)
    return at
  }
  const [from, until] = [date('from'), date('until')]
  if (action === 'schedule' && until === undefined) {
    throw new SettingsError('schedule needs --until DATE (and --from DATE, default now).')
  }
  const settings = readSettings([
    ...(values.port ? ['--port', values.port] : []),
    ...(values['data-dir'] ? ['--data-dir', values['data-dir']] : []),
    ...(values['redis-url'] ? ['--redis-url', values['redis-url']] : []),
  ])
  const session = values.session === 'current' ? undefined : Number(values.session)
  if (session !== undefined && !Number.isInteger(session)) {
    throw new SettingsError(`--session must be "current" or a session id, not "${values.session}".`)
  }
  const change =
    action === 'list'
      ? undefined
      : until !== undefined && action !== 'close'
        ? { action: 'schedule' as const, from: from ?? Date.now(), until }
        : { action: action as 'open' | 'close' }
  const base = values.url ?? `http://127.0.0.1:${settings.port}`
  const running = await reachable(base)
  if (values.url && !running) throw new SettingsError(`No kit answers at ${values.url}: is it running? Check --url.`)
  const listing = running
    ? await overHttp(base, settings.secret, values.session as string, questionnaireId, change, session)
    : await inStore(settings, values.session as string, questionnaireId, change, session)
  for (const entry of listing) {
    const when = (at: number) => new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
    const state = entry.open
      ? `open${entry.closesAt ? ` until ${when(entry.closesAt)}` : ''}`
      : entry.opensAt && entry.opensAt > Date.now()
        ? `opens ${when(entry.opensAt)}${entry.closesAt ? `, closes ${when(entry.closesAt)}` : ''}`
        : entry.opensAt
          ? 'closed'
          : 'not opened yet'
    const counts = entry.started !== undefined ? ` · ${entry.started} started, ${entry.finished} finished` : ''
    console.log(`${entry.questionnaireId}: ${entry.title}\n  ${state}${counts}\n  Link to send: ${entry.link}`)
  }
}

async function reachable(base: string): Promise<boolean> {
  try {
    return (await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1500) })).ok
  } catch {
    return false
  }
}

async function overHttp(
  base: string,
  secret: string,
  sessionKey: string,
  questionnaireId: string | undefined,
  change: object | undefined,
  sessionId: number | undefined,
): Promise<WindowListing[]> {
  const headers = { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' }
  const fail = async (response: Response) => {
    if (response.status === 401) {
      throw new SettingsError(
        `The kit running at ${base} has another presenter secret: set PRESENTER_SECRET to the one it was started with.`,
      )
    }
    throw new SettingsError(((await response.json()) as { error: string }).error)
  }
  if (change && questionnaireId) {
    const response = await fetch(`${base}/api/questionnaires/${encodeURIComponent(questionnaireId)}`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ ...change, ...(sessionId ? { sessionId } : {}) }),
    })
    if (!response.ok) await fail(response)
  }
  const response = await fetch(`${base}/api/questionnaires?session=${encodeURIComponent(sessionKey)}`, { headers })
  if (!response.ok) await fail(response)
  const { questionnaires } = (await response.json()) as { questionnaires: WindowListing[] }
  return questionnaires.filter((entry) => !questionnaireId || entry.questionnaireId === questionnaireId)
}

async function inStore(
  settings: ReturnType<typeof readSettings>,
  sessionKey: string,
  questionnaireId: string | undefined,
  change: object | undefined,
  sessionId: number | undefined,
): Promise<WindowListing[]> {
  const polls = await loadPollsOrExplain()
  const followUp = await loadFollowUpOrExplain(polls)
  const { store } = await openStore(settings)
  try {
    // The same engine `npm start` runs, without a server: the same rules, the same writes.
    const engine = await new PollEngine(store, polls, followUp).start()
    if (change && questionnaireId) {
      const result = await engine.changeWindow({
        ...change,
        questionnaireId,
        ...(sessionId ? { sessionId } : {}),
      } as WindowPayload)
      if (!result.ok) throw new SettingsError(result.error)
    }
    const session = await findSession(store, sessionKey)
    const data = await sessionResults(store, [], session, followUp)
    const joinUrl = `${publicBase(settings, settings.port)}/vote`
    return followUp.questionnaires
      .filter((entry) => !questionnaireId || entry.id === questionnaireId)
      .map((entry) => {
        const counted = data.questionnaires.find((result) => result.id === entry.id)
        return {
          ...engine.windowOf(session.id, entry.id),
          title: entry.title,
          started: counted?.started,
          finished: counted?.finished,
          link: questionnaireLink(joinUrl, session.id, entry.id),
        }
      })
  } finally {
    await store.close()
  }
}

/** `npm run new -- "Giving feedback"`: a new deck from the kit's template, and what to do next. */
function newSession(argv: string[]): void {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true })
  const file = newDeck(positionals.join(' '))
  const name = basename(file, '.md')
  console.log(
    [
      '',
      `  Made ${relative(process.cwd(), file)}: every layout and every poll kind once, with notes. Keep what serves`,
      '  your session, delete the rest, and keep the agenda adding up to its duration.',
      '',
      `  Present it:      npm start -- --deck ${name}`,
      `  Edit it live:    npm run dev -- --deck ${name}`,
      `  Its handouts:    npm run handouts -- --deck ${name}`,
      '',
    ].join('\n'),
  )
}

const commands: Record<string, (argv: string[]) => unknown> = {
  start,
  build,
  dev,
  new: newSession,
  results,
  questionnaire,
  presenter,
}

async function main(): Promise<void> {
  const [command = 'start', ...argv] = process.argv.slice(2)
  const run = commands[command]
  if (!run) {
    throw new SettingsError(
      `Unknown command "${command}": use start, dev, build, new, results, questionnaire or presenter.`,
    )
  }
  await run(argv)
}

main().catch((error: unknown) => {
  // parseArgs reports unknown flags with a code; those are the user's to fix too.
  const flag = (error as NodeJS.ErrnoException)?.code?.startsWith('ERR_PARSE_ARGS')
  if (error instanceof KitError || flag) {
    console.error(`\n  ${(error as Error).message}\n`)
  } else {
    console.error(error)
  }
  process.exit(1)
})
