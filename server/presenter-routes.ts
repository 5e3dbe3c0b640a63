// The presenter's HTTP side: the presenter link's page, which exchanges the one-time code from
// its #fragment for a presenter session (the code never reaches a server log, a proxy or a
// Referer, and once used it is worth nothing in the browser's history), the list of signed-in
// presenter devices, and the notes and presenter-only slides for the presenter view. And the
// phone remote: the presenter view asks for a pairing code (shown as a QR code), the remote's
// page trades it for its own presenter session the same way, and reads the run sheet.
import express, { type Request, type RequestHandler, type Response } from 'express'
import { addressKey, type TrustProxy } from './address.ts'
import type { AddressLimits } from './address-limits.ts'
import { inlinePagePolicy, noStore } from './headers.ts'
import type { PresenterNotes } from './presenter-notes.ts'
import { deviceLabel, type PresenterSessions, sessionCookie } from './presenter-sessions.ts'
import type { RunSheet } from './run-sheet.ts'
import type { VoterPage } from './voter-page.ts'

export interface PresenterRouteOptions {
  presenters: PresenterSessions
  limits: AddressLimits
  trustProxy: TrustProxy
  /** The deck's notes and presenter-only slides (read when first asked). */
  notes: () => Promise<PresenterNotes>
  /** The deck as the phone remote shows it (read when first asked). */
  runSheet: () => Promise<RunSheet>
  /** The phone remote's page (built like the voter page, when first asked for: starting stays as fast). */
  remotePage: () => Promise<VoterPage>
  /** The address phones use, e.g. http://192.168.1.20:3030/vote: the remote is on the same host. */
  joinUrl: () => string
}

const originHost = (origin: string) => {
  try {
    return new URL(origin).host
  } catch {
    return undefined
  }
}

/** The origin phones reach (the join address's), where the remote is served too. */
const remoteBase = (joinUrl: string) => {
  try {
    return new URL(joinUrl).origin
  } catch {
    return ''
  }
}

const NEW_LINK = 'run `npm run presenter -- link` in the kit’s folder for a new link'

// The page reads the code from the fragment, takes it out of the address bar at once, and trades
// it for the session cookie; a browser that is already signed in goes straight on.
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Presenter · Workshop kit</title>
<style>body{margin:0 auto;max-width:34rem;padding:3rem 1.25rem;font:500 1.15rem/1.5 system-ui,sans-serif;color:#1b2630;background:#f8f6f1}h1{font-size:1.5rem}</style>
</head>
<body>
<h1>Presenter</h1>
<p id="status" role="status">Signing this browser in as the presenter…</p>
<script>
(async () => {
  const status = document.getElementById('status')
  const code = location.hash.slice(1)
  history.replaceState(null, '', location.pathname)
  const start = () => location.replace('/presenter/1')
  const signedIn = async () => (await fetch('/api/presenter/sessions', { cache: 'no-store' })).ok
  try {
    if (code) {
      const response = await fetch('/api/presenter/sessions', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ code }),
        cache: 'no-store',
      })
      if (response.ok) return start()
      const body = await response.json().catch(() => ({}))
      if (await signedIn()) return start()
      status.textContent = body.error || 'This presenter link could not be used.'
    } else if (await signedIn()) start()
    else status.textContent = 'Open the presenter link that npm start printed in its terminal.'
  } catch {
    status.textContent = 'The kit did not answer: is npm start still running?'
  }
})()
</script>
</body>
</html>
`

export function presenterRoutes({
  presenters,
  limits,
  trustProxy,
  notes,
  runSheet,
  remotePage,
  joinUrl,
}: PresenterRouteOptions): express.Router {
  const router = express.Router()
  /** A POST that changes who is signed in comes from the kit's own page (a browser always says). */
  const fromAnotherSite = (req: Request) => {
    const origin = req.headers.origin
    return Boolean(origin && originHost(origin) !== req.headers.host)
  }
  const refuse = (res: Response) =>
    res.status(401).json({ error: 'Only a presenter may read this: open the presenter link printed by npm start.' })
  const asPresenter = (req: Request) => presenters.presenter(req.headers)

  router.get('/present', noStore, inlinePagePolicy(PAGE, trustProxy), (_req, res) => {
    res.type('html').send(PAGE)
  })

  router.post('/api/presenter/sessions', express.json({ limit: '1kb' }), async (req, res) => {
    // Only the kit's own page exchanges codes.
    if (fromAnotherSite(req)) {
      return void res.status(403).json({ error: 'Presenter links are opened on the kit’s own address.' })
    }
    if (limits.take(addressKey(req.ip ?? ''), 'codes') === null) {
      return void res
        .status(429)
        .set('Retry-After', '30')
        .json({ error: 'Too many presenter links tried from this address: wait a minute.' })
    }
    const code = (req.body as { code?: unknown } | undefined)?.code
    if (typeof code !== 'string' || !/^[A-Za-z0-9_-]{20,100}$/.test(code)) {
      return void res.status(400).json({ error: `This is not a presenter link: ${NEW_LINK}.` })
    }
    const redeemed = await presenters.redeem(code, deviceLabel(req.headers['user-agent']))
    if (!redeemed) {
      return void res
        .status(403)
        .json({ error: `This presenter link has been used already, or is older than a day: ${NEW_LINK}.` })
    }
    res.setHeader('Set-Cookie', sessionCookie(redeemed.token, req.secure))
    res.status(201).json({ session: redeemed.session })
  })

  router.get('/api/presenter/sessions', (req, res) => {
    const presenter = asPresenter(req)
    if (!presenter) return void refuse(res)
    res.json({
      sessions: presenters.list(),
      current: presenter.via === 'session' ? presenter.session.id : null,
    })
  })

  router.get('/api/presenter/notes', async (req, res) => {
    if (!asPresenter(req)) return void refuse(res)
    res.json(await notes())
  })

  // Pairing a phone: a one-time code, good for a few minutes, made by this presenter session (the
  // device ends with it). The secret alone pairs nothing: a device must have a session to end with.
  router.post('/api/presenter/pairing', (req, res, next) => {
    const presenter = asPresenter(req)
    if (presenter?.via !== 'session') return void refuse(res)
    if (fromAnotherSite(req))
      return void res.status(403).json({ error: 'Pairing is asked for on the kit’s own address.' })
    presenters
      .issue('paired', presenter.session.id)
      .then(({ code, expiresAt }) =>
        res.status(201).json({ url: `${remoteBase(joinUrl())}/remote#${code}`, expiresAt }),
      )
      .catch((error) => {
        remote = null // the next request tries again
        next(error)
      })
  })

  router.get('/api/presenter/run-sheet', async (req, res) => {
    if (!asPresenter(req)) return void refuse(res)
    res.json(await runSheet())
  })

  // The remote's page holds nothing secret (its data comes with its session): one response, like
  // the phone page, that no other page may frame (headers.ts: a presenter page).
  let remote: Promise<{ page: VoterPage; policy: RequestHandler }> | null = null
  router.get('/remote', (req, res, next) => {
    remote ??= remotePage().then((page) => ({ page, policy: inlinePagePolicy(page.html.toString(), trustProxy) }))
    remote
      .then(({ page, policy }) =>
        policy(req, res, () => {
          res.set({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache', Vary: 'Accept-Encoding' })
          if (req.acceptsEncodings('gzip')) res.set('Content-Encoding', 'gzip').send(page.gzipped)
          else res.send(page.html)
        }),
      )
      .catch((error) => {
        remote = null // the next request tries again
        next(error)
      })
  })
  return router
}
