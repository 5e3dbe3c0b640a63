// The room's questions and open answers as a phone lists them, by the phone page's own rules
// (server/voter/known-cards.ts), and the same list as a fresh connection of that phone gets it.
import type { CardView } from '../../server/protocol.ts'
import { KnownCards } from '../../server/voter/known-cards.ts'
import { type Client, connect, synced } from './clients.ts'

/** Keeps what this client knows of the cards, from its syncs and the cards it hears of. */
export function knownCards(client: Client): KnownCards {
  const known = new KnownCards()
  client.on('sync', (state) => known.sync(state))
  client.on('cards', (payload) => known.apply(payload))
  return known
}

/** Everything a phone lists, in one comparable order (by id: each view orders the same cards alike). */
export function listed(known: KnownCards): CardView[] {
  return [...known.cards.values()].sort((a, b) => a.id.localeCompare(b.id))
}

/** What this participant's phone would list if it connected now: a fresh sync, read alike. */
export async function freshList(url: string, participantId: string): Promise<CardView[]> {
  const client = connect(url, { role: 'voter', participantId })
  const known = new KnownCards()
  known.sync(await synced(client))
  client.close()
  return listed(known)
}
