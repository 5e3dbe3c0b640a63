// A ranking in "what the room said": the room's order by Borda points, each option with its
// points, its average place and the spread (how many put it at each place). The order comes
// from server/answers.ts (roomOrder), the same reader the slide uses.
import { roomOrder } from '../server/answers.ts'
import type { PollResult } from '../server/results.ts'
import { escapeHtml as esc } from './markdown.ts'

const ordinal = (n: number) => {
  const tens = n % 100
  if (tens >= 11 && tens <= 13) return `${n}th`
  return `${n}${{ 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] ?? 'th'}`
}

export function rankingChart(result: PollResult): string {
  const ranked = roomOrder(result.options, result.counts)
  const n = result.options.length
  const top = Math.max(1, ...ranked.map((option) => option.points))
  const busiest = Math.max(1, ...ranked.flatMap((option) => option.byPlace))
  const places = Array.from({ length: n }, (_, i) => `<th class="place-head" scope="col">${ordinal(i + 1)}</th>`)
  const rows = ranked.map((option, i) => {
    const width = (option.points / top) * 100
    // Each cell's ink grows with how many people put the option at that place.
    const spread = option.byPlace.map((count) => {
      const ink = count ? 0.12 + 0.88 * (count / busiest) : 0
      const tone = count === 0 ? ' none' : ink < 0.5 ? ' pale' : ''
      return `<td class="spread-cell${tone}" style="--ink:${ink.toFixed(2)}">${count || ''}</td>`
    })
    const average = option.averagePlace === null ? '–' : option.averagePlace.toFixed(1)
    return `<tr class="${i === 0 ? 'top' : ''}">
      <td class="rank">${i + 1}</td>
      <th scope="row" class="rank-label">${esc(option.label)}</th>
      <td class="points"><span class="points-bar" style="width:${width.toFixed(1)}%"></span><strong>${option.points}</strong></td>
      <td class="average">${average}</td>
      ${spread.join('')}
    </tr>`
  })
  return `<table class="ranking" style="--places:${n}">
    <thead><tr><th></th><th scope="col">The room’s order</th><th scope="col">Borda points</th><th scope="col">Average place</th>${places.join('')}</tr></thead>
    <tbody>${rows.join('')}</tbody>
  </table>
  <p class="result-note">Borda points: a first place earns ${n - 1}, a last place none, added over everyone who ranked. The spread shows how many people put each option at each place, first to ${ordinal(n)}.</p>`
}
