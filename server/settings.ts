// Settings for `npm start` and `npm run dev`: flags win over environment variables, which win
// over defaults. The README's settings table lists the same names.
import { networkInterfaces } from 'node:os'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { trustProxy } from './address.ts'
import { KitError } from './errors.ts'
import { makeSecret } from './presenter-sessions.ts'
import { type RoomCode, roomCodeFrom } from './room-code.ts'

export interface Settings {
  port: number
  host: string
  dataDir: string
  deck: string
  secret: string
  /** Set when PUBLIC_URL overrides the detected LAN address (reverse proxy, tunnel, DNS name). */
  publicUrl?: string
  allowedOrigins: string[]
  /** Host names the server answers to besides its own addresses, localhost and PUBLIC_URL's. */
  allowedHosts: string[]
  /** Reverse proxies whose X-Forwarded-For / -Proto are believed (addresses, subnets, `loopback`). */
  trustProxy: string[]
  /** Serve HTTPS directly with this certificate and key (PEM files). */
  tls?: { cert: string; key: string }
  /** The room code phones must give (ROOM_CODE), if any. */
  roomCode?: RoomCode
  /** How many phones may share one address (a venue's NAT): the per-address limits are sized for it. */
  phonesPerAddress: number
  /** Open realtime connections one address may hold (handshaking ones too). */
  maxConnectionsPerAddress: number
  /** Results exports without the presenter secret. */
  resultsPublic: boolean
  /** Several processes share this Redis (store and Socket.IO adapter); unset: SQLite. */
  redisUrl?: string
  /** Sessions that started longer ago than this many days are deleted; unset: kept. */
  retentionDays?: number
}

export class SettingsError extends KitError {}

export const ROOT = resolve(import.meta.dirname, '..')
export const SLIDES_DIR = resolve(ROOT, 'slides')

export function readSettings(argv: string[], env: NodeJS.ProcessEnv = process.env): Settings {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      deck: { type: 'string' },
      'public-url': { type: 'string' },
      'if-stale': { type: 'boolean' },
      'results-public': { type: 'boolean' },
      'redis-url': { type: 'string' },
      'retention-days': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'room-code': { type: 'string' },
    },
    strict: true,
  })
  const retention = values['retention-days'] ?? env.RETENTION_DAYS
  const rawPort = values.port ?? env.PORT ?? '3030'
  const port = Number(rawPort)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new SettingsError(`PORT must be a number from 0 to 65535, not "${rawPort}".`)
  }
  const publicUrl = values['public-url'] ?? env.PUBLIC_URL
  if (publicUrl && !/^https?:\/\/[^/]+/.test(publicUrl)) {
    throw new SettingsError(`PUBLIC_URL must start with http:// or https://, not "${publicUrl}".`)
  }
  const secret = presenterSecret(env.PRESENTER_SECRET)
  const roomCode = roomCodeFrom(values['room-code'] ?? env.ROOM_CODE, secret)
  if (typeof roomCode === 'object') throw new SettingsError(roomCode.error)
  const proxies = list(env.TRUST_PROXY)
  try {
    trustProxy(proxies)
  } catch {
    throw new SettingsError(
      `TRUST_PROXY must list the proxy's addresses or subnets (e.g. 127.0.0.1 or 10.0.0.0/8), not "${env.TRUST_PROXY}".`,
    )
  }
  const cert = values['tls-cert'] ?? env.TLS_CERT
  const key = values['tls-key'] ?? env.TLS_KEY
  if (Boolean(cert) !== Boolean(key)) {
    throw new SettingsError('HTTPS needs both TLS_CERT and TLS_KEY (the certificate and its private key, PEM files).')
  }
  const phonesPerAddress = positiveInteger('PHONES_PER_ADDRESS', env.PHONES_PER_ADDRESS, 500)
  return {
    port,
    host: values.host ?? env.HOST ?? '0.0.0.0',
    dataDir: resolve(values['data-dir'] ?? env.DATA_DIR ?? resolve(ROOT, 'data')),
    deck: values.deck ?? env.DECK ?? 'workshop',
    secret,
    publicUrl: publicUrl?.replace(/\/+$/, ''),
    allowedOrigins: list(env.ALLOWED_ORIGINS),
    allowedHosts: list(env.ALLOWED_HOSTS),
    trustProxy: proxies,
    ...(cert && key ? { tls: { cert: resolve(cert), key: resolve(key) } } : {}),
    ...(roomCode ? { roomCode } : {}),
    phonesPerAddress,
    maxConnectionsPerAddress: positiveInteger(
      'MAX_CONNECTIONS_PER_ADDRESS',
      env.MAX_CONNECTIONS_PER_ADDRESS,
      phonesPerAddress * 2,
    ),
    redisUrl: values['redis-url'] ?? (env.REDIS_URL || undefined),
    resultsPublic: values['results-public'] ?? ['1', 'true', 'yes'].includes((env.RESULTS_PUBLIC ?? '').toLowerCase()),
    ...(retention ? { retentionDays: positiveInteger('RETENTION_DAYS', retention, 0) } : {}),
  }
}

/** A chosen secret must be hard to guess: it is the only thing between a phone and the controls. */
function presenterSecret(chosen: string | undefined): string {
  if (!chosen) return makeSecret()
  if (chosen.length < 16) {
    throw new SettingsError('PRESENTER_SECRET must be at least 16 characters; leave it unset to get a random one.')
  }
  return chosen
}

/** A comma-separated setting as a list. */
function list(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
}

function positiveInteger(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 1)
    throw new SettingsError(`${name} must be a whole number above 0, not "${raw}".`)
  return value
}

const WILDCARDS = new Set(['0.0.0.0', '::', ''])
const VIRTUAL = /^(docker|br-|veth|virbr|vmnet|lo|tun|tap|utun|zt|tailscale)/

/** The address phones on the same network can reach: the LAN IPv4 address, not localhost. */
export function lanAddress(host: string): string | undefined {
  if (!WILDCARDS.has(host)) return host === 'localhost' || host.startsWith('127.') ? undefined : host
  const candidates: { name: string; address: string }[] = []
  for (const [name, addresses] of Object.entries(networkInterfaces())) {
    for (const info of addresses ?? []) {
      if (info.family === 'IPv4' && !info.internal) candidates.push({ name, address: info.address })
    }
  }
  // Prefer real adapters (Wi-Fi, Ethernet) over container and VPN bridges.
  candidates.sort((a, b) => Number(VIRTUAL.test(a.name)) - Number(VIRTUAL.test(b.name)))
  return candidates[0]?.address
}

/** Base URL of the server as phones see it. */
export function publicBase(settings: Settings, boundPort: number): string {
  if (settings.publicUrl) return settings.publicUrl
  const address = lanAddress(settings.host) ?? 'localhost'
  const host = address.includes(':') ? `[${address}]` : address
  return `${settings.tls ? 'https' : 'http'}://${host}:${boundPort}`
}
