// Presenter sessions: who may open, close and reset polls, moderate, and read the presenter's
// notes. The long-lived presenter secret never reaches a browser: a one-time code (in the
// presenter link's #fragment) is exchanged once for a random session token in an HttpOnly cookie.
// Sessions live in the store, so every process knows them; each process keeps them in memory,
// kept up to date from the store's log, so checking one costs a hash and a map lookup. Signing
// out (one session or all) goes through the log too, so every process drops it at once.
//
// A session has an id, a kind, a label, its times and the session that made it: the printed
// link makes `link` sessions (made by no one); a phone remote paired with a code made in the
// presenter view makes `paired` ones, made by that presenter's session. A paired device ends
// with the session that paired it: signed out with it, and never valid for longer.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { EventEmitter } from 'node:events'
import type { PresenterSessionView } from './protocol.ts'
import type { Change, PresenterSessionRecord, Store } from './store.ts'

export type PresenterSession = PresenterSessionView
export type PresenterKind = PresenterSession['kind']

/** How long a presenter device stays signed in, and how long an unused code stays valid. */
export const SESSION_LIFETIME_MS = 24 * 60 * 60_000
export const CODE_LIFETIME_MS = 24 * 60 * 60_000
/** A pairing code is shown as a QR code on the presenter's screen: it is used within minutes, or never. */
export const PAIRING_LIFETIME_MS = 5 * 60_000

/** The cookie's name; over HTTPS with the __Host- prefix, so no other site or path can set it. */
export const PRESENTER_COOKIE = 'workshop_presenter'
const SECURE_COOKIE = `__Host-${PRESENTER_COOKIE}`

/** Who is asking: the secret itself (the CLI, exports, tests), a presenter session, or no one. */
export type Presenter = { via: 'secret' } | { via: 'session'; session: PresenterSession } | null

export function makeSecret(): string {
  return randomBytes(18).toString('base64url')
}

const token = () => randomBytes(32).toString('base64url')
const hash = (value: string) => createHash('sha256').update(value).digest('base64url')

export function sameSecret(offered: string, secret: string): boolean {
  const left = Buffer.from(offered)
  const right = Buffer.from(secret)
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

/** Reads `Authorization: Bearer <secret>` (for the HTTP API). */
export function bearer(header: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1]
}

/** The Set-Cookie value that signs a browser in (`secure`: the page was served over HTTPS). */
export function sessionCookie(value: string, secure: boolean): string {
  const name = secure ? SECURE_COOKIE : PRESENTER_COOKIE
  const maxAge = Math.floor(SESSION_LIFETIME_MS / 1000)
  return `${name}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure ? '; Secure' : ''}`
}

/** "Chrome on macOS": enough for a presenter to tell their devices apart in a list. */
export function deviceLabel(userAgent = ''): string {
  const browser =
    [
      ['Edge', /Edg\//],
      ['Firefox', /Firefox\//],
      ['Chrome', /Chrome\/|CriOS\//],
      ['Safari', /Safari\//],
    ].find(([, pattern]) => (pattern as RegExp).test(userAgent))?.[0] ?? 'A browser'
  const system =
    [
      ['iPhone', /iPhone/],
      ['iPad', /iPad/],
      ['Android', /Android/],
      ['Windows', /Windows/],
      ['macOS', /Mac OS X|Macintosh/],
      ['Linux', /Linux/],
    ].find(([, pattern]) => (pattern as RegExp).test(userAgent))?.[0] ?? 'another system'
  return `${browser} on ${system}`
}

/** `revoked`: these sessions were signed out; `changed`: the list of sessions changed. */
export class PresenterSessions extends EventEmitter<{ revoked: [string[]]; changed: [] }> {
  private byToken = new Map<string, PresenterSessionRecord>()
  /** While the list loads, changes from the log wait here and are applied after it. */
  private arriving: Change[] | null = []
  private readonly expiry: NodeJS.Timeout

  constructor(
    private readonly store: Store,
    private readonly secret: string,
  ) {
    super()
    store.onChange((change) => {
      if (this.arriving) this.arriving.push(change)
      else this.apply(change)
    })
    // A session that ran out is dropped by every process on its own, as a sign-out would be.
    this.expiry = setInterval(() => {
      const now = Date.now()
      this.forget([...this.byToken.values()].filter((record) => record.expiresAt <= now).map((record) => record.id))
    }, 60_000)
    this.expiry.unref()
  }

  close(): void {
    clearInterval(this.expiry)
  }

  /** Loads the sessions from the store; changes the log brought meanwhile apply on top. */
  async start(): Promise<this> {
    await this.reload()
    return this
  }

  private async reload(): Promise<void> {
    this.arriving ??= []
    const before = new Set(this.ids())
    const records = await this.store.listPresenterSessions()
    this.byToken = new Map(records.map((record) => [record.tokenHash, record]))
    const waiting = this.arriving
    this.arriving = null
    for (const change of waiting) this.apply(change)
    const gone = [...before].filter((id) => !this.find({ id }))
    if (gone.length) this.emit('revoked', gone)
    this.emit('changed')
  }

  private apply(change: Change): void {
    if (change.type === 'presenter') this.add(change.session)
    else if (change.type === 'presenters-revoked') this.forget(change.ids)
    else if (change.type === 'gap') void this.reload()
  }

  /** Drops these sessions here; whoever listens hears of the ones this process still held. */
  private forget(ids: readonly string[]): void {
    const wanted = new Set(ids)
    const removed: string[] = []
    for (const [key, record] of this.byToken) {
      if (!wanted.has(record.id)) continue
      this.byToken.delete(key)
      removed.push(record.id)
    }
    if (!removed.length) return
    this.emit('revoked', removed)
    this.emit('changed')
  }

  private add(record: PresenterSessionRecord): void {
    if (this.byToken.has(record.tokenHash)) return
    this.byToken.set(record.tokenHash, record)
    this.emit('changed')
  }

  private ids(): string[] {
    return [...this.byToken.values()].map((record) => record.id)
  }

  /** The valid (signed in, not expired) session with this token or id. */
  find(key: { token?: string; id?: string }): PresenterSession | undefined {
    let record: PresenterSessionRecord | undefined
    if (key.token) record = this.byToken.get(hash(key.token))
    else if (key.id) record = [...this.byToken.values()].find((candidate) => candidate.id === key.id)
    if (!record || record.expiresAt <= Date.now()) return undefined
    const { tokenHash: _, ...session } = record
    return session
  }

  /** These sessions and every device paired through them (and through those devices). */
  private withPaired(ids: readonly string[]): string[] {
    const ending = new Set(ids)
    const records = [...this.byToken.values()]
    for (let grown = true; grown; ) {
      grown = false
      for (const record of records) {
        if (record.createdBy && ending.has(record.createdBy) && !ending.has(record.id)) {
          ending.add(record.id)
          grown = true
        }
      }
    }
    return [...ending]
  }

  /** Every valid session, oldest first. */
  list(): PresenterSession[] {
    return this.ids()
      .flatMap((id) => this.find({ id }) ?? [])
      .sort((a, b) => a.createdAt - b.createdAt)
  }

  /**
   * Who a request or a connection comes from: the secret (handshake or `Authorization: Bearer`)
   * or a presenter session's cookie.
   */
  presenter(headers: { authorization?: string; cookie?: string }, offeredSecret?: string): Presenter {
    const secret = offeredSecret ?? bearer(headers.authorization)
    if (secret !== undefined && sameSecret(secret, this.secret)) return { via: 'secret' }
    const value = readCookie(headers.cookie, SECURE_COOKIE) ?? readCookie(headers.cookie, PRESENTER_COOKIE)
    const session = value ? this.find({ token: value }) : undefined
    return session ? { via: 'session', session } : null
  }

  /** A one-time code that a browser or device exchanges for a session of this kind. */
  async issueCode(kind: PresenterKind, createdBy: string | null = null): Promise<string> {
    return (await this.issue(kind, createdBy)).code
  }

  /** A one-time code and when it expires: a day for a printed link, minutes for pairing a device. */
  async issue(kind: PresenterKind, createdBy: string | null = null): Promise<{ code: string; expiresAt: number }> {
    const code = token()
    const expiresAt = Date.now() + (kind === 'paired' ? PAIRING_LIFETIME_MS : CODE_LIFETIME_MS)
    await this.store.savePresenterCode({ codeHash: hash(code), kind, createdBy, expiresAt })
    return { code, expiresAt }
  }

  /** Exchanges a code (once) for a new session and the token its cookie holds; null for a used or unknown code. */
  async redeem(code: string, label: string): Promise<{ token: string; session: PresenterSession } | null> {
    const taken = await this.store.takePresenterCode(hash(code))
    if (!taken) return null
    // A device paired by a session that has ended since is not signed in.
    const maker = taken.createdBy === null ? null : this.find({ id: taken.createdBy })
    if (maker === undefined) return null
    const value = token()
    const now = Date.now()
    const record: PresenterSessionRecord = {
      id: randomBytes(9).toString('base64url'),
      tokenHash: hash(value),
      kind: taken.kind,
      label: label.slice(0, 80),
      createdAt: now,
      expiresAt: Math.min(now + SESSION_LIFETIME_MS, maker?.expiresAt ?? Number.POSITIVE_INFINITY),
      createdBy: taken.createdBy,
    }
    await this.store.savePresenterSession(record)
    this.add(record) // the log brings it too (later, with Redis): this process needs it now
    const { tokenHash: _, ...session } = record
    return { token: value, session }
  }

  /**
   * Signs out these sessions (or every one) and the devices they paired, on every process;
   * resolves with the ids signed out.
   */
  async revoke(ids: readonly string[] | 'all'): Promise<string[]> {
    const removed = await this.store.revokePresenterSessions(ids === 'all' ? ids : this.withPaired(ids))
    this.forget(removed) // the log brings it too (later, with Redis): this process acts now
    return removed
  }
}
