// A 2×2 in "what the room said": a small scatter (SVG, so it prints sharp) with every person's
// placement and each item's average, the quarters named, and a legend with the averages and the
// quarter each one falls in. Points come from server/answers.ts (placedItems), as on the slide.
// With one item that everyone places for themselves, there is no average (a point nobody placed):
// the legend says how much of the room is in each quarter instead.
import { quarterShares } from '../components/matrixMarks.ts'
import { type PlacedItem, placedItems } from '../server/answers.ts'
import { LIMITS } from '../server/limits.ts'
import type { Axis, PollDefinition } from '../server/poll-definition.ts'
import type { PollResult } from '../server/results.ts'
import { escapeHtml as esc } from './markdown.ts'

/** One colour per item (at most LIMITS.matrixItems): the hats' teal and ochre first. */
const COLOURS = ['#17656d', '#955810', '#4f5d68', '#7a3f6e', '#3f6b2a', '#9b3d2f']

// The plot in SVG units: a square with room for the axes' words on the left and below.
const PLOT = { left: 34, top: 8, size: 200 }
const WIDTH = PLOT.left + PLOT.size + 8
const HEIGHT = PLOT.top + PLOT.size + 30

const steps = LIMITS.matrixSteps
/** Dots at 0 and at the top of a scale stay inside the frame. */
const INSET = 7
const px = (x: number) => PLOT.left + INSET + (x / steps) * (PLOT.size - 2 * INSET)
const py = (y: number) => PLOT.top + PLOT.size - INSET - (y / steps) * (PLOT.size - 2 * INSET)

/** A quarter's name on two lines: after its colon ("Leader hat:" / "set direction"), else mid-way. */
function twoLines(name: string): [string, string] {
  const colon = name.indexOf(':')
  if (colon > 0) return [name.slice(0, colon + 1), name.slice(colon + 1).trim()]
  if (name.length < 20) return [name, '']
  const middle = name.length / 2
  const spaces = [...name.matchAll(/ /g)].map((match) => match.index ?? 0)
  const cut = spaces.sort((a, b) => Math.abs(a - middle) - Math.abs(b - middle))[0]
  return cut === undefined ? [name, ''] : [name.slice(0, cut), name.slice(cut + 1)]
}

function quarterLabels(quadrants: string[] | undefined): string {
  if (!quadrants) return ''
  const inset = 6
  const spots = [
    { x: PLOT.left + inset, y: PLOT.top + 12, anchor: 'start' },
    { x: PLOT.left + PLOT.size - inset, y: PLOT.top + 12, anchor: 'end' },
    { x: PLOT.left + inset, y: PLOT.top + PLOT.size - 15, anchor: 'start' },
    { x: PLOT.left + PLOT.size - inset, y: PLOT.top + PLOT.size - 15, anchor: 'end' },
  ]
  return quadrants
    .map((name, i) => {
      const spot = spots[i]
      if (!spot || !name) return ''
      const [first, second] = twoLines(name)
      const tone = /\blead/i.test(name) ? ' lead' : /\bmanag/i.test(name) ? ' manage' : ''
      return `<text class="quarter${tone}" x="${spot.x}" y="${spot.y}" text-anchor="${spot.anchor}"><tspan>${esc(first)}</tspan><tspan x="${spot.x}" dy="8.5">${esc(second)}</tspan></text>`
    })
    .join('')
}

function axes(x: Axis | undefined, y: Axis | undefined): string {
  const { left, top, size } = PLOT
  const mid = top + size / 2
  const grid = `<rect class="frame" x="${left}" y="${top}" width="${size}" height="${size}"/>
    <line class="midline" x1="${left + size / 2}" y1="${top}" x2="${left + size / 2}" y2="${top + size}"/>
    <line class="midline" x1="${left}" y1="${mid}" x2="${left + size}" y2="${mid}"/>`
  const below = top + size + 10
  const xWords = x
    ? `<text class="end" x="${left}" y="${below}">${esc(x.low)}</text>
    <text class="end" x="${left + size}" y="${below}" text-anchor="end">${esc(x.high)}</text>
    <text class="axis" x="${left + size / 2}" y="${below + 12}" text-anchor="middle">${esc(x.label)} →</text>`
    : ''
  const yWords = y
    ? `<text class="end" transform="translate(${left - 6} ${top + size}) rotate(-90)">${esc(y.low)}</text>
    <text class="end" transform="translate(${left - 6} ${top}) rotate(-90)" text-anchor="end">${esc(y.high)}</text>
    <text class="axis" transform="translate(${left - 18} ${mid}) rotate(-90)" text-anchor="middle">${esc(y.label)} →</text>`
    : ''
  return grid + xWords + yWords
}

/** People's dots, then the quarters' names over them (with a halo), then the averages on top. */
function dots(items: PlacedItem[], quadrants: string[] | undefined): string {
  const people = items.flatMap((item, i) => {
    const colour = COLOURS[i % COLOURS.length]
    // Items placed on the same spot sit side by side rather than on top of each other.
    const angle = (i / items.length) * 2 * Math.PI
    const [dx, dy] = items.length > 1 ? [Math.cos(angle) * 2.4, Math.sin(angle) * 2.4] : [0, 0]
    return item.points.map(
      (point) =>
        `<circle class="person" cx="${(px(point.x) + dx).toFixed(1)}" cy="${(py(point.y) + dy).toFixed(1)}" r="${(2.4 + 1.4 * Math.sqrt(point.count - 1)).toFixed(1)}" fill="${colour}"/>`,
    )
  })
  const averages = items.flatMap((item, i) => {
    if (!item.average || items.length === 1) return []
    const [x, y] = [px(item.average.x), py(item.average.y)]
    return [
      `<g class="average"><circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="7.5" fill="${COLOURS[i % COLOURS.length]}"/><text x="${x.toFixed(1)}" y="${(y + 3).toFixed(1)}" text-anchor="middle">${i + 1}</text></g>`,
    ]
  })
  return people.join('') + quarterLabels(quadrants) + averages.join('')
}

/** The quarter an average falls in, by the names the author gave (none on the middle lines). */
function quarterOf(average: { x: number; y: number }, quadrants: string[] | undefined): string {
  const half = steps / 2
  if (!quadrants || average.x === half || average.y === half) return ''
  const index = (average.y > half ? 0 : 2) + (average.x > half ? 1 : 0)
  return quadrants[index] ?? ''
}

/** One item placed by everyone: each quarter with its share of the room, by its name or its axes' ends. */
function sharesLegend(item: PlacedItem, poll: PollDefinition | undefined): string {
  const shares = quarterShares([item], steps)
  const { x, y } = poll ?? {}
  const corner = (i: number) =>
    poll?.quadrants?.[i] ??
    (x && y
      ? `${i < 2 ? y.high : y.low} · ${i % 2 ? x.high : x.low}`
      : ['Top left', 'Top right', 'Bottom left', 'Bottom right'][i])
  const order = [1, 0, 3, 2] // top right first: where both hats meet on most 2×2s
  const rows = order.map(
    (i) =>
      `<li><span class="key share">${Math.round((shares[i] ?? 0) * 100)}%</span><div><strong>${esc(corner(i) ?? '')}</strong></div></li>`,
  )
  return `<li class="legend-head"><div><strong>${esc(item.label)}</strong><span class="where">${item.people} ${item.people === 1 ? 'person' : 'people'} placed theirs</span></div></li>${rows.join('')}`
}

export function matrixChart(result: PollResult, poll: PollDefinition | undefined): string {
  const items = placedItems(result.options, result.counts)
  const single = items.length === 1 && items[0] ? items[0] : undefined
  const legend = items.map((item, i) => {
    const where = item.average ? `across ${item.average.x.toFixed(1)} · up ${item.average.y.toFixed(1)}` : 'not placed'
    const quarter = item.average ? quarterOf(item.average, poll?.quadrants) : ''
    return `<li><span class="key" style="background:${COLOURS[i % COLOURS.length]}">${i + 1}</span><div><strong>${esc(item.label)}</strong><span class="where">${where} · ${item.people} ${item.people === 1 ? 'person' : 'people'}</span>${quarter ? `<span class="quarter-name">${esc(quarter)}</span>` : ''}</div></li>`
  })
  const { x, y } = poll ?? {}
  const scales =
    x && y
      ? `Across: ${x.label} (0 ${x.low}, ${steps} ${x.high}). Up: ${y.label} (0 ${y.low}, ${steps} ${y.high}). `
      : ''
  const note = single
    ? 'Each dot: one person’s answer (larger where several chose the same spot).'
    : 'Small dots: each person’s placement (larger where several chose the same spot). Numbered discs: the room’s average for each item.'
  return `<div class="matrix">
    <svg class="matrix-plot" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${esc(result.question)}">
      ${axes(x, y)}${dots(items, poll?.quadrants)}
    </svg>
    <ol class="matrix-legend">${single ? sharesLegend(single, poll) : legend.join('')}</ol>
  </div>
  <p class="result-note">${esc(scales)}${note}</p>`
}
