// Where a request comes from (the client's address, through a trusted reverse proxy), and whether
// it was meant for this server at all (the Host allow-list against DNS rebinding).
import type { IncomingMessage } from 'node:http'
import { hostname, networkInterfaces } from 'node:os'
import proxyAddr from 'proxy-addr'

/** Whether a hop's address is a proxy whose X-Forwarded-For and X-Forwarded-Proto are believed. */
export type TrustProxy = (address: string, hop: number) => boolean

/**
 * TRUST_PROXY: the proxies' addresses or subnets (`127.0.0.1`, `10.0.0.0/8`), or proxy-addr's
 * names `loopback`, `linklocal`, `uniquelocal`. Empty: no one's forwarded address is believed.
 */
export function trustProxy(list: readonly string[]): TrustProxy {
  return list.length ? proxyAddr.compile([...list]) : () => false
}

/** The client's address: the connection's own, or what the trusted proxies say they forwarded. */
export function clientAddress(req: IncomingMessage, trust: TrustProxy): string {
  return proxyAddr(req, trust)
}

/** True when the request reached us over HTTPS, directly or (said by a trusted proxy) at the proxy. */
export function isHttps(req: IncomingMessage, trust: TrustProxy): boolean {
  if ((req.socket as { encrypted?: boolean }).encrypted) return true
  const proto = req.headers['x-forwarded-proto']
  const first = (Array.isArray(proto) ? proto[0] : proto)?.split(',')[0]?.trim()
  return first === 'https' && trust(req.socket.remoteAddress ?? '', 0)
}

/**
 * The key limits count by: an IPv4 address, or an IPv6 address's /64 (one home or phone network
 * holds a whole /64, so counting single IPv6 addresses would count nothing).
 */
export function addressKey(address: string): string {
  const plain = address.replace(/%.*$/, '').toLowerCase()
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(plain)
  if (mapped) return mapped[1] as string
  if (!plain.includes(':')) return plain
  const [head = '', tail = ''] = plain.split('::')
  const left = head ? head.split(':') : []
  const right = plain.includes('::') && tail ? tail.split(':') : []
  const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`
}

/** The host name of a Host header ("[::1]:3030" → "::1"), lower case, without a trailing dot. */
export function hostOf(header: string | undefined): string | undefined {
  if (!header) return undefined
  const match = /^\[([^\]]+)\](?::\d+)?$/.exec(header) ?? /^([^:]+)(?::\d+)?$/.exec(header)
  return match?.[1]?.toLowerCase().replace(/\.$/, '')
}

/**
 * The host names the server answers to. A page on another name (a DNS-rebinding attack points
 * a name the attacker controls at this laptop) is refused, so it can neither read nor act.
 */
export class HostAllowList {
  private readonly named: Set<string>
  private readonly suffixes: string[]
  private readonly any: boolean
  private machine = new Set<string>()
  private readAt = 0

  /** `names`: PUBLIC_URL's host, the listening address and ALLOWED_HOSTS (`.example.org`: any subdomain; `*`: any name). */
  constructor(names: readonly string[]) {
    const cleaned = names.map((name) => hostOf(name) ?? name.toLowerCase())
    this.any = cleaned.includes('*')
    this.suffixes = cleaned.filter((name) => name.startsWith('.'))
    this.named = new Set(['localhost', ...cleaned.filter((name) => !name.startsWith('.'))])
    this.readMachine()
  }

  /** This machine's addresses and names; read again (at most every few seconds) when a name is not known. */
  private readMachine(): void {
    this.readAt = Date.now()
    const names = new Set([hostname().toLowerCase(), `${hostname().toLowerCase()}.local`, '::1'])
    for (const addresses of Object.values(networkInterfaces())) {
      for (const info of addresses ?? []) names.add(info.address.replace(/%.*$/, '').toLowerCase())
    }
    this.machine = names
  }

  allows(hostHeader: string | undefined): boolean {
    if (this.any) return true
    const host = hostOf(hostHeader)
    if (!host) return false
    if (this.known(host)) return true
    // The laptop may have joined another network since: its new address is its own.
    if (Date.now() - this.readAt > 5000) {
      this.readMachine()
      return this.known(host)
    }
    return false
  }

  private known(host: string): boolean {
    return (
      this.named.has(host) ||
      this.machine.has(host) ||
      /^127\.\d+\.\d+\.\d+$/.test(host) ||
      this.suffixes.some((suffix) => host.endsWith(suffix))
    )
  }
}
