// How the richer answers are keyed and read back: a ranking's places, a 2×2's points, the order
// of the room's questions and open answers. One module, used by the tally, the slides, the phone
// page, the exports and the handout, so every view reads an answer the same way. No dependencies.

/** A ranking's answer is counted as one key per option: "option@place" (place 1 = first). */
export const rankKey = (optionId: string, place: number) => `${optionId}@${place}`

/** A 2×2's answer is counted as one key per item: "item@x,y" (whole steps from 0). */
export const pointKey = (itemId: string, x: number, y: number) => `${itemId}@${x},${y}`

export type ReadKey = { id: string; place: number } | { id: string; x: number; y: number }

/** Reads a key back; null for anything that is neither a place nor a point. */
export function readKey(key: string): ReadKey | null {
  const at = key.lastIndexOf('@')
  if (at <= 0) return null
  const id = key.slice(0, at)
  const rest = key.slice(at + 1)
  if (/^\d{1,2}$/.test(rest)) return { id, place: Number(rest) }
  const point = /^(\d{1,2}),(\d{1,2})$/.exec(rest)
  return point ? { id, x: Number(point[1]), y: Number(point[2]) } : null
}

export interface RankedOption {
  id: string
  label: string
  /** Borda points: n − 1 for each first place, down to 0 for each last. */
  points: number
  /** Average place (1 = first), or null before anyone ranked it. */
  averagePlace: number | null
  /** How many put it at each place: byPlace[0] is first. The spread of opinion. */
  byPlace: number[]
}

/** The room's order: options by Borda points, most first (ties by average place, then slide order). */
export function roomOrder(options: readonly { id: string; label: string }[], counts: Record<string, number>) {
  const n = options.length
  const ranked: RankedOption[] = options.map(({ id, label }) => {
    const byPlace = Array.from({ length: n }, (_, i) => counts[rankKey(id, i + 1)] ?? 0)
    const people = byPlace.reduce((sum, count) => sum + count, 0)
    const placeSum = byPlace.reduce((sum, count, i) => sum + count * (i + 1), 0)
    const points = byPlace.reduce((sum, count, i) => sum + count * (n - 1 - i), 0)
    return { id, label, points, averagePlace: people ? Math.round((placeSum / people) * 10) / 10 : null, byPlace }
  })
  const slideOrder = new Map(options.map((option, i) => [option.id, i]))
  return ranked.sort(
    (a, b) =>
      b.points - a.points ||
      (a.averagePlace ?? n + 1) - (b.averagePlace ?? n + 1) ||
      (slideOrder.get(a.id) ?? 0) - (slideOrder.get(b.id) ?? 0),
  )
}

export interface PlacedItem {
  id: string
  label: string
  /** Where people put it, and how many put it there. */
  points: { x: number; y: number; count: number }[]
  /** How many placed it, and the average position (null before anyone did). */
  people: number
  average: { x: number; y: number } | null
}

/** Each 2×2 item with its scatter and average position, in slide order. */
export function placedItems(
  items: readonly { id: string; label: string }[],
  counts: Record<string, number>,
): PlacedItem[] {
  return items.map(({ id, label }) => {
    const points: PlacedItem['points'] = []
    for (const [key, count] of Object.entries(counts)) {
      const read = readKey(key)
      if (count > 0 && read && read.id === id && 'x' in read) points.push({ x: read.x, y: read.y, count })
    }
    const people = points.reduce((sum, point) => sum + point.count, 0)
    const mean = (axis: 'x' | 'y') =>
      Math.round((points.reduce((sum, point) => sum + point[axis] * point.count, 0) / people) * 10) / 10
    return { id, label, points, people, average: people ? { x: mean('x'), y: mean('y') } : null }
  })
}

/** What the ordering of cards needs to know. */
interface Orderable {
  upvotes: number
  at: number
  pinned: boolean
  answered: boolean
}

/**
 * The room's questions as every view lists them: pinned first, then open questions by votes,
 * then answered ones (dimmed where shown); equal votes, the older first.
 */
export function orderQuestions<T extends Orderable>(cards: readonly T[]): T[] {
  const rank = (card: T) => (card.pinned ? 0 : card.answered ? 2 : 1)
  return [...cards].sort((a, b) => rank(a) - rank(b) || b.upvotes - a.upvotes || a.at - b.at)
}

/** Open answers on a wall: highlighted first, then most liked or newest first. */
export function orderAnswers<T extends Orderable>(cards: readonly T[], by: 'liked' | 'newest'): T[] {
  return [...cards].sort(
    (a, b) =>
      Number(b.pinned) - Number(a.pinned) || (by === 'liked' ? b.upvotes - a.upvotes || b.at - a.at : b.at - a.at),
  )
}
