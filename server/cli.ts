// `npm start`, `npm run dev` and `npm run build`. Problems a facilitator can fix are printed as
// one sentence that names the fix, never as a stack trace.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { relative, resolve } from 'node:path'
import { buildDeck, DeckError, deckEntry, deckIsStale, deckNames, deckOutDir } from './deck.ts'
import { banner } from './banner.ts'
import { ROOT, readSettings, SettingsError } from './settings.ts'
import { StartupError, startServer } from './start.ts'

async function ensureBuilt(deck: string): Promise<void> {
  deckEntry(deck)
  if (!deckIsStale(deck)) return
  const started = Date.now()
  console.log(`Building the "${deck}" deck (slides changed since the last build)…`)
  await buildDeck(deck)
  console.log(`Built in ${((Date.now() - started) / 1000).toFixed(1)} s.`)
}

async function start(argv: string[]): Promise<void> {
  const started = Date.now()
  const settings = readSettings(argv)
  await ensureBuilt(settings.deck)
  const server = await startServer(settings, deckOutDir(settings.deck))
  console.log(banner(server, settings, settings.deck))
  console.log(`  Ready in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`)
  const stop = async () => {
    console.log('\nStopping…')
    await server.close()
    process.exit(0)
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
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

/** Slidev's dev server with live reload; slides/vite.config.ts attaches the poll engine. */
function dev(argv: string[]): void {
  const settings = readSettings(argv)
  const slidev = resolve(ROOT, 'node_modules', '.bin', 'slidev')
  if (!existsSync(slidev)) throw new DeckError('Slidev is not installed: run `npm install` first.')
  const args = [deckEntry(settings.deck), '--port', String(settings.port), '--bind', settings.host]
  const child = spawn(slidev, args, {
    cwd: ROOT,
    stdio: 'inherit',
    // The Vite plugin reads the same settings; pass the secret so it matches the printed link.
    env: { ...process.env, PRESENTER_SECRET: settings.secret, DATA_DIR: settings.dataDir, WORKSHOP_DEV: '1' },
  })
  child.on('exit', (code) => process.exit(code ?? 0))
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal))
}

const commands: Record<string, (argv: string[]) => unknown> = { start, build, dev }

async function main(): Promise<void> {
  const [command = 'start', ...argv] = process.argv.slice(2)
  const run = commands[command]
  if (!run) throw new SettingsError(`Unknown command "${command}": use start, dev or build.`)
  await run(argv)
}

main().catch((error: unknown) => {
  const known = [StartupError, DeckError, SettingsError].some((kind) => error instanceof kind)
  // parseArgs reports unknown flags with a code; those are the user's to fix too.
  const flag = (error as NodeJS.ErrnoException)?.code?.startsWith('ERR_PARSE_ARGS')
  if (known || flag) {
    console.error(`\n  ${(error as Error).message}\n`)
  } else {
    console.error(error)
  }
  process.exit(1)
})
