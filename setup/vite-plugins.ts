// The poll engine on Slidev's own dev server (`slidev`, `npm run dev`) and on the short-lived
// server `slidev export` prints from: polls work while authoring, and exports show stored results.
// Slidev calls this for every deck that uses the kit (its own decks, or any deck that lists the
// kit in `addons:`), with the deck's entry, so the engine serves that deck's polls.
import { defineVitePluginsSetup } from '@slidev/types'
import type { Plugin } from 'vite'

export default defineVitePluginsSetup((options): Plugin[] => [
  {
    name: 'workshop-kit:poll-engine',
    async configureServer(server) {
      // The engine is TypeScript run as it is (no build step): tsx loads it, whether the kit is
      // this repository or a package in a deck's node_modules.
      const { tsImport } = await import('tsx/esm/api')
      const engine: typeof import('../server/vite-plugin.ts') = await tsImport(
        '../server/vite-plugin.ts',
        import.meta.url,
      )
      await engine.attachToVite(server, options.entry)
    },
  },
])
