// The participant handout of a deck that is not the workshop (a deck made with `npm run new`, the
// retrospective): no hats, no article. A cover with the deck's title, format and date and what is
// inside; then, printed after a session, what the room said; a page for the person's own notes
// and next steps; and the slides three to a page when asked for. The workshop's own handout
// (handout-html.ts) adds its breakdown and worksheet to the same results and slides.
import type { DeckInfo } from './deck.ts'
import { type HandoutInput, lines, resultsFlow, slidePages } from './handout-html.ts'
import { escapeHtml as esc } from './markdown.ts'
import { pageCss, stylesheet } from './render.ts'

export type SessionHandoutInput = Omit<HandoutInput, 'breakdown' | 'checkRows' | 'furtherReading' | 'actionPrompts'>

const OWN_STYLE = `
.session-cover { display: flex; flex-direction: column; gap: 9mm; padding-top: 14mm; }
.session-cover h1 { font-size: 30pt; line-height: 1.05; margin: 0; }
.session-cover .details { display: grid; grid-template-columns: 1fr 1fr; gap: 4mm 10mm; margin: 0; }
.session-cover .details dt { font-size: 8pt; letter-spacing: .08em; text-transform: uppercase; color: #4f5c66; }
.session-cover .details dd { margin: 1mm 0 0; min-height: 7mm; border-bottom: 0.3mm solid #b9b1a3; }
.session-cover ol.inside { margin: 0; padding-left: 5mm; }
.notes-sheet .write { height: 0; margin-top: 9mm; border-bottom: 0.25mm solid var(--rule); }
.notes-sheet ol.steps { margin: 0; padding-left: 6mm; }
.notes-sheet ol.steps li { height: 9mm; border-bottom: 0.25mm solid var(--rule); }
`

function document(input: SessionHandoutInput, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(input.deck.title)} · Participant handout</title>
<style>${pageCss(input.paper, { slideRatio: input.slideRatio })}
${stylesheet('handout')}
${OWN_STYLE}</style></head>
<body class="${input.paper.name === 'Letter' ? 'letter' : 'a4'}">${body}</body></html>`
}

function inside(input: SessionHandoutInput): string[] {
  return [
    ...(input.results ? ['What the room said: the live poll results'] : []),
    'Your notes and your next steps',
    ...(input.withSlides ? ['The slides, with space for your notes'] : []),
  ]
}

function cover(input: SessionHandoutInput): string {
  const { deck } = input
  const session = input.session ? esc(input.session.name) : ''
  return `<section class="sheet session-cover">
  <p class="kicker">${esc(deck.kind ?? 'Session')} · participant handout</p>
  <h1>${esc(deck.title)}</h1>
  <dl class="details">
    <div><dt>Date</dt><dd>${esc(input.date)}</dd></div>
    <div><dt>Session</dt><dd>${session}</dd></div>
    <div><dt>Format</dt><dd>${esc(input.format)}</dd></div>
    <div><dt>Your name</dt><dd></dd></div>
  </dl>
  <div><h2 class="section-title">Inside</h2><ol class="inside">${inside(input)
    .map((part) => `<li>${esc(part)}</li>`)
    .join('')}</ol></div>
</section>`
}

function notesPage(deck: DeckInfo): string {
  return `<section class="sheet notes-sheet" data-section="notes">
  <header class="running"><span>${esc(deck.title)}</span><span>Your notes</span></header>
  <h2 class="page-title">Your notes and your next steps</h2>
  <p class="lede">What you want to remember, and up to three next steps, each with a date.</p>
  <div>${lines(11, 'write')}</div>
  <h2 class="section-title">Next steps, each with a date</h2>
  <ol class="steps"><li></li><li></li><li></li></ol>
</section>`
}

export function sessionHandoutHtml(input: SessionHandoutInput): string {
  return document(
    input,
    [cover(input), resultsFlow(input), notesPage(input.deck), input.withSlides ? slidePages(input.deck) : ''].join(
      '\n',
    ),
  )
}
