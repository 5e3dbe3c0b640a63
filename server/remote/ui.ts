// The remote's small shared pieces: times as a phone shows them, and the tab icons.

/** 754_000 → "12:34"; an hour or more → "1:02:34". */
export function clockText(ms: number): string {
  const total = Math.ceil(ms / 1000)
  const hours = Math.floor(total / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = String(total % 60).padStart(2, '0')
  return hours ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`
}

/** 125 → "2 min" (rounded to the minute, at least one). */
export const minutesText = (seconds: number) => `${Math.max(1, Math.round(Math.abs(seconds) / 60))} min`

/** Outline icons, drawn in currentColor (decoration: each tab says its name). */
const svg = (path: string) => `<svg viewBox="0 0 24 24" aria-hidden="true">${path}</svg>`
export const ICONS: Record<string, string> = {
  slides: svg('<rect x="3" y="4" width="18" height="12" rx="2"/><path d="M12 16v4M8 20h8"/>'),
  time: svg('<circle cx="12" cy="13" r="8"/><path d="M12 9v4l3 2M10 2h4"/>'),
  poll: svg('<path d="M5 20V11M12 20V5M19 20v-6"/>'),
  timer: svg('<path d="M7 3h10M7 21h10M8 3c0 5 8 5 8 9s-8 4-8 9M16 3c0 5-8 5-8 9s8 4 8 9"/>'),
  room: svg('<path d="M4 5h16v10H9l-5 4z"/>'),
}
