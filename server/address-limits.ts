// What one address may do. A venue's Wi-Fi puts a whole room behind one address (NAT), so the
// limits are sized by how many phones may share one (PHONES_PER_ADDRESS, 500 by default): such
// a room can join, vote, ask and like at once, while a script on one address that invents
// participant ids is held to a steady rate. Counted per process, by address (an IPv6 address's
// /64: see server/address.ts); connections that are still handshaking count too.

/** A token bucket: `burst` at once, then `perSecond`. */
export interface Rate {
  burst: number
  perSecond: number
}

export type AddressAction = 'identities' | 'votes' | 'posts' | 'upvotes' | 'codes' | 'roomGuesses'

/**
 * The rates for a room of `phones` behind one address. A quarter of the room joins at once and
 * the rest at a sixtieth of it per second (500 phones that all arrive together: about 45 s);
 * the whole room votes, changes its vote and likes twice at once; a quarter of it posts at once. Wrong room codes and
 * presenter codes are few, whatever the room.
 */
export function addressRates(phones: number): Record<AddressAction, Rate> {
  return {
    identities: { burst: Math.ceil(phones / 4), perSecond: phones / 60 },
    votes: { burst: phones * 2, perSecond: phones / 10 },
    posts: { burst: Math.ceil(phones / 4), perSecond: phones / 50 },
    upvotes: { burst: phones * 2, perSecond: phones / 10 },
    roomGuesses: { burst: Math.max(20, Math.ceil(phones / 10)), perSecond: 0.5 },
    codes: { burst: 10, perSecond: 0.2 },
  }
}

interface Bucket {
  tokens: number
  at: number
}

interface AddressState {
  connections: number
  buckets: Map<AddressAction, Bucket>
  touched: number
}

/** Participant ids remembered as already seen: a phone that reconnects is not a new identity. */
const SEEN_IDS = 200_000

export class AddressLimits {
  private readonly addresses = new Map<string, AddressState>()
  private readonly seen = new Set<string>()
  private readonly sweep: NodeJS.Timeout

  constructor(
    readonly maxConnections: number,
    private readonly rates: Record<AddressAction, Rate>,
  ) {
    // Forget addresses with no connection whose buckets have long refilled.
    this.sweep = setInterval(() => {
      const old = Date.now() - 10 * 60_000
      for (const [key, state] of this.addresses) {
        if (state.connections === 0 && state.touched < old) this.addresses.delete(key)
      }
    }, 60_000)
    this.sweep.unref()
  }

  private state(key: string): AddressState {
    let state = this.addresses.get(key)
    if (!state) {
      state = { connections: 0, buckets: new Map(), touched: Date.now() }
      this.addresses.set(key, state)
    }
    return state
  }

  canConnect(key: string): boolean {
    return (this.addresses.get(key)?.connections ?? 0) < this.maxConnections
  }

  /** Counts a connection from this address; returns what to call when it closes. */
  connected(key: string): () => void {
    const state = this.state(key)
    state.connections++
    let open = true
    return () => {
      if (!open) return
      open = false
      state.connections--
      state.touched = Date.now()
    }
  }

  /**
   * Takes one `action` for this address: 0 when it may go now, the milliseconds to wait for its
   * turn (its turn is kept), or null when that would be longer than `maxWaitMs` (nothing kept).
   */
  take(key: string, action: AddressAction, maxWaitMs = 0): number | null {
    const rate = this.rates[action]
    const state = this.state(key)
    const now = Date.now()
    state.touched = now
    const bucket = state.buckets.get(action) ?? { tokens: rate.burst, at: now }
    bucket.tokens = Math.min(rate.burst, bucket.tokens + ((now - bucket.at) / 1000) * rate.perSecond)
    bucket.at = now
    state.buckets.set(action, bucket)
    const wait = bucket.tokens >= 1 ? 0 : Math.ceil(((1 - bucket.tokens) / rate.perSecond) * 1000)
    if (wait > maxWaitMs) return null
    bucket.tokens -= 1
    return wait
  }

  /** True when `action` may go now (nothing is taken). */
  available(key: string, action: AddressAction): boolean {
    const rate = this.rates[action]
    const bucket = this.addresses.get(key)?.buckets.get(action)
    return !bucket || bucket.tokens + ((Date.now() - bucket.at) / 1000) * rate.perSecond >= 1
  }

  /** How long until `action` would be allowed again with a wait of at most `maxWaitMs`. */
  retryAfter(key: string, action: AddressAction, maxWaitMs = 0): number {
    const rate = this.rates[action]
    const bucket = this.addresses.get(key)?.buckets.get(action)
    if (!bucket) return 0
    const tokens = Math.min(rate.burst, bucket.tokens + ((Date.now() - bucket.at) / 1000) * rate.perSecond)
    return Math.max(0, Math.ceil(((1 - tokens) / rate.perSecond) * 1000) - maxWaitMs)
  }

  /** True once this process has let a participant id in (from any address): it is no new identity. */
  knows(participantId: string): boolean {
    return this.seen.has(participantId)
  }

  remember(participantId: string): void {
    if (this.seen.has(participantId)) return
    this.seen.add(participantId)
    if (this.seen.size > SEEN_IDS) this.seen.delete(this.seen.values().next().value as string)
  }

  close(): void {
    clearInterval(this.sweep)
  }
}
