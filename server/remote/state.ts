// What the remote knows: the run sheet, what the server last said, and how to ask it for things.
import type { CardView, ClientToServerEvents, PollView, StageView, Tally } from '../protocol.ts'
import type { RunSheet, RunSheetSlide } from '../run-sheet.ts'

export interface RemoteState {
  sheet: RunSheet
  connected: boolean
  presenter: boolean
  polls: Record<string, PollView>
  tallies: Record<string, Tally>
  /** Each timed poll's deadline on this phone's clock (never comparing clocks). */
  countdowns: Record<string, { endsAt: number; leftMs: number; running: boolean }>
  cards: Record<string, CardView>
  stage: StageView | null
  /** When the stage view arrived, on this phone's clock. */
  stageAt: number
}

/** Sends a presenter action; resolves true once the server accepted it (a refusal is said on the page). */
export type Ask = <E extends 'move' | 'control' | 'moderate'>(
  event: E,
  payload: Parameters<ClientToServerEvents[E]>[0],
) => Promise<boolean>

export const slideOf = (state: RemoteState, no: number | undefined): RunSheetSlide | undefined =>
  no ? state.sheet.slides.find((slide) => slide.number === no) : undefined

/** A button with a stable key (focus stays on it when its view is rebuilt). */
export function keyed<T extends HTMLElement>(node: T, key: string): T {
  node.dataset.key = key
  return node
}
