// The presenter secret: made at start-up (or taken from PRESENTER_SECRET), checked only on the
// server, never written into anything served to attendees. The presenter's browser gets it as
// an HttpOnly cookie from the presenter link, so no script on the page can read it either.
import { randomBytes, timingSafeEqual } from 'node:crypto'

export const PRESENTER_COOKIE = 'workshop_presenter'

export function makeSecret(): string {
  return randomBytes(18).toString('base64url')
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [key, ...value] = part.trim().split('=')
    if (key !== name) continue
    try {
      return decodeURIComponent(value.join('='))
    } catch {
      return undefined
    }
  }
  return undefined
}

/** True when the handshake's `secret`, or the presenter cookie, matches the secret. */
export function isPresenter(secret: string, offered?: string, cookieHeader?: string): boolean {
  const candidates = [offered, readCookie(cookieHeader, PRESENTER_COOKIE)]
  return candidates.some((candidate) => candidate !== undefined && same(candidate, secret))
}

/** Reads `Authorization: Bearer <secret>` (for the HTTP API). */
export function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '')
  return match?.[1]
}
