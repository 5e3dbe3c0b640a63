// Building the Slidev decks that `npm start` serves. A deck is rebuilt only when a slide or a
// component changed since its last build, so a normal start costs no build at all.
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
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
const SOURCES = [SLIDES_DIR, resolve(ROOT, 'components')]

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
  return resolve(ROOT, 'dist', deck)
}

function newestChange(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestChange(path) : statSync(path).mtimeMs)
  }
  return newest
}

export function deckIsStale(deck: string): boolean {
  const stamp = join(deckOutDir(deck), STAMP)
  if (!existsSync(stamp) || !readFileSync(stamp, 'utf8').startsWith(BUILD)) return true
  const built = statSync(stamp).mtimeMs
  return SOURCES.some((dir) => existsSync(dir) && newestChange(dir) > built)
}

/** Builds a deck for the room (see buildForRoom) into dist/<deck>, and stamps it. */
export async function buildDeck(deck: string): Promise<void> {
  const entry = deckEntry(deck)
  const out = deckOutDir(deck)
  await buildForRoom(entry, out)
  writeFileSync(join(out, STAMP), `${BUILD} ${new Date().toISOString()}`)
}

/**
 * Runs `slidev build` for the room: without the speaker notes (the presenter view gets them from
 * the server, server/presenter-notes.ts). Its output is shown only when it fails.
 */
export async function buildForRoom(entry: string, out: string): Promise<void> {
  const slidev = resolve(ROOT, 'node_modules', '.bin', 'slidev')
  if (!existsSync(slidev)) throw new DeckError('Slidev is not installed: run `npm install` first.')
  // Start from an empty folder: stale chunks from earlier builds would still be served.
  rmSync(out, { recursive: true, force: true })
  const output: Buffer[] = []
  const code = await new Promise<number | null>((done) => {
    const child = spawn(slidev, ['build', entry, '--out', out, '--base', '/', '--without-notes'], { cwd: ROOT })
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
