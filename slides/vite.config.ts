// Slidev reads this file for every deck in slides/. It points Slidev at the shared top-level
// components/ folder and, in `slidev dev` and `slidev export`, attaches the live poll engine to
// Slidev's own HTTP server so polls work while authoring and exports show stored results.
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const here = dirname(fileURLToPath(import.meta.url))
const slidevClient = dirname(createRequire(import.meta.url).resolve('@slidev/client/package.json'))

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
  slidev: {
    components: {
      dirs: [join(slidevClient, 'builtin'), resolve(here, '../components')],
    },
  },
  plugins: [
    {
      name: 'workshop-kit:poll-engine',
      async configureServer(server) {
        const { attachToVite } = await import('../server/vite-plugin.ts')
        await attachToVite(server)
      },
    },
  ],
})
