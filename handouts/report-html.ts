// The sponsor's report as a printed page or two: what the figures in report.ts say, laid out
// for someone who was not in the room. Every figure under MIN_GROUP people reads "fewer than 5"
// instead; attendee text is printed as text, never as markup.
import { HATS_MARK } from './handout-html.ts'
import { escapeHtml as esc } from './markdown.ts'
import { type Paper, pageCss, stylesheet } from './render.ts'
import { type Count, MIN_GROUP, type ReportFigures } from './report.ts'

export interface ReportInput {
  title: string
  figures: ReportFigures
  /** What the facilitator adds, in a few sentences (--note). */
  note?: string
  /** The journey's scale, e.g. 0 to 10. */
  range: { min: number; max: number }
  date: string
  paper: Paper
}

const FEW = `fewer than ${MIN_GROUP}`
const people = (n: Count, one = 'person', many = 'people') =>
  n === null ? `${FEW} ${many}` : `${n} ${n === 1 ? one : many}`
const figure = (value: number | null, digits = 1) => (value === null ? '–' : value.toFixed(digits))
const signed = (value: number) => `${value > 0 ? '+' : value < 0 ? '−' : '±'}${Math.abs(value).toFixed(1)}`

function tile(label: string, value: string, detail: string): string {
  return `<div class="tile"><p class="tile-label">${esc(label)}</p><p class="tile-value">${esc(value)}</p><p class="tile-detail">${esc(detail)}</p></div>`
}

/** The before / end / pulses chart: each stage's average, and how many answered. */
function journeyChart(figures: ReportFigures, range: ReportInput['range']): string {
  const journey = figures.journey
  if (!journey) return ''
  const width = 170
  const height = 58
  const left = 12
  const top = 6
  const bottom = 14
  // Room at both ends for a stage's label ("+4 weeks", "fewer than 5 answered") under its dot.
  const step = (width - left - 30) / Math.max(1, journey.stages.length - 1)
  const x = (i: number) => left + 12 + i * step
  const y = (value: number) => top + (1 - (value - range.min) / (range.max - range.min)) * (height - top - bottom)
  const grid = [range.min, (range.min + range.max) / 2, range.max]
    .map(
      (value) =>
        `<line x1="${left}" x2="${width}" y1="${y(value)}" y2="${y(value)}" class="grid"/><text x="${left - 2}" y="${y(value) + 1.2}" class="axis" text-anchor="end">${value}</text>`,
    )
    .join('')
  const shown = journey.stages.map((stage, i) => ({ stage, i })).filter(({ stage }) => stage.mean !== null)
  const line = shown.map(({ stage, i }) => `${x(i)},${y(stage.mean as number)}`).join(' ')
  const marks = journey.stages
    .map((stage, i) => {
      const label = `<text x="${x(i)}" y="${height - 7}" class="stage" text-anchor="middle">${esc(stage.label)}</text>`
      const n = `<text x="${x(i)}" y="${height - 2.5}" class="axis" text-anchor="middle">${stage.mean === null ? esc(`${FEW} answered`) : `${stage.n} answered`}</text>`
      if (stage.mean === null) return label + n
      return `${label}${n}<circle cx="${x(i)}" cy="${y(stage.mean)}" r="1.8" class="dot"/><text x="${x(i)}" y="${y(stage.mean) - 3.2}" class="value" text-anchor="middle">${figure(stage.mean)}</text>`
    })
    .join('')
  const changes = journey.stages
    .slice(1)
    .filter((stage) => stage.sinceFirst.change !== null)
    .map(
      (stage) =>
        `<li><strong>${esc(stage.label)}:</strong> ${signed(stage.sinceFirst.change as number)} since ${esc(journey.stages[0]?.label ?? 'the start')}, for the ${stage.sinceFirst.n} people who answered both</li>`,
    )
  return `<section class="block keep">
  <h2 class="section-title">${esc(journey.label)}</h2>
  <svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(journey.label)}: the average at each stage">${grid}${line ? `<polyline points="${line}" class="trend"/>` : ''}${marks}</svg>
  <p class="muted small">The same scale at every stage; a person’s answers are linked by the random code on their phone, never by a name.</p>
  ${changes.length ? `<ul class="changes">${changes.join('')}</ul>` : `<p class="muted small">The change for the same people shows once ${MIN_GROUP} or more have answered at two stages.</p>`}
</section>`
}

function reactionBlock(figures: ReportFigures): string {
  const { reaction } = figures
  if (!reaction) return ''
  const most = Math.max(1, ...reaction.options.map((option) => option.count))
  const bars = reaction.options
    .map(
      (option) =>
        `<div class="bar-row"><span>${esc(option.label)}</span><span class="bar"><span style="width:${(option.count / most) * 100}%"></span></span><span class="count">${option.count}</span></div>`,
    )
    .join('')
  const summary =
    reaction.n === null
      ? `${FEW} people answered: no figure is shown.`
      : `${reaction.n} people answered${reaction.mean !== null ? `; on average ${figure(reaction.mean)}` : ''}.`
  return `<section class="block keep">
  <h2 class="section-title">How they rated it</h2>
  <p class="question">${esc(reaction.question)}</p>
  <p class="muted">${esc(summary)}</p>
  ${bars ? `<div class="bars">${bars}</div>` : ''}
</section>`
}

function commitmentsBlock(figures: ReportFigures): string {
  const { commitments } = figures
  if (!commitments) return ''
  const rows = commitments.kept
    .map(
      (kept) =>
        `<tr><th>${esc(kept.label)}</th><td>${
          kept.answered === null
            ? `${FEW} answered`
            : `${kept.yes} of ${kept.answered} who answered took their step, at least in part (${Math.round(((kept.yes ?? 0) / kept.answered) * 100)} %)`
        }</td></tr>`,
    )
    .join('')
  return `<section class="block keep">
  <h2 class="section-title">Commitments, made and kept</h2>
  <table class="facts"><tbody>
    <tr><th>In the session</th><td>${esc(people(commitments.made))} wrote down their own action steps (kept private on their phones)</td></tr>
    ${rows}
  </tbody></table>
</section>`
}

function voicesBlock(figures: ReportFigures): string {
  const { voices } = figures
  if (!voices.quotes.length) return ''
  const themes = voices.themes.length
    ? `<p class="themes">${voices.themes.map((word) => `<span class="chip">${esc(word)}</span>`).join('')}</p>`
    : '<p class="muted">No word came back often enough to call it a theme.</p>'
  return `<section class="block keep">
  <h2 class="section-title">What the room asked and said</h2>
  <p class="muted">Questions from ${esc(people(voices.questions))} and one-liners from ${esc(people(voices.oneLiners))}, as the whole room read them on the screen. Themes: the words that came back.</p>
  ${themes}
  <ul class="quotes">${voices.quotes.map((text) => `<li>“${esc(text)}”</li>`).join('')}</ul>
</section>`
}

export function reportHtml(input: ReportInput): string {
  const { figures } = input
  const first = figures.journey?.stages[0]
  const latest = figures.journey?.stages.filter((stage) => stage.mean !== null).at(-1)
  const prework = figures.questionnaires[0]
  const lastKept = figures.commitments?.kept.filter((kept) => kept.answered !== null).at(-1)
  const tiles = [
    tile('Took part', figures.attended === null ? FEW : String(figures.attended), 'people in the session'),
    ...(prework
      ? [
          tile(
            prework.title.split(':')[0] ?? 'Pre-work',
            prework.finished === null ? FEW : String(prework.finished),
            'finished it before the session',
          ),
        ]
      : []),
    ...(first && latest && first !== latest && first.mean !== null
      ? [
          tile(
            `${first.label} → ${latest.label}`,
            `${figure(first.mean)} → ${figure(latest.mean)}`,
            input.figures.journey?.label ?? '',
          ),
        ]
      : []),
    ...(lastKept
      ? [tile(`Steps kept, ${lastKept.label}`, `${lastKept.yes} of ${lastKept.answered}`, 'of those who answered')]
      : []),
  ]
  const attendance = figures.questionnaires
    .map(
      (questionnaire) =>
        `<tr><th>${esc(questionnaire.title)}</th><td>${questionnaire.started === null ? `${FEW} people` : `${questionnaire.started} started, ${questionnaire.finished ?? FEW} finished`}</td></tr>`,
    )
    .join('')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(input.title)} · Report for the sponsor</title>
<style>${pageCss(input.paper)}
${stylesheet('report')}</style></head>
<body>
<div class="flow" data-title="${esc(input.title)} · ${esc(figures.session.name)} · report for the sponsor">
  <header class="flow-intro report-head">
    <div class="brand">${HATS_MARK}<span>Report for the sponsor</span></div>
    <h1 class="page-title">${esc(input.title)}</h1>
    <p class="lede">${esc(figures.session.name)} · ${esc(input.date)}. What changed, from the pre-work to four weeks after the session: aggregated and anonymous.</p>
  </header>
  ${input.note ? `<section class="block note"><p class="kicker">From the facilitator</p><p>${esc(input.note)}</p></section>` : ''}
  <section class="block tiles">${tiles.join('')}</section>
  ${attendance ? `<section class="block keep"><h2 class="section-title">Before and after the room</h2><table class="facts"><tbody><tr><th>The session</th><td>${esc(people(figures.attended))} answered a poll or wrote a question</td></tr>${attendance}</tbody></table></section>` : ''}
  ${journeyChart(figures, input.range)}
  ${reactionBlock(figures)}
  ${commitmentsBlock(figures)}
  ${voicesBlock(figures)}
  <section class="block how"><p><strong>How to read this report.</strong> Every figure counts people, never names: each attendee is a random code made on their own phone. A group of fewer than ${MIN_GROUP} people gets no figure. Words quoted are only those the whole room could read on the screen; private answers (action steps, sentences written for the facilitator) are never printed.</p></section>
</div>
</body></html>`
}
