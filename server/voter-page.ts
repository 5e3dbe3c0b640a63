// Builds the phone page once at start-up: the script (with the Socket.IO client) is bundled by
// esbuild and inlined, and so is the deck's text font, cut down to the characters the page needs,
// so a phone on a slow network needs one request. The gzipped copy is kept in memory and sent as is.
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build, transform } from 'esbuild'
import subsetFont from 'subset-font'

const here = dirname(fileURLToPath(import.meta.url))

export interface VoterPage {
  html: Buffer
  gzipped: Buffer
}

/** Figtree, the decks' text font (slides/styles/index.ts), from its npm package. */
const FONT_FILE = createRequire(import.meta.url).resolve(
  '@fontsource-variable/figtree/files/figtree-latin-wght-normal.woff2',
)

/**
 * The characters the font keeps: Latin letters, digits and the punctuation the page and the
 * polls use. Anything else (an accent a participant types, an emoji) falls back to the phone's
 * own fonts, character by character.
 */
const GLYPHS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789' + ' .,:;!?\'"()-/%&+=#@’‘“”…–—·✓'

/**
 * An @font-face rule with the font inlined, at one weight (a second would cost 4 KB of the 30 KB
 * budget): the page sets its hierarchy by size and colour, and never fakes bold.
 */
async function inlineFont(): Promise<string> {
  const font = await subsetFont(await readFile(FONT_FILE), GLYPHS, {
    targetFormat: 'woff2',
    variationAxes: { wght: 560 },
  })
  return `@font-face{font-family:Figtree;font-weight:100 900;font-display:swap;src:url(data:font/woff2;base64,${font.toString('base64')}) format("woff2")}`
}

export async function buildVoterPage(): Promise<VoterPage> {
  const [template, bundle, font] = await Promise.all([
    readFile(join(here, 'voter', 'index.html'), 'utf8'),
    build({
      entryPoints: [join(here, 'voter', 'main.ts')],
      bundle: true,
      minify: true,
      write: false,
      format: 'iife',
      target: 'es2020',
      legalComments: 'none',
    }),
    inlineFont(),
  ])
  const script = bundle.outputFiles[0]?.text ?? ''
  // A literal "</script" inside the bundle would end the inline script early.
  const inline = script.replaceAll('</script', '<\\/script')
  const css = /<style>([\s\S]*?)<\/style>/.exec(template)?.[1] ?? ''
  const minified = (await transform(css.replace('/*VOTER_FONT*/', font), { loader: 'css', minify: true })).code
  const html = Buffer.from(template.replace(css, () => minified.trim()).replace('/*VOTER_SCRIPT*/', () => inline))
  return { html, gzipped: gzipSync(html, { level: 9 }) }
}
