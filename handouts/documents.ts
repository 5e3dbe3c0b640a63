// Builds the printed documents from their HTML: Chromium prints, pdf-lib assembles (cover +
// body) and puts the slides into their frames.
import { PDFDocument } from 'pdf-lib'
import { type CardsInput, cardsHtml } from './cards-html.ts'
import { type GuideInput, guideHtml } from './guide-html.ts'
import { coverHtml, type HandoutInput, handoutBodyHtml, handoutContents } from './handout-html.ts'
import { joinPdfs, type Printer, stampSlides } from './render.ts'
import { type ReportInput, reportHtml } from './report-html.ts'

export interface Built {
  bytes: Uint8Array
  pages: number
}

function describe(doc: PDFDocument, title: string, subject: string): void {
  doc.setTitle(title)
  doc.setSubject(subject)
  doc.setCreator('workshop-kit: npm run handouts')
  doc.setProducer('Chromium and pdf-lib')
  doc.setLanguage('en')
  const now = new Date()
  doc.setCreationDate(now)
  doc.setModificationDate(now)
}

export async function buildHandout(printer: Printer, input: HandoutInput, slides: PDFDocument): Promise<Built> {
  const footer = `${input.deck.title} · Participant handout${input.session ? ` · ${input.session.name}` : ''}`
  // The body first: the cover's contents name the page each part starts on.
  const body = await printer.print(handoutBodyHtml(input), {
    paper: input.paper,
    footer,
    name: 'the participant handout',
  })
  const contents = handoutContents(body.sections)
  const cover = await printer.print(coverHtml(input, contents), {
    paper: input.paper,
    bleed: true,
    name: 'the handout cover',
  })
  const doc = await joinPdfs([cover.pdf, body.pdf])
  await stampSlides(doc, slides, body.slots, { firstPage: cover.pages })
  describe(doc, `${input.deck.title}: participant handout`, input.format)
  const bytes = await doc.save()
  return { bytes, pages: doc.getPageCount() }
}

export async function buildGuide(printer: Printer, input: GuideInput, slides: PDFDocument): Promise<Built> {
  const footer = `${input.deck.title} · Facilitator guide · ${input.format}`
  const printed = await printer.print(guideHtml(input), { paper: input.paper, footer, name: 'the facilitator guide' })
  const doc = await PDFDocument.load(printed.pdf)
  await stampSlides(doc, slides, printed.slots, { firstPage: 0 })
  describe(doc, `${input.deck.title}: facilitator guide`, input.format)
  const bytes = await doc.save()
  return { bytes, pages: doc.getPageCount() }
}

export async function buildCards(printer: Printer, input: CardsInput): Promise<Built> {
  const footer = `${input.title} · Scenario cards for the table activity`
  const printed = await printer.print(cardsHtml(input), { paper: input.paper, footer, name: 'the scenario cards' })
  const doc = await PDFDocument.load(printed.pdf)
  describe(doc, `${input.title}: scenario cards`, 'One card per moment, for the table activity')
  const bytes = await doc.save()
  return { bytes, pages: doc.getPageCount() }
}

export async function buildReport(printer: Printer, input: ReportInput): Promise<Built> {
  const footer = `${input.title} · ${input.figures.session.name} · Report for the sponsor · aggregated and anonymous`
  const printed = await printer.print(reportHtml(input), { paper: input.paper, footer, name: 'the sponsor report' })
  const doc = await PDFDocument.load(printed.pdf)
  describe(doc, `${input.title}: report for the sponsor, ${input.figures.session.name}`, 'Aggregated and anonymous')
  const bytes = await doc.save()
  return { bytes, pages: doc.getPageCount() }
}
