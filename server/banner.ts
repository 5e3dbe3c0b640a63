// The start-up message: where attendees join (as text and a terminal QR code), the presenter
// link, and where results are kept.
import { relative, resolve } from 'node:path'
import { renderUnicodeCompact } from 'uqr'
import { spacedRoomCode } from './room-code.ts'
import type { Settings } from './settings.ts'
import { DATABASE_FILE } from './sqlite-store.ts'

const bold = (text: string) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[22m` : text)

/** Relative to the current folder when inside it, absolute otherwise. */
function shortPath(path: string): string {
  const rel = relative(process.cwd(), path)
  return rel.startsWith('..') ? path : rel
}

export function banner(server: { joinUrl: string; presenterUrl: string }, settings: Settings, deck: string): string {
  const joinIsLocal = /\/\/(localhost|127\.|\[::1\])/.test(server.joinUrl)
  // The terminal's QR code carries the room code, like the join slide's.
  const qrUrl = settings.roomCode ? `${server.joinUrl}?room=${settings.roomCode}` : server.joinUrl
  return [
    '',
    `  ${bold('Management vs Leadership')} — the "${deck}" deck is live.`,
    '',
    renderUnicodeCompact(qrUrl, { border: 2 })
      .split('\n')
      .map((line) => `  ${line}`)
      .join('\n'),
    '',
    `  Attendees join:   ${bold(server.joinUrl)}`,
    joinIsLocal
      ? '                    (no network address found: phones cannot reach localhost; join a Wi-Fi or set PUBLIC_URL)'
      : '                    (phones must be on the same Wi-Fi as this laptop)',
    ...(settings.roomCode
      ? [`  Room code:        ${bold(spacedRoomCode(settings.roomCode))}  (on the join slide; the QR code carries it)`]
      : []),
    `  Presenter link:   ${server.presenterUrl}`,
    '                    (one use: it signs this browser in as the presenter;',
    '                     `npm run presenter -- link` makes another)',
    `  Results stored in ${settings.redisUrl ? `Redis at ${settings.redisUrl.replace(/\/\/[^@/]*@/, '//')}` : shortPath(resolve(settings.dataDir, DATABASE_FILE))}`,
    '',
    '  Press Ctrl+C to stop. Votes are saved as they arrive.',
    '',
  ].join('\n')
}
