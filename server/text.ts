// Text that attendees type (questions, open answers, names, words, action steps): cleaned once,
// where it comes in, so every surface shows the same text (the slide, the presenter view, the
// phone, the PDFs, the exports). No dependencies: the phone page imports it too.

/**
 * Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069). One of them
 * makes a question read backwards ("‮elbisivni" shows as "invisible‬") or spill into the text after
 * it, so they are removed. Right-to-left writing still shows as written: every view isolates
 * attendee text (dir="auto", <bdi>), which needs no control character.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g

/**
 * What shows nothing on a screen or a page: spaces, control and format characters (zero-width
 * spaces and joiners, bidi marks), the other default-ignorable ones (Hangul fillers, variation
 * selectors) and the braille blank. A text made only of these is refused.
 */
const INVISIBLE = /[\p{White_Space}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/gu

export function withoutBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '')
}

/**
 * Attendee text inside a sentence of ours ("You said …", "… (3)"): first-strong isolates around it,
 * so right-to-left text keeps its order without reordering the words around it.
 */
export function isolate(text: string): string {
  return `\u2068${text}\u2069`
}

/** One line of text as stored: normalised (NFKC), no bidi controls, single spaces, trimmed. */
export function cleanLine(text: string): string {
  return withoutBidiControls(text.normalize('NFKC')).trim().replace(/\s+/g, ' ')
}

/** True when nothing of the text would show: it is empty once invisible characters are removed. */
export function isInvisible(text: string): boolean {
  return text.replace(INVISIBLE, '') === ''
}

/** The reason given for text that would show nothing (`what`: "question", "word", …). */
export const invisibleText = (what: string) =>
  `That ${what} would show as blank (only spaces or invisible characters): write it with letters or emoji.`
