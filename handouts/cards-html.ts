// The scenario cards for the table activity: one card per moment, six to a page, with dashed
// lines to cut along. Tables write their call on the card, so each card leaves room for it.
import { HATS_MARK } from './handout-html.ts'
import { escapeHtml as esc } from './markdown.ts'
import { type Paper, pageCss, stylesheet } from './render.ts'
import type { Moment } from './slide-content.ts'

export const CARDS_PER_PAGE = 6

export interface CardsInput {
  title: string
  moments: Moment[]
  paper: Paper
}

function card(moment: Moment, total: number): string {
  return `<article class="scenario-card">
  <header class="card-top"><span class="num">${moment.number}</span><span>Moment ${moment.number} of ${total}</span>${HATS_MARK}</header>
  <h2>${esc(moment.title)}</h2>
  <p class="moment-text">${esc(moment.text)}</p>
  <div class="card-questions">
    <p class="first">First: <span class="tick"></span> <span class="lead-text">Leader hat</span> <span class="tick"></span> <span class="manage-text">Manager hat</span></p>
    <p>In the first ten minutes we would…</p><div class="rule"></div><div class="rule"></div>
    <p>We switch hats when…</p><div class="rule"></div>
  </div>
</article>`
}

export function cardsHtml(input: CardsInput): string {
  const { moments } = input
  const pages: string[] = []
  for (let first = 0; first < moments.length; first += CARDS_PER_PAGE) {
    const cards = moments.slice(first, first + CARDS_PER_PAGE).map((moment) => card(moment, moments.length))
    pages.push(`<section class="sheet cards-sheet">
  <header class="running"><span>${esc(input.title)} · scenario cards · one set per table</span><span>✂ Cut along the dashed lines</span></header>
  <div class="card-grid">${cards.join('')}</div>
</section>`)
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(input.title)} · Scenario cards</title>
<style>${pageCss(input.paper)}
${stylesheet('cards')}</style></head>
<body>${pages.join('\n')}</body></html>`
}
