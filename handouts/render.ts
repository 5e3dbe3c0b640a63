// HTML → PDF with the system Chromium (playwright-core's page.pdf), then pdf-lib to put the
// slide thumbnails, as vector pages taken straight from Slidev's own PDF, into their frames.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { PDFDocument, type PDFPage, rgb } from 'pdf-lib'
import { type Browser, chromium } from 'playwright-core'
import { KitError } from '../server/errors.ts'
import { CHROMIUM_ARGS } from './chromium.ts'
import { FONT_STACK, fontFaces } from './fonts.ts'
import { escapeHtml } from './markdown.ts'
import { PAGER_SCRIPT } from './pager.ts'

export interface Paper {
  name: 'A4' | 'Letter'
  /** Millimetres. */
  width: number
  height: number
  /** The same size as Chromium is told it (Letter in inches, so it comes out at exactly 612 × 792 pt). */
  css: { width: string; height: string }
}

export const PAPERS: Record<Paper['name'], Paper> = {
  A4: { name: 'A4', width: 210, height: 297, css: { width: '210mm', height: '297mm' } },
  Letter: { name: 'Letter', width: 215.9, height: 279.4, css: { width: '8.5in', height: '11in' } },
}

/** Top and bottom page margins (mm); the footer with the page numbers sits in the bottom one. */
export const MARGIN = { top: 12, bottom: 15 }
/** Left and right padding inside every sheet (mm). */
export const SIDE = 16

const PT_PER_MM = 72 / 25.4
const PT_PER_PX = 0.75
const PX_PER_MM = 96 / 25.4

export function sheetHeight(paper: Paper, bleed = false): number {
  // A hair under the printable height, so rounding can never push a sheet onto a second page.
  return bleed ? paper.height - 0.4 : paper.height - MARGIN.top - MARGIN.bottom - 0.4
}

/** The CSS custom properties that size sheets for this paper (and slide frames for the deck). */
export function pageCss(paper: Paper, options: { bleed?: boolean; slideRatio?: number } = {}): string {
  const ratio = options.slideRatio && Number.isFinite(options.slideRatio) ? options.slideRatio : 980 / 552
  return `:root{--page-w:${paper.width}mm;--sheet-h:${sheetHeight(paper, options.bleed).toFixed(2)}mm;--side:${SIDE}mm;--slide-ratio:${ratio.toFixed(4)}}`
}

/** The print styles of one document: what all share, then its own. */
export function stylesheet(document: 'handout' | 'guide' | 'cards' | 'report'): string {
  const read = (name: string) => readFileSync(join(import.meta.dirname, 'styles', `${name}.css`), 'utf8')
  // The poll results ("what the room said") print in the handout and, for a session, in the guide.
  const results = document === 'cards' || document === 'report' ? '' : read('results')
  return `${read('base')}\n${results}\n${read(document)}`
}

export interface Slot {
  page: number
  slide: number
  x: number
  y: number
  width: number
  height: number
}

export interface Printed {
  pdf: Uint8Array
  pages: number
  slots: Slot[]
  /** The page (1-based) each `[data-section]` starts on. */
  sections: Record<string, number>
}

export class LayoutError extends KitError {}

export class Printer {
  private constructor(private readonly browser: Browser) {}

  static async launch(executablePath: string): Promise<Printer> {
    const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS })
    return new Printer(browser)
  }

  /**
   * Prints a document made of `.sheet`s. With `footer`, every page gets the footer text and
   * "Page n of m"; with `bleed`, the page has no margins (a cover with a full-page background).
   */
  async print(
    html: string,
    options: { paper: Paper; footer?: string; bleed?: boolean; name?: string },
  ): Promise<Printed> {
    const { paper, footer, bleed = false, name = 'a handout' } = options
    const context = await this.browser.newContext({
      viewport: { width: Math.ceil(paper.width * PX_PER_MM), height: 1100 },
      javaScriptEnabled: true,
      offline: true,
    })
    try {
      const page = await context.newPage()
      // Nothing in a handout comes from the network: no fonts, no images, no scripts.
      await page.route('**/*', (route) =>
        route.request().url().startsWith('data:') ? route.continue() : route.abort(),
      )
      await page.emulateMedia({ media: 'print' })
      // The decks' fonts, inlined: the faces for the characters this document uses.
      await page.setContent(
        html.replace('</head>', () => `<style>${fontFaces(html)}</style></head>`),
        {
          waitUntil: 'load',
        },
      )
      await page.evaluate('document.fonts.ready.then(() => true)')
      const layout = (await page.evaluate(PAGER_SCRIPT)) as {
        pages: number
        slots: Slot[]
        overfull: { page: number; slides: number[] }[]
        sections: Record<string, number>
      }
      const [overfull] = layout.overfull
      if (overfull) {
        const culprit = overfull.slides.length === 1 ? `slide ${overfull.slides[0]}'s notes` : 'its content'
        throw new LayoutError(
          `Page ${overfull.page} of ${name} cannot fit ${culprit} even at a smaller size: shorten ${overfull.slides.length === 1 ? 'them' : 'it'} so it fits on one page.`,
        )
      }
      const margin = bleed
        ? { top: '0', bottom: '0', left: '0', right: '0' }
        : { top: `${MARGIN.top}mm`, bottom: `${MARGIN.bottom}mm`, left: '0', right: '0' }
      const pdf = await page.pdf({
        width: paper.css.width,
        height: paper.css.height,
        margin,
        printBackground: true,
        displayHeaderFooter: Boolean(footer),
        headerTemplate: '<span></span>',
        footerTemplate: footer ? footerTemplate(footer) : '<span></span>',
      })
      const pages = (await PDFDocument.load(pdf)).getPageCount()
      if (pages !== layout.pages) {
        throw new LayoutError(
          `A handout printed on ${pages} pages instead of ${layout.pages}; its layout needs fixing.`,
        )
      }
      return { pdf, pages, slots: layout.slots, sections: layout.sections }
    } finally {
      await context.close()
    }
  }

  async close(): Promise<void> {
    await this.browser.close()
  }
}

function footerTemplate(text: string): string {
  // Footer templates get no page styles: fonts and sizes are set here, inline.
  const faces = fontFaces(`${text} Page of 0123456789`, 'Figtree Variable')
  return `<style>${faces}</style><div style="width:100%;box-sizing:border-box;padding:0 ${SIDE}mm 5mm;display:flex;justify-content:space-between;align-items:flex-end;font-family:${FONT_STACK.sans.replaceAll('"', "'")};font-size:7pt;color:#6b767e;-webkit-print-color-adjust:exact">
    <span>${escapeHtml(text)}</span>
    <span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span>
  </div>`
}

/**
 * Puts each slot's slide into the page: the slide page from Slidev's PDF, embedded as vectors
 * (sharp at any zoom, text still selectable), centred in the frame, with a thin border.
 */
export async function stampSlides(
  doc: PDFDocument,
  slides: PDFDocument,
  slots: Slot[],
  options: { firstPage: number; bleed?: boolean },
): Promise<void> {
  const wanted = [...new Set(slots.map((slot) => slot.slide))].filter(
    (slide) => slide >= 1 && slide <= slides.getPageCount(),
  )
  if (!wanted.length) return
  const embedded = await doc.embedPdf(
    slides,
    wanted.map((slide) => slide - 1),
  )
  const bySlide = new Map(wanted.map((slide, i) => [slide, embedded[i]]))
  const top = (options.bleed ? 0 : MARGIN.top) * PT_PER_MM
  const pages = doc.getPages()
  for (const slot of slots) {
    const slide = bySlide.get(slot.slide)
    const page: PDFPage | undefined = pages[options.firstPage + slot.page]
    if (!slide || !page) continue
    const boxWidth = slot.width * PT_PER_PX
    const boxHeight = slot.height * PT_PER_PX
    const scale = Math.min(boxWidth / slide.width, boxHeight / slide.height)
    const width = slide.width * scale
    const height = slide.height * scale
    const x = slot.x * PT_PER_PX + (boxWidth - width) / 2
    const y = page.getHeight() - top - slot.y * PT_PER_PX - (boxHeight + height) / 2
    page.drawPage(slide, { x, y, width, height })
    page.drawRectangle({ x, y, width, height, borderColor: rgb(0.72, 0.7, 0.66), borderWidth: 0.6 })
  }
}

/** Joins PDFs (as bytes) into one document, in order. */
export async function joinPdfs(parts: Uint8Array[]): Promise<PDFDocument> {
  const doc = await PDFDocument.create()
  for (const part of parts) {
    const source = await PDFDocument.load(part)
    const copied = await doc.copyPages(source, source.getPageIndices())
    for (const page of copied) doc.addPage(page)
  }
  return doc
}
