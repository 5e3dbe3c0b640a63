// What only the presenter reads: every slide's notes and the content of presenter-only slides.
// The deck built for the room carries none of it; a browser with a presenter session gets it
// from the server (GET /api/presenter/notes), once per page.
import { reactive } from 'vue'

export interface PresenterNotes {
  /** `presenter`: this browser is signed in and has them; `room`: it is not (or the server is away). */
  status: 'unknown' | 'presenter' | 'room'
  /** HTML by slide number. */
  notes: Record<string, string>
  slides: Record<string, string>
}

export const presenterNotes = reactive<PresenterNotes>({ status: 'unknown', notes: {}, slides: {} })
let loading: Promise<void> | null = null

/** Asks the server once; a failed request (the server away) is asked again next time. */
export function loadPresenterNotes(): Promise<void> {
  loading ??= fetch('/api/presenter/notes', { cache: 'no-store' })
    .then(async (response) => {
      if (!response.ok) {
        presenterNotes.status = 'room'
        return
      }
      const body = (await response.json()) as Pick<PresenterNotes, 'notes' | 'slides'>
      Object.assign(presenterNotes, { status: 'presenter', notes: body.notes, slides: body.slides })
    })
    .catch(() => {
      presenterNotes.status = 'room'
      loading = null
    })
  return loading
}

export function usePresenterNotes(): PresenterNotes {
  if (typeof window !== 'undefined') void loadPresenterNotes()
  return presenterNotes
}
