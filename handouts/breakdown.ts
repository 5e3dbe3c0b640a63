// The article's "Management vs. Leadership Breakdown" table, read from the breakdown slide so the
// handout always says what the deck says. If the slide no longer holds a table, the article's own
// wording is used.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { SLIDES_DIR } from '../server/settings.ts'

export interface BreakdownRow {
  area: string
  leadership: string
  management: string
}

export const BREAKDOWN_SLIDE = join(SLIDES_DIR, 'sections', '07-breakdown.md')

/** The table as the article prints it (used only when the slide has no table). */
export const ARTICLE_BREAKDOWN: BreakdownRow[] = [
  { area: 'Purpose', leadership: 'Inspire and align vision', management: 'Execute and optimize systems' },
  { area: 'Focus', leadership: 'The big picture', management: 'The daily plan' },
  { area: 'Style', leadership: 'Transformational', management: 'Operational' },
  { area: 'Motivation Tool', leadership: 'Purpose and trust', management: 'Deadlines and accountability' },
  {
    area: 'Relationship Dynamic',
    leadership: 'Influence without authority',
    management: 'Authority with accountability',
  },
  { area: 'Communication Style', leadership: 'Vision-casting, empowering', management: 'Instructional, clarifying' },
  { area: 'Emotional Role', leadership: 'Inspire through uncertainty', management: 'Stabilize through structure' },
]

const cells = (line: string) =>
  line
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((cell) =>
      cell
        .replace(/<[^>]*>/g, '')
        .replace(/[*_`]+/g, '')
        .trim(),
    )

/** Rows of the first three-column Markdown table in the text (header and separator skipped). */
export function parseBreakdown(markdown: string): BreakdownRow[] {
  const lines = markdown.split(/\r?\n/)
  const start = lines.findIndex((line, i) => /^\s*\|/.test(line) && /^\s*\|?\s*:?-{3,}/.test(lines[i + 1] ?? ''))
  if (start < 0) return []
  const rows: BreakdownRow[] = []
  for (const line of lines.slice(start + 2)) {
    if (!/^\s*\|/.test(line)) break
    const [area, leadership, management] = cells(line)
    if (area && leadership && management) rows.push({ area, leadership, management })
  }
  return rows
}

export function loadBreakdown(file = BREAKDOWN_SLIDE): BreakdownRow[] {
  const rows = existsSync(file) ? parseBreakdown(readFileSync(file, 'utf8')) : []
  return rows.length >= 3 ? rows : ARTICLE_BREAKDOWN
}
