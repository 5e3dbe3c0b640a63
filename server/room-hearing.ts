// What the room has heard of each wall of cards (the questions, and each open-answers poll). The
// room hears of the top of each wall once a second, as a difference from what it heard before, so
// the server must know exactly what it sent: a card that every phone holds, as it is now, need not
// be sent again; a card that some phone may hold and that left the top must be dropped.
//
// Two sets per wall, changed only by what was actually sent to the room:
// - `everyone`: cards every phone of the room holds, as they are now (until a change names them);
// - `some`: cards at least one phone of the room may hold.
// A phone that syncs between two broadcasts gets the top as it is then: cards missing from it are
// no longer held by everyone, and cards in it are held by some. A phone's own cards outside the top
// are its own business: they are not the room's and never count as heard by it.

type Wall = string | null

export interface RoomSend {
  /** Cards of the top to send: new to some phone, or changed since they were sent. */
  send: string[]
  /** Cards some phone may hold that are no longer in the top: sent without their text. */
  drop: string[]
  /** Changed cards outside the top that no phone of the room holds (only, maybe, their author's). */
  outside: string[]
}

export class RoomHearing {
  private everyone = new Map<Wall, Set<string>>()
  private some = new Map<Wall, Set<string>>()

  /** Every phone of the room was just sent these tops (a full resync of everyone). */
  resynced(tops: Map<Wall, string[]>): void {
    this.everyone = new Map([...tops].map(([wall, ids]) => [wall, new Set(ids)]))
    this.some = new Map([...tops].map(([wall, ids]) => [wall, new Set(ids)]))
  }

  /** One phone of the room was sent these tops (a connection or a reconnection). */
  synced(tops: Map<Wall, string[]>): void {
    for (const wall of new Set([...tops.keys(), ...this.everyone.keys()])) {
      const top = new Set(tops.get(wall) ?? [])
      const everyone = this.everyone.get(wall)
      if (everyone) for (const id of everyone) if (!top.has(id)) everyone.delete(id)
      const some = this.some.get(wall) ?? new Set<string>()
      for (const id of top) some.add(id)
      this.some.set(wall, some)
    }
  }

  /**
   * What to send the room about one wall whose top is now `top` after the cards `changed` (ids on
   * this wall) changed. Afterwards every phone holds exactly that top.
   */
  broadcast(wall: Wall, top: readonly string[], changed: ReadonlySet<string>): RoomSend {
    const everyone = this.everyone.get(wall) ?? new Set<string>()
    const now = new Set(top)
    const send = top.filter((id) => !everyone.has(id) || changed.has(id))
    const some = this.some.get(wall) ?? new Set<string>()
    const drop = [...some].filter((id) => !now.has(id))
    const outside = [...changed].filter((id) => !now.has(id) && !some.has(id))
    this.everyone.set(wall, new Set(now))
    this.some.set(wall, new Set(now))
    return { send, drop, outside }
  }
}
