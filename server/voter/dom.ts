// Small DOM helpers the phone page's parts share. Text from people is only ever set as
// textContent (or an input's value), never parsed as markup.

export const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Record<string, unknown> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  Object.assign(node, props)
  node.append(...children)
  return node
}

/** Random id made on the phone; crypto.getRandomValues works on plain-http LAN pages too. */
export function randomId(bytes = 12): string {
  const values = crypto.getRandomValues(new Uint8Array(bytes))
  return Array.from(values, (v) => v.toString(36).padStart(2, '0')).join('')
}

/** Tells screen readers what changed on its own: a question opened, closed, time running out. */
export function announce(text: string): void {
  $('announce').textContent = text
}

/** A status line: what happened to the last thing sent, in words. */
export function say(node: HTMLElement, text: string, tone: 'ok' | 'bad' | '' = ''): void {
  node.textContent = text
  node.dataset.tone = tone
}

/**
 * A labelled text box with a live "12 / 280" counter under it. The counter is read out only
 * when someone asks for it (aria-describedby), not at every keystroke.
 */
export function textBox(id: string, label: string, maxLength: number, rows = 3): [HTMLElement, HTMLTextAreaElement] {
  const box = el('textarea', { id, rows, maxLength })
  const count = el('span', { id: `${id}-count`, className: 'count' })
  const update = () => {
    count.textContent = `${box.value.length} / ${maxLength}`
  }
  box.setAttribute('aria-describedby', count.id)
  box.addEventListener('input', update)
  update()
  const row = el('div', { className: 'label-row' }, el('label', { htmlFor: id, textContent: label }), count)
  return [el('div', { className: 'field' }, row, box), box]
}

/** A form whose submit runs `onSubmit` without leaving the page. */
export function form(onSubmit: () => unknown, ...children: Node[]): HTMLFormElement {
  const node = el('form', {}, ...children)
  node.addEventListener('submit', (event) => {
    event.preventDefault()
    onSubmit()
  })
  return node
}
