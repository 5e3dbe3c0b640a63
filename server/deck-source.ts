// A deck's Markdown as Slidev reads it: Slidev's own parser (so `src:` imports resolve as in the
// deck), with the kit's preparser (setup/preparser.ts, in the kit's add-on root) applied, so the
// server, the handouts and the tests see the slides the deck is built from.
import { readFile } from 'node:fs/promises'
import { basename, dirname } from 'node:path'
import { load } from '@slidev/parser/fs'
import { parse as parseYaml } from 'yaml'
import { ROOT } from './settings.ts'

export function readDeck(file: string): ReturnType<typeof load> {
  const userRoot = dirname(file)
  return load({ userRoot, roots: [ROOT, userRoot] }, file)
}

/**
 * What a deck's headmatter says of its look: its title, its colours, and whether it draws the
 * hats. Read from the headmatter alone (no `src:` imports followed): every start asks for it.
 */
export async function deckLookOf(
  file: string,
): Promise<{ title: string; hats: boolean; primary?: string; secondary?: string }> {
  const head = /^---\r?\n([\s\S]*?)\r?\n---/.exec(await readFile(file, 'utf8'))?.[1] ?? ''
  const headmatter = (parseYaml(head) ?? {}) as Record<string, unknown>
  const colors = (headmatter.colors ?? {}) as { primary?: unknown; secondary?: unknown }
  const title =
    typeof headmatter.title === 'string' && headmatter.title.trim() ? headmatter.title : basename(file, '.md')
  return {
    title,
    hats: headmatter.art === 'hats',
    ...(typeof colors.primary === 'string' ? { primary: colors.primary } : {}),
    ...(typeof colors.secondary === 'string' ? { secondary: colors.secondary } : {}),
  }
}

/** The deck's title as its headmatter gives it (`title:`), else its file name. */
export async function deckTitle(file: string): Promise<string> {
  const { headmatter } = await readDeck(file)
  return typeof headmatter.title === 'string' && headmatter.title.trim() ? headmatter.title : basename(file, '.md')
}
