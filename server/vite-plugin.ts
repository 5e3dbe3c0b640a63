// Attaches the poll engine to Slidev's Vite dev server, for `npm run dev` (live reload while
// authoring) and `slidev export` (so exported poll slides show the stored results).
import express from 'express'
import type { Connect, ViteDevServer } from 'vite'
import { apiRoutes, voterRoutes } from './app.ts'
import { banner } from './banner.ts'
import { PollEngine } from './engine.ts'
import { createPollServer } from './poll-server.ts'
import { publicBase, readSettings } from './settings.ts'
import { loadPollsOrExplain, openStore } from './start.ts'
import { buildVoterPage } from './voter-page.ts'

export async function attachToVite(server: ViteDevServer): Promise<void> {
  const httpServer = server.httpServer
  if (!httpServer || !('listen' in httpServer)) return // middleware mode: nothing to attach to
  const settings = readSettings([])
  // `slidev export` runs this short-lived local server only to print the deck: let it read
  // every session's results (for comparisons). Any other Vite server keeps the presenter rule.
  if (process.argv.includes('export')) settings.resultsPublic = true
  const store = openStore(settings.dataDir)
  const engine = await new PollEngine(store, await loadPollsOrExplain()).start()
  const voterPage = await buildVoterPage()
  let joinUrl = ''
  // A small Express app (not bare routers) so the routes get Express's request and response.
  const routes = express()
  routes.use(
    apiRoutes({
      engine,
      store,
      joinUrl: () => joinUrl,
      secret: settings.secret,
      resultsPublic: settings.resultsPublic,
    }),
  )
  routes.use(voterRoutes({ voterPage, secret: settings.secret }))
  server.middlewares.use(routes as unknown as Connect.NextHandleFunction)
  createPollServer(httpServer as import('node:http').Server, {
    engine,
    secret: settings.secret,
    allowedOrigins: settings.allowedOrigins,
    maxConnectionsPerAddress: settings.maxConnectionsPerAddress,
  })
  httpServer.once('listening', () => {
    const address = httpServer.address()
    const port = typeof address === 'object' && address ? address.port : settings.port
    joinUrl = `${publicBase(settings, port)}/vote`
    if (process.env.WORKSHOP_DEV) {
      const presenterUrl = `http://localhost:${port}/present?key=${encodeURIComponent(settings.secret)}`
      console.log(banner({ joinUrl, presenterUrl }, settings, settings.deck))
    }
  })
  httpServer.once('close', () => void store.close())
}
