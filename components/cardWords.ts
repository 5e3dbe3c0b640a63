// What a wall says about the cards the room cannot read: how many, never which.
import type { HeldCount } from '../server/protocol'

/** "3 hidden by the facilitator · 2 waiting for approval", or '' when none are held. */
export function heldLine(held: HeldCount | undefined): string {
  if (!held) return ''
  const parts: string[] = []
  if (held.hidden) parts.push(`${held.hidden} hidden by the facilitator`)
  if (held.waiting) parts.push(`${held.waiting} waiting for approval`)
  return parts.join(' · ')
}
