// `npm run new -- "Giving feedback"`: a new session's deck in the slides folder, from the kit's
// template (templates/session.md): every layout and every poll kind once, notes in the kit's
// cues, an agenda, a join slide and a close. Its polls' ids start with the deck's name, so they
// never collide with another deck's in the same folder.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { KitError } from './errors.ts'
import { ROOT, SLIDES_DIR } from './settings.ts'

export class NewDeckError extends KitError {}

export const TEMPLATE = join(ROOT, 'templates', 'session.md')

/** The deck's file name from its title: "Giving feedback" → giving-feedback. */
export function deckNameOf(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '')
}

/** Writes slides/<name>.md from the template; returns its path. Never overwrites a deck. */
export function newDeck(title: string, slidesDir = SLIDES_DIR): string {
  const clean = title.trim().replace(/\s+/g, ' ')
  const name = deckNameOf(clean)
  if (!clean || !name) {
    throw new NewDeckError('Give the session a title with a letter or digit in it: npm run new -- "Giving feedback"')
  }
  if (clean.length > 80) throw new NewDeckError(`Keep the title under 80 characters (it is the cover's heading).`)
  const file = join(slidesDir, `${name}.md`)
  if (existsSync(file)) {
    throw new NewDeckError(
      `${relative(process.cwd(), file)} already exists: choose another title, or edit that deck (npm start -- --deck ${name}).`,
    )
  }
  // The title goes into YAML (double-quoted) and Markdown: escape what either would read.
  const yaml = clean.replace(/\\/g, '\\\\').replace(/"/g, '\\"')
  const text = readFileSync(TEMPLATE, 'utf8')
    .replace('title: "{{title}}"', `title: "${yaml}"`)
    .replaceAll('{{title}}', clean.replace(/[<>{}]/g, ''))
    .replaceAll('{{id}}', name)
    // A deck in the kit's slides/ names the kit as `@/..`; one in another folder (SLIDES_DIR) by its path.
    .replace('addons: ["@/.."]', `addons: [${JSON.stringify(dirname(slidesDir) === ROOT ? '@/..' : ROOT)}]`)
  writeFileSync(file, text)
  return file
}
