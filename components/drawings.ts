// The kit's pictures, drawn once as plain shapes: the two hats and the three costs of confusion.
// The deck draws them with Vue (Hat.vue, CostIcon.vue); the phone page and the handouts, which
// have no Vue, take the same shapes as SVG markup from `svgMarkup`.

export type HatKind = 'lead' | 'manage'

export interface Shape {
  d: string
  fill?: string
  stroke?: string
  width?: number
}

export interface Drawing {
  viewBox: string
  shapes: Shape[]
}

/** The deck's colours (slides/style.css) in the shades the drawings need. */
export const PALETTE = {
  ink: '#1b2630',
  paper: '#fffdf8',
  lead: '#17656d',
  leadDark: '#0f4a50',
  leadLight: '#2f8c95',
  leadPale: '#bfe0e0',
  manage: '#955810',
  manageBright: '#d6922f',
  manageLight: '#f0c27a',
  managePale: '#fbe7c6',
  gold: '#e8b04b',
  warn: '#9b3d2f',
  warnLight: '#e7a08f',
} as const

const round = (n: number) => Math.round(n * 100) / 100

/** A star with `points` tips: the compass rose on the leader's cap. */
function star(cx: number, cy: number, outer: number, inner: number, points = 4): string {
  const corners = Array.from({ length: points * 2 }, (_, i) => {
    const radius = i % 2 === 0 ? outer : inner
    const angle = (Math.PI * i) / points - Math.PI / 2
    return `${round(cx + radius * Math.cos(angle))} ${round(cy + radius * Math.sin(angle))}`
  })
  return `M${corners.join(' L')} Z`
}

/** A gear with `teeth` square-ish teeth and a hole: the badge on the manager's hard hat. */
function gear(cx: number, cy: number, outer: number, inner: number, hole: number, teeth = 8): string {
  const step = (Math.PI * 2) / teeth
  const points: string[] = []
  for (let i = 0; i < teeth; i++) {
    const a = i * step - Math.PI / 2
    for (const [radius, offset] of [
      [inner, -0.5],
      [outer, -0.3],
      [outer, 0.3],
      [inner, 0.5],
    ] as const) {
      const angle = a + offset * step * 0.9
      points.push(`${round(cx + radius * Math.cos(angle))} ${round(cy + radius * Math.sin(angle))}`)
    }
  }
  // The hole is drawn the other way round, so the even-odd fill leaves it open.
  const h = round(hole)
  return `M${points.join(' L')} Z M${cx - h} ${cy} a${h} ${h} 0 1 0 ${h * 2} 0 a${h} ${h} 0 1 0 ${-h * 2} 0 Z`
}

/** The leader hat: a captain's cap (direction, "where we go") with a compass rose. */
const leaderHat: Drawing = {
  viewBox: '0 0 120 100',
  shapes: [
    // soft crown, wider than the band
    {
      d: 'M6 42 C6 24 30 13 60 13 C90 13 114 24 114 42 C114 50 106 54 96 55 L24 55 C14 54 6 50 6 42 Z',
      fill: PALETTE.lead,
    },
    // light on the crown's top
    {
      d: 'M18 34 C24 24 40 19 60 19 C80 19 96 24 102 34 C88 28 74 26 60 26 C46 26 32 28 18 34 Z',
      fill: PALETTE.leadLight,
    },
    // band
    { d: 'M24 53 L96 53 L94 71 L26 71 Z', fill: PALETTE.leadDark },
    // peak
    { d: 'M22 69 C38 75 82 75 98 69 C102 80 88 89 60 89 C32 89 18 80 22 69 Z', fill: PALETTE.ink },
    // gold cord over the peak
    { d: 'M27 68.5 C44 73 76 73 93 68.5', stroke: PALETTE.gold, width: 3 },
    // badge: a compass rose on a round plate
    { d: 'M60 28 a15 15 0 1 0 0.01 0 Z', fill: PALETTE.paper },
    { d: star(60, 43, 12, 3.2), fill: PALETTE.lead },
    { d: star(60, 43, 6.5, 1.8), fill: PALETTE.gold },
  ],
}

/** The manager hat: a hard hat (building, "how we get there") with a gear. */
const managerHat: Drawing = {
  viewBox: '0 0 120 100',
  shapes: [
    // dome
    { d: 'M16 74 C16 40 34 18 60 18 C86 18 104 40 104 74 Z', fill: PALETTE.manageBright },
    // ridges
    { d: 'M50 19.5 C53 18.4 67 18.4 70 19.5 L73 74 L47 74 Z', fill: PALETTE.manageLight },
    // shade on the right of the dome
    { d: 'M86 30 C97 42 104 56 104 74 L92 74 C92 58 91 44 86 30 Z', fill: PALETTE.manage },
    // brim
    {
      d: 'M4 76 C4 71 8 69 14 69 L106 69 C112 69 116 71 116 76 C116 82 112 84 106 84 L14 84 C8 84 4 82 4 76 Z',
      fill: PALETTE.manage,
    },
    // badge: a gear on a round plate
    { d: 'M60 33 a15 15 0 1 0 0.01 0 Z', fill: PALETTE.paper },
    { d: gear(60, 48, 11.5, 8.5, 3.6), fill: PALETTE.manage },
  ],
}

export const HATS: Record<HatKind, Drawing> = { lead: leaderHat, manage: managerHat }

export const HAT_NAMES: Record<HatKind, string> = { lead: 'Leader hat', manage: 'Manager hat' }

export type CostKind = 'confusion' | 'misalignment' | 'burnout'

/** One picture per cost of not knowing which hat you wear (the article's three). */
export const COSTS: Record<CostKind, Drawing> = {
  // two speech bubbles that do not agree: "brainstorming or finalizing?"
  confusion: {
    viewBox: '0 0 64 64',
    shapes: [
      {
        d: 'M6 10 h30 a6 6 0 0 1 6 6 v14 a6 6 0 0 1 -6 6 h-18 l-8 8 v-8 h-4 a6 6 0 0 1 -6 -6 v-14 a6 6 0 0 1 6 -6 Z',
        fill: PALETTE.warn,
      },
      {
        d: 'M28 24 h26 a6 6 0 0 1 6 6 v12 a6 6 0 0 1 -6 6 h-2 v8 l-8 -8 h-16 a6 6 0 0 1 -6 -6 v-12 a6 6 0 0 1 6 -6 Z',
        fill: PALETTE.warnLight,
      },
      { d: 'M16 19 c0 -3 2 -5 5 -5 s5 2 5 4.6 c0 3.4 -5 3.4 -5 7.4', stroke: PALETTE.paper, width: 3.2 },
      { d: 'M21 29.5 a1.9 1.9 0 1 0 0.01 0 Z', fill: PALETTE.paper },
      { d: 'M41 30 v9 M41 43.5 v0.5', stroke: PALETTE.warn, width: 3.6 },
    ],
  },
  // two arrows that set off together and end up apart
  misalignment: {
    viewBox: '0 0 64 64',
    shapes: [
      { d: 'M22 32 L50 14', stroke: PALETTE.warn, width: 5 },
      { d: 'M40 12.7 L50 14 L47 23.5', stroke: PALETTE.warn, width: 5 },
      { d: 'M22 32 L50 50', stroke: PALETTE.warnLight, width: 5 },
      { d: 'M47 40.5 L50 50 L40 51.3', stroke: PALETTE.warnLight, width: 5 },
      { d: 'M6 32 H22', stroke: PALETTE.ink, width: 5 },
    ],
  },
  // a battery with one bar left
  burnout: {
    viewBox: '0 0 64 64',
    shapes: [
      {
        d: 'M6 18 h44 a4 4 0 0 1 4 4 v20 a4 4 0 0 1 -4 4 h-44 a4 4 0 0 1 -4 -4 v-20 a4 4 0 0 1 4 -4 Z',
        stroke: PALETTE.warn,
        width: 4,
      },
      { d: 'M56 26 h4 v12 h-4 Z', fill: PALETTE.warn },
      { d: 'M10 25 h7 v14 h-7 Z', fill: PALETTE.warn },
    ],
  },
}

const escapeAttr = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')

/** SVG markup for a drawing, for pages without Vue. Decorative unless given a `label`. */
export function svgMarkup(drawing: Drawing, options: { className?: string; label?: string } = {}): string {
  const { className, label } = options
  const a11y = label ? `role="img" aria-label="${escapeAttr(label)}"` : 'aria-hidden="true"'
  const shapes = drawing.shapes
    .map((shape) =>
      shape.stroke
        ? `<path d="${shape.d}" fill="none" stroke="${shape.stroke}" stroke-width="${shape.width ?? 2}" stroke-linecap="round" stroke-linejoin="round"/>`
        : `<path d="${shape.d}" fill="${shape.fill ?? 'currentColor'}" fill-rule="evenodd"/>`,
    )
    .join('')
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${drawing.viewBox}"${className ? ` class="${className}"` : ''} ${a11y}>${shapes}</svg>`
}

/**
 * Which hat an answer option stands for, if any: "Leader hat" and "Leading" → lead, "Manager hat"
 * and "Managing" → manage, "Switching all day" → both. Used to put the hats on quiz tiles and
 * phone buttons; other options get no picture.
 */
export function hatOf(label: string): HatKind | 'both' | undefined {
  const text = label.toLowerCase()
  if (/\bswitch/.test(text) || /\bboth\b/.test(text)) return 'both'
  if (/\blead(er|ing)?\b/.test(text)) return 'lead'
  if (/\bmanag(er|ing|e)\b/.test(text)) return 'manage'
  return undefined
}
