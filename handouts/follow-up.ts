// The follow-up messages (Markdown): a thank-you the day after with the scenario key and the
// article's further reading, and nudges at one and four weeks. The wording lives in
// follow-up.md; this fills in its {{placeholders}}. `{{link_<questionnaire>}}` (dashes as
// underscores: `{{link_pulse_1w}}`) is the link to send for that questionnaire: known when the
// messages are printed for a session, otherwise a note saying where to get it.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { KitError } from '../server/errors.ts'
import type { KeyEntry } from './scenario-key.ts'

export const FOLLOW_UP_TEMPLATE = join(import.meta.dirname, 'follow-up.md')
/** The messages for a deck that is not the workshop: no article, no scenario key. */
export const SESSION_FOLLOW_UP = join(import.meta.dirname, 'follow-up-session.md')

export class TemplateError extends KitError {}

export interface FollowUpInput {
  title: string
  format: string
  date: string
  goals: string[]
  key: KeyEntry[]
  furtherReading: string[]
  /** The link to send for each questionnaire, by id, when the messages are for a known session. */
  links?: Record<string, string>
}

const bullets = (items: string[]) => items.map((item) => `- ${item}`).join('\n')

function keyMarkdown(key: KeyEntry[]): string {
  if (!key.length) return ''
  const entries = key.map((entry) => `**${entry.label}.** ${entry.moment}\n\n> ${entry.suggestion}`)
  return [
    'The moments we worked on, each with one suggested reading. They are suggestions, not the answers: the article behind the session has no such scenarios; its point is to switch by moment.',
    ...entries,
  ].join('\n\n')
}

export function followUpMarkdown(input: FollowUpInput, template = readFileSync(FOLLOW_UP_TEMPLATE, 'utf8')): string {
  const values: Record<string, string> = {
    title: input.title,
    format: input.format,
    date: input.date,
    goals: bullets(input.goals),
    scenario_key: keyMarkdown(input.key),
    further_reading: bullets(input.furtherReading),
  }
  const filled = template.replace(/\{\{(\w+)\}\}/g, (placeholder, name: string) => {
    const linked = /^link_(\w+)$/.exec(name)?.[1]?.replace(/_/g, '-')
    if (linked) {
      return (
        input.links?.[linked] ??
        `[the link for “${linked}”: \`npm run questionnaire -- list\` prints it, as does presenter view under the slide that lists the questionnaires]`
      )
    }
    const value = values[name]
    if (value === undefined) {
      throw new TemplateError(
        `${FOLLOW_UP_TEMPLATE} has an unknown placeholder ${placeholder}: use one of ${Object.keys(values).join(', ')}.`,
      )
    }
    return value
  })
  return `${filled.replace(/\n{3,}/g, '\n\n').trim()}\n`
}
