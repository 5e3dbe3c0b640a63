// Building the Slidev decks that `npm start` serves: the kit's own (slides/<name>.md, built to
// dist/<name>) or any deck that uses the kit as its add-on (`--entry slides.md`, built to a
// dist/ folder beside it). A deck is rebuilt only when a slide or a part of the kit changed since
// its last build, so a normal start costs no build at all.
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { KitError } from './errors.ts'
import { listDecks } from './polls.ts'
import { ROOT, SLIDES_DIR } from './settings.ts'

export class DeckError extends KitError {}

const STAMP = '.built'
/**
 * How the deck is built, written in the stamp: a deck built another way (an older kit's, with
 * the speaker notes in it) is rebuilt before it is served.
 */
const BUILD = 'room deck, without notes (1)'
/** The kit's parts every deck is built with (the add-on root: components, layouts, setup, styles). */
const KIT_SOURCES = ['components', 'layouts', 'setup', 'styles', 'vite.config.ts', 'index.html'].map((name) =>
  resolve(ROOT, name),
)

/** A deck to build: its Markdown, where it is built to, and what it is built from. */
export interface DeckBuild {
  name: string
  entry: string
  out: string
  sources: string[]
}

/** One of the kit's decks, slides/<name>.md. */
export function kitDeck(deck: string): DeckBuild {
  return { name: deck, entry: deckEntry(deck), out: deckOutDir(deck), sources: [SLIDES_DIR, ...KIT_SOURCES] }
}

/** A deck in a Slidev project of its own that lists the kit in `addons:`; built to dist/ beside it. */
export function entryDeck(file: string): DeckBuild {
  const entry = resolve(file)
  if (!existsSync(entry)) {
    throw new DeckError(`There is no deck ${file}: give the Markdown file of your slides, e.g. --entry slides.md`)
  }
  return {
    name: basename(entry, '.md'),
    entry,
    out: join(dirname(entry), 'dist'),
    sources: [dirname(entry), ...KIT_SOURCES],
  }
}

export function deckNames(): string[] {
  return listDecks(SLIDES_DIR).map((file) => basename(file, '.md'))
}

export function deckEntry(deck: string): string {
  const entry = join(SLIDES_DIR, `${deck}.md`)
  if (!existsSync(entry)) {
    throw new DeckError(`There is no deck "${deck}": choose one of ${deckNames().join(', ')} (DECK=... or --deck).`)
  }
  return entry
}

export function deckOutDir(deck: string): string {
  return resolve(SLIDES_DIR, '..', 'dist', deck)
}

/** The newest change in a file or folder; build output, dependencies and hidden files aside. */
function newestChange(path: string, skip: string): number {
  if (!statSync(path).isDirectory()) return statSync(path).mtimeMs
  let newest = 0
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const inner = join(path, entry.name)
    if (entry.name === 'node_modules' || entry.name.startsWith('.') || inner === skip) continue
    newest = Math.max(newest, newestChange(inner, skip))
  }
  return newest
}

export function deckIsStale(deck: string | DeckBuild): boolean {
  const { out, sources } = typeof deck === 'string' ? kitDeck(deck) : deck
  const stamp = join(out, STAMP)
  if (!existsSync(stamp) || !readFileSync(stamp, 'utf8').startsWith(BUILD)) return true
  const built = statSync(stamp).mtimeMs
  return sources.some((path) => existsSync(path) && newestChange(path, out) > built)
}

/** Builds a deck for the room (see buildForRoom) into its folder, and stamps it. */
export async function buildDeck(deck: string | DeckBuild): Promise<void> {
  const { entry, out } = typeof deck === 'string' ? kitDeck(deck) : deck
  await buildForRoom(entry, out)
  writeFileSync(join(out, STAMP), `${BUILD} ${new Date().toISOString()}`)
}

/**
 * Slidev's command: the deck's own project's (a deck using the kit as an add-on has Slidev as
 * its dependency), else the kit's.
 */
export function slidevCommand(entry: string): string {
  for (let dir = dirname(entry); ; dir = dirname(dir)) {
    const bin = join(dir, 'node_modules', '.bin', 'slidev')
    if (existsSync(bin)) return bin
    if (dirname(dir) === dir) break
  }
  const own = resolve(ROOT, 'node_modules', '.bin', 'slidev')
  if (!existsSync(own)) throw new DeckError('Slidev is not installed: run `npm install` first.')
  return own
}

/**
 * Runs `slidev build` for the room: without the speaker notes (the presenter view gets them from
 * the server, server/presenter-notes.ts). Its output is shown only when it fails.
 */
export async function buildForRoom(entry: string, out: string): Promise<void> {
  const slidev = slidevCommand(entry)
  // Start from an empty folder: stale chunks from earlier builds would still be served.
  rmSync(out, { recursive: true, force: true })
  const output: Buffer[] = []
  const code = await new Promise<number | null>((done) => {
    const child = spawn(slidev, ['build', entry, '--out', out, '--base', '/', '--without-notes'], {
      cwd: dirname(entry),
    })
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk))
    child.on('close', done)
    child.on('error', () => done(-1))
  })
  if (code !== 0) {
    process.stderr.write(Buffer.concat(output))
    throw new DeckError(
      `Building the "${basename(entry, '.md')}" deck failed (see Slidev's output above); fix the slide and try again.`,
    )
  }
}
