// What only the presenter reads: every slide's notes (what to say, the suggested answers, the
// debriefs) and the content of slides marked `presenterOnly: true`. The deck built for the room
// carries none of it (built with Slidev's --without-notes; presenter-only slides are emptied by
// slides/setup/preparser.ts): the server reads it from the deck's Markdown and gives it to
// presenter sessions only (GET /api/presenter/notes), and the deck shows it in presenter mode.
import { load } from '@slidev/parser/fs'
import { notesToHtml } from '../handouts/markdown.ts'
import { SLIDES_DIR } from './settings.ts'

export interface PresenterNotes {
  /** Each slide's notes as HTML, by slide number (1-based, as Slidev numbers them). */
  notes: Record<number, string>
  /** The content of each presenter-only slide as HTML, by slide number. */
  slides: Record<number, string>
}

/** Reads a deck's notes and presenter-only slides (the same parse Slidev makes, `src:` imports included). */
export async function loadPresenterNotes(deckFile: string, slidesDir = SLIDES_DIR): Promise<PresenterNotes> {
  const { slides } = await load({ userRoot: slidesDir, roots: [slidesDir] }, deckFile)
  const result: PresenterNotes = { notes: {}, slides: {} }
  slides.forEach((slide, i) => {
    if (slide.note?.trim()) result.notes[i + 1] = notesToHtml(slide.note)
    if (slide.frontmatter.presenterOnly === true) result.slides[i + 1] = notesToHtml(slide.content)
  })
  return result
}
