// Slidev reads this file for every deck in slides/. It points Slidev at the shared top-level
// components/ folder and, in `slidev dev` and `slidev export`, attaches the live poll engine to
// Slidev's own HTTP server so polls work while authoring and exports show stored results.
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const here = dirname(fileURLToPath(import.meta.url))
const slidevClient = dirname(createRequire(import.meta.url).resolve('@slidev/client/package.json'))

export default defineConfig({
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
