// The room code: an optional short code shown on the projector (and carried by the join QR code)
// that a phone must give before it may read or answer anything. For a session on a public
// address, it keeps out people who are not in the room. Wrong codes are limited per address.
import { createHmac, timingSafeEqual } from 'node:crypto'

/** A room code as compared: upper case letters and digits. */
export type RoomCode = string

const CODE = /^[A-Z0-9]{4,12}$/

/** What people may type: case, spaces and dashes do not matter ("482 915", "ab-12cd"). */
export function normaliseRoomCode(text: string): string {
  return text.toUpperCase().replace(/[\s-]+/g, '')
}

/**
 * ROOM_CODE: unset for none, `auto` for six digits made from the presenter secret (so every
 * process that shares the secret shows the same code), or a code of 4 to 12 letters and digits.
 * Returns undefined for none, or an error message for a code that cannot be used.
 */
export function roomCodeFrom(setting: string | undefined, secret: string): RoomCode | undefined | { error: string } {
  if (!setting) return undefined
  if (setting.toLowerCase() === 'auto') {
    const digest = createHmac('sha256', secret).update('workshop room code').digest()
    return String(digest.readUInt32BE(0) % 1_000_000).padStart(6, '0')
  }
  const code = normaliseRoomCode(setting)
  return CODE.test(code) ? code : { error: `ROOM_CODE must be auto, or 4 to 12 letters and digits, not "${setting}".` }
}

export function isRoomCode(code: RoomCode, offered: string | undefined): boolean {
  const left = Buffer.from(normaliseRoomCode(offered ?? ''))
  const right = Buffer.from(code)
  return left.length === right.length && timingSafeEqual(left, right)
}

/** How a room code is shown: digits in threes ("482 915"), so the room can read it out. */
export function spacedRoomCode(code: RoomCode): string {
  return code.replace(/(.{3})(?=.)/g, '$1 ')
}

/** The address's wrong guesses: whether it has one left, and spending one. */
export interface Guesses {
  left(): boolean
  spend(): void
}

type Refusal = { message: string; data: { room: 'needed' | 'wrong' | 'wait' } }

/**
 * Who may come in with a room code. A wrong code spends one of the address's guesses; with none
 * left, nobody new from that address comes in for a while, right code or not (or guessing would
 * go on). Phones already let in with the code (by participant id) always come back in.
 */
export class RoomDoor {
  private readonly members = new Set<string>()

  constructor(readonly code: RoomCode) {}

  /** Null when the connection may come in; otherwise why not (`data.room` tells the phone page what to ask). */
  refusal(offered: string | undefined, participantId: string | null, guesses: Guesses): Refusal | null {
    if (!offered) return { message: 'This session needs the room code shown on the screen.', data: { room: 'needed' } }
    const right = isRoomCode(this.code, offered)
    if (right && participantId && this.members.has(participantId)) return null
    if (!guesses.left()) {
      return {
        message: 'Too many wrong room codes from this network: wait a minute, then try again.',
        data: { room: 'wait' },
      }
    }
    if (!right) {
      guesses.spend()
      return { message: 'That room code is not right: check the code on the screen.', data: { room: 'wrong' } }
    }
    if (participantId) {
      this.members.add(participantId)
      if (this.members.size > 200_000) this.members.delete(this.members.values().next().value as string)
    }
    return null
  }
}
