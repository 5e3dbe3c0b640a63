// Builds the phone pages once at start-up (the attendees' page, server/voter/, and the
// facilitator's remote, server/remote/): the script (with the Socket.IO client) is bundled by
// esbuild and inlined, and so is the deck's text font, cut down to the characters the page needs,
// so a phone on a slow network needs one request. The gzipped copy is kept in memory and sent as is.
// It is compressed with Zopfli (WebAssembly, no native build): ordinary gzip that any browser
// reads, about 6 % smaller than zlib's best, for about a second once per start.
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, type Plugin, transform } from 'esbuild'
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
 * polls use. Anything else (an accent a participant types, an emoji, a rare sign such as % or @)
 * falls back to the phone's own fonts, character by character.
 */
const GLYPHS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789' + ' .,:;!?\'"()-/&+’‘“”…–—·✓'

/**
 * An @font-face rule with the font inlined, at one weight (a second would cost 4 KB of the 30 KB
 * budget): the page sets its hierarchy by size and colour, and never fakes bold.
 */
async function inlineFont(): Promise<string> {
  // A variable, not a literal: noHinting and keepFeatures are subset-font options that the kit's
  // typings (server/types/subset-font.d.ts) do not list yet.
  const options = {
    targetFormat: 'woff2',
    variationAxes: { wght: 560 },
    // Kerning is all the page's text needs; ligatures and alternates cost ~1 KB gzipped.
    noHinting: true,
    keepFeatures: ['kern'],
  } as const
  const font = await subsetFont(await readFile(FONT_FILE), GLYPHS, options)
  return `@font-face{font-family:Figtree;font-weight:100 900;font-display:swap;src:url(data:font/woff2;base64,${font.toString('base64')}) format("woff2")}`
}

/**
 * Parts of the Socket.IO client the page never uses, left out of the bundle (~1.4 KB gzipped of
 * the 30 KB budget): it connects by long-polling with fetch (every phone browser since 2017) and
 * upgrades to WebSocket, so WebTransport and XMLHttpRequest polling go; and neither side ever
 * sends binary data, so the parser's binary check goes too.
 */
const STUBS: [RegExp, string][] = [
  [
    /engine\.io-client[\\/]build[\\/]esm[\\/]transports[\\/]index\.js$/,
    'import{Fetch}from"./polling-fetch.js";import{WS}from"./websocket.js";export const transports={websocket:WS,polling:Fetch}',
  ],
  // Re-exported by the package's index, and its module runs code on load.
  [/engine\.io-client[\\/]build[\\/]esm[\\/]transports[\\/]polling-xhr\.js$/, 'export const XHR=0'],
  [/socket\.io-parser[\\/]build[\\/]esm[\\/]is-binary\.js$/, 'export const isBinary=()=>!1,hasBinary=isBinary'],
]
const pageTransports: Plugin = {
  name: 'page-transports',
  setup(build) {
    for (const [filter, contents] of STUBS)
      build.onLoad({ filter }, (args) => ({ contents, resolveDir: dirname(args.path) }))
  },
}

/** What the phone page shows of the deck: its title, its colours, and the hats or its initial. */
export interface PhoneLook {
  title: string
  hats: boolean
  primary?: string
  secondary?: string
}

export const NEUTRAL_LOOK: PhoneLook = { title: 'Live polls', hats: false }

const HEX = /^#[0-9a-f]{6}$/i
const initialOf = (title: string) => (/\p{L}|\p{N}/u.exec(title)?.[0] ?? '•').toUpperCase()
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

type Folder = 'voter' | 'remote'
/** The parts every deck's page shares (script, font, template), built once per process. */
const parts = new Map<Folder, ReturnType<typeof buildParts>>()
const pages = new Map<string, Promise<VoterPage>>()

/** The phone page for a deck; one build per look per process. */
export const buildVoterPage = (look: PhoneLook = NEUTRAL_LOOK) => pageOnce('voter', look)
/** The facilitator's remote: the kit's own look, whatever the deck. */
export const buildRemotePage = () => pageOnce('remote', NEUTRAL_LOOK)

function pageOnce(folder: Folder, look: PhoneLook): Promise<VoterPage> {
  const key = `${folder}:${JSON.stringify(look)}`
  let page = pages.get(key)
  if (!page) {
    page = pageFor(folder, look)
    pages.set(key, page)
  }
  return page
}

/** A page of one response from its folder: index.html with its font, colours, title and script. */
async function pageFor(folder: Folder, look: PhoneLook): Promise<VoterPage> {
  let built = parts.get(folder)
  if (!built) {
    built = buildParts(folder)
    parts.set(folder, built)
  }
  const { template, inline, font } = await built
  const css = /<style>([\s\S]*?)<\/style>/.exec(template)?.[1] ?? ''
  // The deck's own colours, where it gives them: after the page's, so they win.
  const colors = [
    ...(look.primary && HEX.test(look.primary)
      ? [`--lead:${look.primary}`, `--lead-soft:color-mix(in srgb,${look.primary} 12%,#fff)`]
      : []),
    ...(look.secondary && HEX.test(look.secondary)
      ? [`--manage:${look.secondary}`, `--manage-soft:color-mix(in srgb,${look.secondary} 14%,#fff)`]
      : []),
  ]
  const themed = `${css.replace('/*VOTER_FONT*/', font)}${colors.length ? `:root{${colors.join(';')}}` : ''}`
  const minified = (await transform(themed, { loader: 'css', minify: true })).code
  const html = Buffer.from(
    template
      .replace(css, () => minified.trim())
      .replaceAll('/*DECK_TITLE*/', () => escapeHtml(look.title))
      .replace('/*DECK_MARK*/', () =>
        look.hats ? '' : `<span class="mark">${escapeHtml(initialOf(look.title))}</span>`,
      )
      .replace('/*VOTER_SCRIPT*/', () => inline),
  )
  return { html, gzipped: await zopfli(html) }
}

async function buildParts(folder: Folder): Promise<{ template: string; inline: string; font: string }> {
  const [template, bundle, font] = await Promise.all([
    readFile(join(here, folder, 'index.html'), 'utf8'),
    build({
      entryPoints: [join(here, folder, 'main.ts')],
      bundle: true,
      minify: true,
      write: false,
      format: 'iife',
      target: 'es2020',
      legalComments: 'none',
      plugins: [pageTransports],
      // Socket.IO's private fields (`_opts`…) get short names; `_placeholder` is on the wire, and
      // the client reads `_reconnecting` and `_destroy` by quoted name (left as they are, the
      // page broke on a refused handshake: "this.io._destroy is not a function").
      mangleProps: /^_/,
      reserveProps: /^_(placeholder|reconnecting|destroy)$/,
    }),
    inlineFont(),
  ])
  const script = bundle.outputFiles[0]?.text ?? ''
  // A literal "</script" inside the bundle would end the inline script early.
  return { template, inline: script.replaceAll('</script', '<\\/script'), font }
}

/**
 * Gzip with Zopfli. Its Emscripten wrapper, when loaded, adds process-wide handlers that turn
 * any unhandled rejection or exception into a crash of the whole process: they are taken off
 * again at once, so the kit keeps its own rules (a Redis hiccup is logged, not fatal).
 */
async function zopfli(data: Buffer): Promise<Buffer> {
  const rejections = process.listeners('unhandledRejection')
  const exceptions = process.listeners('uncaughtException')
  const { gzipAsync } = await import('@gfx/zopfli')
  for (const listener of process.listeners('unhandledRejection')) {
    if (!rejections.includes(listener)) process.off('unhandledRejection', listener)
  }
  for (const listener of process.listeners('uncaughtException')) {
    if (!exceptions.includes(listener)) process.off('uncaughtException', listener)
  }
  return Buffer.from(await gzipAsync(data, { numiterations: 15 }))
}
