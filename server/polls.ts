// Polls are declared once, in the frontmatter (`poll:`) of the slide that shows them. This reads
// every deck in the slides folder with Slidev's own parser (so `src:` imports resolve exactly as
// in the deck) and validates each declaration, naming the file and the poll when one is wrong.
import { existsSync, readdirSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import { parse } from '@slidev/parser'
import { load } from '@slidev/parser/fs'
import { parse as parseYaml } from 'yaml'
import { stripQuizAnswers } from '../slides/setup/preparser.ts'
import { KitError } from './errors.ts'
import { type PollDefinition, PollDefinitionSchema } from './poll-definition.ts'
import { type FollowUp, FollowUpError, NO_FOLLOW_UP, parseFollowUp } from './questionnaire-definition.ts'

export class PollDefinitionError extends KitError {}

interface Declared {
  poll: PollDefinition
  file: string
  raw: string
}

/** The decks are the Markdown files directly in the slides folder; sections live below it. */
export function listDecks(slidesDir: string): string[] {
  return readdirSync(slidesDir)
    .filter((name) => name.endsWith('.md') && !name.startsWith('_'))
    .sort()
    .map((name) => join(slidesDir, name))
}

/**
 * Every poll of every deck. A sample deck ("_name.md", not a workshop) adds its polls only when
 * it is the deck being served (`served`), so they never show up beside a workshop's.
 */
export async function loadPolls(slidesDir: string, served?: string): Promise<PollDefinition[]> {
  const found = new Map<string, Declared>()
  const sample = served?.startsWith('_') ? join(slidesDir, `${served}.md`) : undefined
  const decks = [...listDecks(slidesDir), ...(sample && existsSync(sample) ? [sample] : [])]
  for (const deck of decks) {
    const data = await load({ userRoot: slidesDir, roots: [slidesDir] }, deck)
    for (const slide of data.slides) {
      const declared = slide.frontmatter.poll
      if (declared === undefined) continue
      const file = relative(process.cwd(), slide.source.filepath)
      const label = typeof declared?.id === 'string' ? `poll "${declared.id}"` : 'a poll'
      const result = PollDefinitionSchema.safeParse(declared)
      if (!result.success) {
        const issue = result.error.issues[0]
        const where = issue?.path.length ? ` (${issue.path.join('.')})` : ''
        throw new PollDefinitionError(`${file}: ${label} is not valid${where}: ${issue?.message}`)
      }
      const poll = result.data
      const raw = JSON.stringify(poll)
      const earlier = found.get(poll.id)
      // The same section imported by two decks declares the same poll twice: that is one poll.
      if (earlier && earlier.raw !== raw) {
        throw new PollDefinitionError(
          `${file}: poll "${poll.id}" is also declared, differently, in ${earlier.file}; give each poll its own id.`,
        )
      }
      if (poll.correct) await checkAnswersAreStripped(slide.source.filepath, poll.id, file)
      found.set(poll.id, { poll, file, raw })
    }
  }
  return [...found.values()].map((entry) => entry.poll)
}

/**
 * The deck is built from the file with `correct:` and `explain:` removed line by line (see
 * slides/setup/preparser.ts). A form that survives that (a one-line `poll: { ... }`, a quoted
 * key) would ship the answer to attendees, so the server refuses to start instead.
 */
async function checkAnswersAreStripped(filepath: string, pollId: string, file: string): Promise<void> {
  const lines = (await readFile(filepath, 'utf8')).split(/\r?\n/)
  stripQuizAnswers(lines)
  const stripped = await parse(lines.join('\n'), filepath)
  const slide = stripped.slides.find((candidate) => candidate.frontmatter.poll?.id === pollId)
  const poll = slide?.frontmatter.poll as Record<string, unknown> | undefined
  if (!poll || 'correct' in poll || 'explain' in poll || !Array.isArray(poll.options)) {
    throw new PollDefinitionError(
      `${file}: poll "${pollId}" must give correct: and explain: each on its own line, indented under poll:, so the deck can leave them out.`,
    )
  }
}

/**
 * The questionnaires, follow-up chart and report plan the decks declare: a deck's headmatter
 * names a YAML file beside it (`questionnaires: ./questionnaires.yaml`). Decks may share one file.
 */
export async function loadFollowUp(slidesDir: string, polls: readonly PollDefinition[]): Promise<FollowUp> {
  const files = new Map<string, string>()
  for (const deck of listDecks(slidesDir)) {
    const data = await load({ userRoot: slidesDir, roots: [slidesDir] }, deck)
    const named = data.headmatter.questionnaires
    if (named === undefined) continue
    if (typeof named !== 'string' || !/\.ya?ml$/.test(named)) {
      throw new PollDefinitionError(
        `${relative(process.cwd(), deck)}: questionnaires: must name a YAML file beside the deck, e.g. questionnaires: ./questionnaires.yaml`,
      )
    }
    files.set(resolve(dirname(deck), named), relative(process.cwd(), deck))
  }
  if (files.size > 1) {
    const [a, b] = [...files.values()]
    throw new PollDefinitionError(`${a} and ${b} name different questionnaire files: let every deck name the same one`)
  }
  const [entry] = files
  if (!entry) return NO_FOLLOW_UP
  const [path, deck] = entry
  const file = relative(process.cwd(), path)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    throw new PollDefinitionError(`${deck} names ${file} in questionnaires:, but there is no such file`)
  }
  try {
    return parseFollowUp(parseYaml(text), polls)
  } catch (error) {
    if (error instanceof FollowUpError || (error as Error).name === 'YAMLParseError') {
      throw new PollDefinitionError(`${file}: ${(error as Error).message.split('\n')[0]}`)
    }
    throw error
  }
}
