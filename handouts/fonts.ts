// The decks' fonts for the printed documents: Figtree, Fraunces and Noto Color Emoji from their npm
// packages (the same files slides/styles/index.ts bundles into the decks), inlined as data: URLs,
// since nothing in a handout is fetched. Only the faces whose characters the document uses go in.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)

/** The packages' own stylesheets: each lists its faces with their files and character ranges. */
const SOURCES = [
  '@fontsource-variable/figtree/wght.css',
  '@fontsource-variable/fraunces/opsz.css',
  '@fontsource-variable/fraunces/opsz-italic.css',
  '@infolektuell/noto-color-emoji/index.css',
]

interface Face {
  family: string
  /** The @font-face rule, its woff2 file inlined. */
  css: string
  /** Inclusive code point ranges; empty means every character. */
  ranges: [number, number][]
}

function parseRanges(value: string | undefined): [number, number][] {
  if (!value) return []
  return value.split(',').map((part) => {
    const [from = '0', to] = part.trim().replace(/^U\+/i, '').split('-')
    return [Number.parseInt(from, 16), Number.parseInt(to ?? from, 16)]
  })
}

let faces: Face[] | undefined

function loadFaces(): Face[] {
  faces ??= SOURCES.flatMap((source) => {
    const file = require.resolve(source)
    const css = readFileSync(file, 'utf8')
    return [...css.matchAll(/@font-face\s*{([^}]*)}/g)].map(([, body = '']) => {
      const url = /url\(\.?\/?([^)]+?\.woff2)\)/.exec(body)?.[1]
      if (!url) throw new Error(`No woff2 file in a @font-face rule of ${source}`)
      const data = readFileSync(join(dirname(file), url)).toString('base64')
      const rule = body.replace(/src:[^;]+;/, `src: url(data:font/woff2;base64,${data}) format("woff2");`)
      return {
        family: /font-family:\s*['"]?([^'";]+)/.exec(body)?.[1] ?? '',
        css: `@font-face {${rule}}`,
        ranges: parseRanges(/unicode-range:\s*([^;]+);/.exec(body)?.[1]),
      }
    })
  })
  return faces
}

/** @font-face rules, fonts inlined, for the faces (of one `family`, if given) that draw some character of `text`. */
export function fontFaces(text: string, family?: string): string {
  const used = new Set<number>()
  for (const char of text) used.add(char.codePointAt(0) ?? 0)
  const needed = (face: Face) =>
    face.ranges.length === 0 ||
    [...used].some((point) => face.ranges.some(([from, to]) => point >= from && point <= to))
  return loadFaces()
    .filter((face) => (!family || face.family === family) && needed(face))
    .map((face) => face.css)
    .join('\n')
}

/** Font stacks for the printed documents, colour emoji before any system font. */
export const FONT_STACK = {
  sans: '"Figtree Variable", "Noto Color Emoji", "DejaVu Sans", sans-serif',
  serif: '"Fraunces Variable", "Noto Color Emoji", "DejaVu Serif", serif',
}
