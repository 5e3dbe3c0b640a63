/// <reference types="@slidev/types/client" />
// The presenter's notes in Slidev's presenter view. The deck is built without them (`slidev
// build --without-notes`): before a presenter page opens, they are asked of the server, which
// gives them to a presenter session only, and put where Slidev's notes pane reads them.

import { defineAppSetup } from '@slidev/types'
import { slides } from '#slidev/slides'
import { loadPresenterNotes, presenterNotes } from '../../components/usePresenterNotes'
import './presenter-notes.css'

/** Slidev's pages that show notes: the presenter view, the notes page and the overview. */
const NOTES_PAGES = /^\/(presenter|notes|overview)(\/|$)/

const SIGN_IN =
  '<p>Your notes show here once this browser is the presenter’s: open the presenter link that <code>npm start</code> printed (or run <code>npm run presenter -- link</code>).</p>'

export default defineAppSetup(({ router }) => {
  router.beforeEach(async (to) => {
    if (!NOTES_PAGES.test(to.path)) return
    await loadPresenterNotes()
    for (const route of slides.value) {
      const slide = route.meta.slide
      // The dev server's own notes (npm run dev) stay as they are.
      if (slide.noteHTML) continue
      slide.noteHTML = presenterNotes.status === 'presenter' ? (presenterNotes.notes[route.no] ?? '') : SIGN_IN
    }
  })
})
