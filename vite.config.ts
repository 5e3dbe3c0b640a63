// The kit as a Slidev add-on: Slidev merges this file into the Vite config of every deck that
// lists the kit in `addons:` (the decks in slides/ name it as `@/..`). Components, layouts,
// setup (the poll engine's Vite plugin: setup/vite-plugins.ts) and styles come from the folders
// beside this file, as for any Slidev add-on.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineConfig } from 'vite'

/**
 * Each `slidev export` gets a dependency cache of its own: Slidev otherwise shares one, and two
 * exports at once (the handouts of two decks, or a test beside a handout) rewrite it under each
 * other, which reloads the page mid-print and leaves "Loading slide..." in the PDF.
 */
function exportCacheDir(): string | undefined {
  if (!process.argv.includes('export')) return undefined
  const dir = mkdtempSync(join(tmpdir(), 'workshop-export-vite-'))
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }))
  return dir
}

export default defineConfig({
  cacheDir: exportCacheDir(),
  // Used only by the kit's components, which Vite's first scan does not see: found later, they
  // would be optimised mid-page and force a reload (fatal during an export).
  optimizeDeps: { include: ['socket.io-client', 'uqr'] },
})
