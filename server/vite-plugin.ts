// Attaches the kit to Slidev's Vite dev server, for `npm run dev` (live reload while authoring)
// and `slidev export` (so exported poll slides show the stored results): the same assembly as
// `npm start`, on Vite's HTTP server, with the store the settings name (SQLite or Redis).
import type { Server as HttpServer } from 'node:http'
import type { Connect, ViteDevServer } from 'vite'
import { banner } from './banner.ts'
import { createKit, presenterBase } from './kit.ts'
import { publicBase, readSettings } from './settings.ts'

export async function attachToVite(server: ViteDevServer): Promise<void> {
  const httpServer = server.httpServer
  if (!httpServer || !('listen' in httpServer)) return // middleware mode: nothing to attach to
  const settings = readSettings([])
  // `slidev export` runs this short-lived local server only to print the deck: let it read
  // every session's results (for comparisons), and print the join slide without a room code.
  // Any other Vite server keeps the presenter rule.
  if (process.argv.includes('export')) {
    settings.resultsPublic = true
    delete settings.roomCode
  }
  const kit = await createKit(httpServer as HttpServer, settings, { middleware: true })
  server.middlewares.use('/__print-hold', holdWhilePrinting)
  server.middlewares.use(kit.app as unknown as Connect.NextHandleFunction)
  httpServer.once('listening', () => {
    const address = httpServer.address()
    const port = typeof address === 'object' && address ? address.port : settings.port
    kit.joinUrl = `${publicBase(settings, port)}/vote`
    kit.presenterBase = presenterBase(settings, port)
    if (process.env.WORKSHOP_DEV) {
      void kit
        .presenterLink()
        .then((presenterUrl) => console.log(banner({ joinUrl: kit.joinUrl, presenterUrl }, settings, settings.deck)))
    }
  })
  httpServer.once('close', () => void kit.close())
}

/**
 * A deck being printed keeps this request open until it is complete (slides/index.html,
 * components/usePrintReady.ts): the exporter waits for the network to go idle. Ten minutes at
 * most, so a page that never completes cannot hold the server forever.
 */
const holdWhilePrinting: Connect.NextHandleFunction = (req, res) => {
  const timer = setTimeout(() => res.writeHead(204).end(), 10 * 60_000)
  req.once('close', () => clearTimeout(timer))
}
