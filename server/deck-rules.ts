// What the kit checks in a deck before it starts, besides its polls: every slide's `layout:`
// exists, and an agenda (`agenda:` on a slide, shown by <Agenda />) is a list of timed rows that
// adds up to the deck's `duration:`. Each refusal names the file, the slide and what to write.
import { existsSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { z } from 'zod'
import { ROOT } from './settings.ts'

/** Where a slide is: "slides/workshop.md, slide 4" (and the section file it comes from). */
export interface SlidePlace {
  deck: string
  slide: number
  file: string
}

export const placeOf = ({ deck, slide, file }: SlidePlace) =>
  `${deck}, slide ${slide}${file !== deck ? ` (from ${file})` : ''}`

/** The layouts a deck may name: Slidev's own, its theme's, the kit's and the deck folder's. */
export function layoutsOf(entry: string, theme: unknown): Set<string> | undefined {
  // A package as the deck's project finds it, else as the kit finds it.
  const packageDir = (name: string) => {
    for (const from of [entry, join(ROOT, 'package.json')]) {
      try {
        return dirname(createRequire(from).resolve(`${name}/package.json`))
      } catch {}
    }
    return undefined
  }
  const client = packageDir('@slidev/client')
  if (!client) return undefined // without Slidev's own list, no layout can be called unknown
  const folders = [join(ROOT, 'layouts'), join(dirname(entry), 'layouts'), join(client, 'layouts')]
  const name = typeof theme === 'string' ? theme : 'default'
  if (name !== 'none') {
    const themeDir = packageDir(name.startsWith('@') || name.includes('/') ? name : `@slidev/theme-${name}`)
    if (themeDir) folders.push(join(themeDir, 'layouts'))
    else return undefined // a theme not found here: Slidev itself reports it
  }
  const names = new Set<string>()
  for (const folder of folders) {
    if (!existsSync(folder)) continue
    for (const file of readdirSync(folder)) if (file.endsWith('.vue')) names.add(file.slice(0, -4))
  }
  return names
}

export function checkLayout(layout: unknown, known: Set<string> | undefined, at: SlidePlace): string | undefined {
  if (layout === undefined || !known) return undefined
  if (typeof layout === 'string' && known.has(layout)) return undefined
  const kit = readdirSync(join(ROOT, 'layouts'))
    .map((file) => file.replace(/\.vue$/, ''))
    .join(', ')
  return `${placeOf(at)}: there is no layout "${String(layout)}". Write one of the kit's (layout: ${kit}), or one of Slidev's (default, center, two-cols, image-right, …).`
}

const AgendaRowSchema = z
  .object({
    title: z.string().trim().min(1),
    minutes: z.number().positive(),
    hat: z.enum(['lead', 'manage', 'both']).optional(),
    buffer: z.boolean().optional(),
    remote: z.object({ minutes: z.number().positive(), how: z.string().optional() }).strict().optional(),
  })
  .strict()

const AGENDA_EXAMPLE =
  "agenda:\n  - { title: 'Welcome and first poll', minutes: 10 }\n  - { title: 'Buffer', minutes: 5, buffer: true }"

/** The deck's planned minutes from `duration:` ("45min", "1h", "90"); undefined when it has none. */
export function durationMinutes(raw: unknown): number | undefined {
  if (typeof raw === 'number') return raw
  if (typeof raw !== 'string') return undefined
  const match = /^(\d+(?:\.\d+)?)\s*(h|hr|hours?|m|min|mins|minutes?)?$/i.exec(raw.trim())
  if (!match) return undefined
  const value = Number(match[1])
  return match[2] && /^h/i.test(match[2]) ? value * 60 : value
}

export function checkAgenda(agenda: unknown, duration: unknown, at: SlidePlace): string | undefined {
  if (agenda === undefined) return undefined
  if (!Array.isArray(agenda) || agenda.length === 0) {
    return `${placeOf(at)}: agenda: must be a list of rows, one per block, like\n${AGENDA_EXAMPLE}`
  }
  for (const [i, row] of agenda.entries()) {
    const result = AgendaRowSchema.safeParse(row)
    if (result.success) continue
    const issue = result.error.issues[0]
    const field = issue?.path.join('.') || 'the row'
    const what =
      issue?.code === 'unrecognized_keys'
        ? `"${issue.keys.join('", "')}" is not a field of a row (title, minutes, and optionally buffer, remote, hat)`
        : `${field}: ${issue?.message}`
    return `${placeOf(at)}: agenda row ${i + 1} is not valid (${what}). Write each row as { title: 'Name of the block', minutes: 10 }.`
  }
  const total = agenda.reduce((sum: number, row: { minutes: number }) => sum + row.minutes, 0)
  const planned = durationMinutes(duration)
  if (planned !== undefined && Math.abs(total - planned) > 0.01) {
    return `${placeOf(at)}: the agenda adds up to ${total} min but the deck's duration: is ${planned} min. Change a row's minutes (or a buffer row), or the headmatter's duration: ${total}min.`
  }
  return undefined
}
