import { dirname } from 'node:path'
import { load } from '@slidev/parser/fs'

/** The 1-based slide number that declares the poll, as Slidev numbers slides. */
export async function slideNumberOfPoll(deckFile: string, pollId: string): Promise<number> {
  const root = dirname(deckFile)
  const { slides } = await load({ userRoot: root, roots: [root] }, deckFile)
  const index = slides.findIndex((slide) => slide.frontmatter.poll?.id === pollId)
  if (index < 0) throw new Error(`No slide in ${deckFile} declares poll "${pollId}"`)
  return index + 1
}
