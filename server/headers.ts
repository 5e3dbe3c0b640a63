// Security headers on every HTTP response, set with helmet: its defaults (nosniff, no referrer,
// cross-origin opener and resource policies, …), then a Content-Security-Policy per kind of page
// that lets each load only the kit's own origin. Presenter pages cannot be framed at all, other
// pages only by the kit itself; HTTPS responses (direct, or at a trusted proxy) add HSTS.
import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { RequestHandler } from 'express'
import helmet from 'helmet'
import { isHttps, type TrustProxy } from './address.ts'

/** Slidev's presenter routes (its presenter view, notes, overview), the presenter link and the phone remote. */
const PRESENTER_PAGES = /^\/(presenter|notes|notes-edit|overview|entry|present|remote)(\/|$|\?)/

export const isPresenterPage = (url = '') => PRESENTER_PAGES.test(url)

/** The hashes of a page's inline scripts and styles, for its CSP (`'sha256-…'`). */
export function inlineHashes(html: string): { script: string[]; style: string[] } {
  const digest = (body: string) => `'sha256-${createHash('sha256').update(body).digest('base64')}'`
  const of = (tag: string) =>
    [...html.matchAll(new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, 'g'))]
      .map((match) => match[1] ?? '')
      .filter((body) => body.trim())
      .map(digest)
  return { script: of('script'), style: of('style') }
}

/** helmet's headers for every response, HSTS over HTTPS only, and a CSP for JSON and errors. */
export function securityHeaders(trust: TrustProxy): RequestHandler[] {
  const hsts = helmet.strictTransportSecurity({ maxAge: 365 * 24 * 3600 })
  return [
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
      },
      referrerPolicy: { policy: 'no-referrer' },
      // Sent only when the request came over HTTPS (below): on a venue's plain-HTTP LAN it would
      // mean nothing, and a browser that met the kit on HTTPS once would refuse HTTP after.
      strictTransportSecurity: false,
    }),
    (req, res, next) => (isHttps(req, trust) ? hsts(req, res, next) : next()),
    // Presenter pages are never framed, not even by the kit's own pages.
    (req, res, next) => {
      if (isPresenterPage(req.originalUrl)) res.setHeader('X-Frame-Options', 'DENY')
      next()
    },
  ]
}

const frameAncestors = (req: IncomingMessage) => (isPresenterPage(req.url) ? "'none'" : "'self'")

/** The realtime channel's WebSocket address, for browsers whose 'self' does not cover ws: (old Safari). */
function webSocketSource(trust: TrustProxy) {
  return (req: IncomingMessage, _res: ServerResponse) => {
    const host = req.headers.host ?? ''
    // The Host has passed the allow-list; anything but a plain host:port is left out all the same.
    if (!/^[a-z0-9.:[\]-]+$/i.test(host)) return "'self'"
    return `${isHttps(req, trust) ? 'wss' : 'ws'}://${host}`
  }
}

/**
 * The built deck: Slidev's own scripts and its one inline script (by hash). Styles may be inline:
 * Vue writes style attributes into the slides it renders (a style cannot run script).
 */
export function deckPolicy(indexHtml: string, trust: TrustProxy): RequestHandler {
  const { script } = inlineHashes(indexHtml)
  return helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", ...script],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'", webSocketSource(trust)],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: [frameAncestors],
    },
  })
}

/** A page that is all one response (the phone page, the presenter link): its inline parts by hash, nothing else. */
export function inlinePagePolicy(html: string, trust: TrustProxy): RequestHandler {
  const { script, style } = inlineHashes(html)
  return helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      scriptSrc: script.length ? script : ["'none'"],
      styleSrc: style.length ? style : ["'none'"],
      fontSrc: ['data:'],
      imgSrc: ['data:'],
      connectSrc: ["'self'", webSocketSource(trust)],
      baseUri: ["'none'"],
      formAction: ["'none'"],
      frameAncestors: [frameAncestors],
    },
  })
}

/** Nothing secret is kept by a browser or a proxy: the presenter link, exports, every API answer. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store')
  next()
}
