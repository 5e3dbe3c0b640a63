// A small, safe Markdown-to-HTML converter for facilitator notes. Everything is HTML-escaped
// first; only the tags this file writes itself ever reach the page: paragraphs, lists, quotes,
// strong, em, code, and links shown as text. Raw HTML in notes is shown as text, never run.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function escapeHtml(text: unknown): string {
  return String(text ?? '').replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char)
}

/** Inline Markdown on already-escaped text. */
function inline(escaped: string): string {
  const codes: string[] = []
  return (
    escaped
      // Code spans first, so their content is left alone.
      .replace(/`([^`]+)`/g, (_, code: string) => {
        codes.push(code)
        return `\uE000${codes.length - 1}\uE000`
      })
      // [text](url): the text, with the address after it; never a live link in print.
      .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_, text: string, url: string) => `${text} (${url})`)
      .replace(/\*\*(?=\S)(.+?)\*\*/g, '<strong>$1</strong>')
      .replace(/__(?=\S)(.+?)__/g, '<strong>$1</strong>')
      .replace(/(^|[^*\w])\*(?=\S)([^*]+?)\*(?!\*)/g, '$1<em>$2</em>')
      .replace(/(^|[^\w])_(?=\S)([^_]+?)_(?![\w])/g, '$1<em>$2</em>')
      .replace(/\uE000(\d+)\uE000/g, (_, index: string) => `<code>${codes[Number(index)] ?? ''}</code>`)
  )
}

const CUES = /^<strong>([A-Z][\w '’-]{0,30}?):<\/strong>\s*/

/**
 * Notes Markdown to HTML. A paragraph that starts with a bold label ("**Say:**", "**Ask:**")
 * gets a cue badge, so a facilitator can scan the guide for what to say and what to do.
 */
export function notesToHtml(markdown: string): string {
  const lines = escapeHtml(markdown.replace(/\r\n?/g, '\n')).split('\n')
  const out: string[] = []
  let paragraph: string[] = []
  let list: { tag: 'ul' | 'ol'; items: string[] } | null = null
  let quote: string[] = []

  const flushParagraph = () => {
    if (!paragraph.length) return
    let html = inline(paragraph.join(' ').trim())
    const cue = CUES.exec(html)
    if (cue) {
      const name = cue[1] ?? ''
      const kind = name.toLowerCase().replace(/[^a-z]+/g, '-')
      html = `<span class="cue cue-${kind}">${name}</span> ${html.slice(cue[0].length)}`
    }
    out.push(`<p>${html}</p>`)
    paragraph = []
  }
  const flushQuote = () => {
    if (!quote.length) return
    out.push(`<blockquote><p>${inline(quote.join(' ').trim())}</p></blockquote>`)
    quote = []
  }
  const flushList = () => {
    if (!list) return
    out.push(`<${list.tag}>${list.items.map((item) => `<li>${inline(item)}</li>`).join('')}</${list.tag}>`)
    list = null
  }

  for (const raw of lines) {
    const line = raw.trimEnd()
    const bullet = /^\s*[-*+]\s+(.*)$/.exec(line)
    const numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line)
    const quoted = /^\s*&gt;\s?(.*)$/.exec(line)
    if (!line.trim()) {
      flushParagraph()
      flushList()
      flushQuote()
    } else if (quoted) {
      flushParagraph()
      flushList()
      quote.push(quoted[1] ?? '')
    } else if (bullet || numbered) {
      flushParagraph()
      const tag = bullet ? 'ul' : 'ol'
      if (list && list.tag !== tag) flushList()
      list ??= { tag, items: [] }
      list.items.push((bullet ?? numbered)?.[1] ?? '')
    } else if (list && /^\s{2,}\S/.test(raw)) {
      // A continuation line of the last list item.
      list.items[list.items.length - 1] += ` ${line.trim()}`
    } else {
      flushList()
      // Headings in notes become bold paragraphs: the guide has its own heading levels.
      const heading = /^#{1,6}\s+(.*)$/.exec(line)
      paragraph.push(heading ? `**${heading[1]}**` : line.trim())
    }
  }
  flushParagraph()
  flushList()
  flushQuote()
  return out.join('\n')
}
