// The slides PDF, through Slidev's own exporter (`slidev export`) and the system Chromium. The
// poll engine is attached to Slidev's server during the export (slides/vite.config.ts) and reads
// DATA_DIR, so poll slides show the stored results instead of an empty chart.
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { PDFDocument } from 'pdf-lib'
import { deckEntry } from '../server/deck.ts'
import { KitError } from '../server/errors.ts'
import { ROOT } from '../server/settings.ts'

export class ExportError extends KitError {}

export const SLIDEV = join(ROOT, 'node_modules', '.bin', 'slidev')

const running = new Set<ChildProcess>()

/** Stops exports still running (when another step failed), with the browsers they started. */
export function stopExports(): void {
  for (const child of running) {
    try {
      // Each export runs in its own process group: this reaches Slidev's Chromium too.
      if (child.pid) process.kill(-child.pid, 'SIGTERM')
    } catch {
      child.kill('SIGTERM')
    }
  }
  running.clear()
}

type ExportOptions = {
  chromium: string
  dataDir: string
  timeoutMs?: number
  env?: Record<string, string>
  range?: string
}

/** Fewer bytes than this per page is a PDF of empty pages: no slide draws that little. */
const BLANK_BYTES_PER_PAGE = 1024

/** The PDF's pages are all empty (the page reloaded under the printer and printed nothing). */
export async function isBlank(output: string): Promise<boolean> {
  const bytes = readFileSync(output)
  const pages = (await PDFDocument.load(bytes)).getPageCount()
  return bytes.length < pages * BLANK_BYTES_PER_PAGE
}

/**
 * Exports the deck, and refuses to hand over a PDF of empty pages. Slidev saves empty pages
 * without an error when the page reloads while it prints (a source file saved during the
 * export) or when a component never draws in print (a 2×2 sized by CSS size containment once
 * did), so the size of what it wrote is checked.
 */
export async function exportSlides(deck: string, output: string, options: ExportOptions): Promise<void> {
  await exportOnce(deck, output, options)
  if (await isBlank(output)) {
    throw new ExportError(
      `Slidev exported the "${deck}" deck as empty pages: if a slide or component was being edited, run \`npm run handouts\` again; otherwise open the deck with \`npm run dev\` to see what stops it drawing.`,
    )
  }
}

async function exportOnce(deck: string, output: string, options: ExportOptions): Promise<void> {
  if (!existsSync(SLIDEV)) throw new ExportError('Slidev is not installed: run `npm install` first.')
  // How long the deck may take to be complete in the browser (components/usePrintReady.ts): a
  // guard against a page that never completes, generous for a busy laptop.
  const timeout = options.timeoutMs ?? 180_000
  const args = [
    'export',
    deckEntry(deck),
    '--output',
    output,
    '--executable-path',
    options.chromium,
    '--timeout',
    String(timeout),
    ...(options.range ? ['--range', options.range] : []),
  ]
  const log: Buffer[] = []
  const code = await new Promise<number | null>((done) => {
    const child = spawn(SLIDEV, args, {
      cwd: ROOT,
      // DECK: the export's own poll engine serves this deck's polls (a sample deck's included).
      env: { ...process.env, ...options.env, DATA_DIR: options.dataDir, DECK: deck },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
    })
    running.add(child)
    child.stdout.on('data', (chunk: Buffer) => log.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => log.push(chunk))
    child.on('close', (status) => {
      running.delete(child)
      done(status)
    })
    child.on('error', () => done(-1))
  })
  if (code !== 0 || !existsSync(output)) {
    const tail = Buffer.concat(log).toString('utf8').trim().split('\n').slice(-25).join('\n')
    if (tail) process.stderr.write(`${tail}\n`)
    throw new ExportError(
      `Slidev could not export the "${deck}" deck (its output is above): fix the slide it names, or run \`npm run dev\` to see it.`,
    )
  }
}
