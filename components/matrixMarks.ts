// The marks of a 2×2, one colour and one shape per item, so items stay apart in a crowded plot,
// on a grey printout and for people who do not tell the colours apart.

/** Deck colours first (teal, ochre), then four that stay distinct from them and each other. */
const COLOURS = ['#17656d', '#c47a14', '#7a3b78', '#2f5fa7', '#b3321f', '#4d7f2a']

type Shape = 'circle' | 'square' | 'triangle' | 'diamond' | 'star' | 'hexagon'
const SHAPES: Shape[] = ['circle', 'square', 'triangle', 'diamond', 'star', 'hexagon']

/** The item's mark as an SVG path centred on (cx, cy), about r from centre to edge. */
export function markPath(index: number, cx: number, cy: number, r: number): string {
  const shape = SHAPES[index % SHAPES.length]
  const polygon = (corners: number, radius: number, turn: number, inner?: number) => {
    const points: string[] = []
    const count = inner ? corners * 2 : corners
    for (let i = 0; i < count; i++) {
      const angle = turn + (i * 2 * Math.PI) / count
      const length = inner && i % 2 ? inner : radius
      points.push(`${(cx + length * Math.cos(angle)).toFixed(2)},${(cy + length * Math.sin(angle)).toFixed(2)}`)
    }
    return `M${points.join('L')}Z`
  }
  switch (shape) {
    case 'square':
      return polygon(4, r * 1.12, Math.PI / 4)
    case 'triangle':
      return polygon(3, r * 1.25, -Math.PI / 2)
    case 'diamond':
      return polygon(4, r * 1.2, 0)
    case 'star':
      return polygon(5, r * 1.3, -Math.PI / 2, r * 0.6)
    case 'hexagon':
      return polygon(6, r * 1.05, 0)
    default:
      return `M${cx - r},${cy}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0Z`
  }
}

/** The item's colour, as the custom property the marks fill with. */
export function markStyle(index: number): Record<string, string> {
  return { '--mark': COLOURS[index % COLOURS.length] ?? COLOURS[0] ?? '#17656d' }
}

/**
 * How the placements of a 2×2 fall into its quarters, as shares of all placements, in the order
 * quadrants are declared: top left, top right, bottom left, bottom right. A placement on a
 * middle line counts half to each side of it (a quarter to each of four at the centre).
 */
export function quarterShares(
  items: readonly { points: readonly { x: number; y: number; count: number }[] }[],
  steps: number,
): [number, number, number, number] {
  const half = steps / 2
  const sides = (value: number): [number, number] => (value < half ? [1, 0] : value > half ? [0, 1] : [0.5, 0.5])
  const sums: [number, number, number, number] = [0, 0, 0, 0]
  let total = 0
  for (const item of items) {
    for (const point of item.points) {
      const [left, right] = sides(point.x)
      const [low, high] = sides(point.y)
      sums[0] += high * left * point.count
      sums[1] += high * right * point.count
      sums[2] += low * left * point.count
      sums[3] += low * right * point.count
      total += point.count
    }
  }
  return total ? (sums.map((sum) => sum / total) as [number, number, number, number]) : [0, 0, 0, 0]
}
