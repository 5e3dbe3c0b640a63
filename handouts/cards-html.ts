// The cards for the table activity, cut from A4 or Letter sheets along dashed lines. One sheet per
// table: six copies of the table's moment, one for each person to read in the silent minute, and
// the table's card with room to write its call (the hat first, both hats' cases, the first
// sentence, the switch). Then a sheet of four cards for people's own moments, with the same
// questions: one card per person. Lines are 8 mm apart, enough for handwriting.
import { escapeHtml as esc } from './markdown.ts'
import { type Paper, pageCss, stylesheet } from './render.ts'
import type { Moment } from './slide-content.ts'

/** Copies of the table's moment on its sheet: one for each person at a table of six. */
export const COPIES_PER_TABLE = 6
/** Own-moment cards on a sheet (four, about A6 each). */
export const OWN_CARDS_PER_PAGE = 4

export interface CardsInput {
  title: string
  moments: Moment[]
  paper: Paper
}

const rules = (count: number) => `<div class="rules">${'<div class="rule"></div>'.repeat(count)}</div>`

const field = (label: string, count: number, className = '') =>
  `<div class="field${className ? ` ${className}` : ''}"><p class="label">${label}</p>${rules(count)}</div>`

/** A field whose label starts its first line, the writing running on after it. */
const inlineField = (label: string, count: number) =>
  `<div class="field inline"><div class="rules"><div class="rule"><span class="label">${label}</span></div>${'<div class="rule"></div>'.repeat(count - 1)}</div></div>`

const FIRST = `<p class="first">First: <span class="tick"></span> <span class="lead-text">Leader hat</span> <span class="tick"></span> <span class="manage-text">Manager hat</span></p>`

/** One person's copy of the table's moment, to read in silence. */
function slip(moment: Moment): string {
  return `<article class="slip">
  <header class="card-top"><span class="num">${moment.number}</span><span>Table ${moment.number}</span>${moment.who ? `<span class="who">${esc(moment.who)}</span>` : ''}</header>
  <h2>${esc(moment.title)}</h2>
  <p class="moment-text">${esc(moment.text)}</p>
</article>`
}

/** The table's card: where whoever holds it writes the table's call. */
function tableCard(moment: Moment): string {
  return `<article class="call-card">
  <header class="card-top"><span class="num">${moment.number}</span><span>Table ${moment.number} · your table’s call</span><span class="scribe">Whoever holds this card writes</span></header>
  <h2>${esc(moment.title)}</h2>
  ${FIRST}
  <div class="cases">
    ${field('<span class="lead-text">The leader hat’s case:</span>', 4)}
    ${field('<span class="manage-text">The manager hat’s case:</span>', 4)}
  </div>
  ${field('The first sentence we would say:', 3)}
  ${field('We switch hats when…', 2)}
</article>`
}

/** A card for a person's own moment, with the same questions. */
function ownCard(): string {
  return `<article class="own-card">
  <header class="card-top"><span class="num">✎</span><span>Your own moment</span></header>
  ${field('Who is there, what is at stake, what is due. No names.', 3, 'moment')}
  ${FIRST}
  ${inlineField('<span class="lead-text">The leader hat’s case:</span>', 2)}
  ${inlineField('<span class="manage-text">The manager hat’s case:</span>', 2)}
  ${inlineField('The first sentence I would say:', 2)}
  ${inlineField('I switch hats when…', 2)}
</article>`
}

function sheet(note: string, body: string, className: string): string {
  return `<section class="sheet cards-sheet ${className}">
  <header class="running"><span>${esc(note)}</span><span>✂ Cut along the dashed lines</span></header>
  ${body}
</section>`
}

export function cardsHtml(input: CardsInput): string {
  const tables = input.moments.map((moment) =>
    sheet(
      `${input.title} · Table ${moment.number}: six copies of its moment to read, and the table’s card`,
      `<div class="slips">${slip(moment).repeat(COPIES_PER_TABLE)}</div>${tableCard(moment)}`,
      'table-sheet',
    ),
  )
  const own = sheet(
    `Own-moment cards, one per person: print this page once for every ${OWN_CARDS_PER_PAGE} people`,
    `<div class="own-grid">${ownCard().repeat(OWN_CARDS_PER_PAGE)}</div>`,
    'own-sheet',
  )
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(input.title)} · Scenario cards</title>
<style>${pageCss(input.paper)}
${stylesheet('cards')}</style></head>
<body>${[...tables, own].join('\n')}</body></html>`
}
