// The cards for the table activity: one card per moment, six to a page, then a page of blank
// cards for the room's own moments, with dashed lines to cut along. Every card leaves room for the
// table's call: the hat first, both hats' cases, the first sentence, and when to switch.
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

/** What the table writes on every card, printed or blank. */
const CALL = `<div class="card-questions">
    <p class="first">First: <span class="tick"></span> <span class="lead-text">Leader hat</span> <span class="tick"></span> <span class="manage-text">Manager hat</span></p>
    <p><span class="lead-text">The leader hat’s case:</span></p><div class="rule"></div>
    <p><span class="manage-text">The manager hat’s case:</span></p><div class="rule"></div>
    <p>The first sentence we would say:</p><div class="rule"></div>
    <p>We switch hats when…</p><div class="rule"></div>
  </div>`

function card(moment: Moment, total: number): string {
  return `<article class="scenario-card">
  <header class="card-top"><span class="num">${moment.number}</span><span>Moment ${moment.number} of ${total}</span>${HATS_MARK}</header>
  ${moment.who ? `<p class="who">${esc(moment.who)}</p>` : ''}
  <h2>${esc(moment.title)}</h2>
  <p class="moment-text">${esc(moment.text)}</p>
  ${CALL}
</article>`
}

function blankCard(): string {
  return `<article class="scenario-card blank">
  <header class="card-top"><span class="num">✎</span><span>Your own moment</span>${HATS_MARK}</header>
  <p class="who">Who is there, what is at stake, what is due. No names.</p>
  <div class="moment-lines"><div class="rule"></div><div class="rule"></div><div class="rule"></div></div>
  ${CALL}
</article>`
}

function sheet(title: string, note: string, cards: string[]): string {
  return `<section class="sheet cards-sheet">
  <header class="running"><span>${esc(title)} · ${esc(note)}</span><span>✂ Cut along the dashed lines</span></header>
  <div class="card-grid">${cards.join('')}</div>
</section>`
}

export function cardsHtml(input: CardsInput): string {
  const { moments } = input
  const pages: string[] = []
  for (let first = 0; first < moments.length; first += CARDS_PER_PAGE) {
    const cards = moments.slice(first, first + CARDS_PER_PAGE).map((moment) => card(moment, moments.length))
    pages.push(sheet(input.title, 'moments written for this workshop · one set per table', cards))
  }
  const blanks = Array.from({ length: CARDS_PER_PAGE }, blankCard)
  pages.push(sheet(input.title, 'blank cards for your own moments · one sheet per table', blanks))
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(input.title)} · Scenario cards</title>
<style>${pageCss(input.paper)}
${stylesheet('cards')}</style></head>
<body>${pages.join('\n')}</body></html>`
}
