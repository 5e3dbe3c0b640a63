// The 2×2: each item is placed on two scales from 0 to LIMITS.matrixSteps. Choose an item, then
// tap the grid where it belongs (x grows to the right, y grows up), or move the two sliders,
// which work with a keyboard and a screen reader and need no precise tap.
import { pointKey, readKey } from '../answers.ts'
import { LIMITS } from '../limits.ts'
import type { Axis } from '../poll-definition.ts'
import type { PollView } from '../protocol.ts'
import { el, form } from './dom.ts'

type Point = { x: number; y: number }
const STEPS = LIMITS.matrixSteps

export function matrix(
  poll: PollView,
  saved: string[] | undefined,
  vote: (answer: string[]) => Promise<boolean>,
): HTMLElement[] {
  const x = poll.x as Axis
  const y = poll.y as Axis
  const items = poll.options
  const placed = new Map<string, Point>()
  for (const key of saved ?? []) {
    const read = readKey(key)
    if (read && 'x' in read) placed.set(read.id, { x: read.x, y: read.y })
  }
  let active = items.find((item) => !placed.has(item.id))?.id ?? items[0]?.id ?? ''

  const chips = items.map((item, i) => {
    const state = el('span', { className: 'small' })
    const button = el(
      'button',
      { type: 'button' },
      el('span', { className: 'place', textContent: String(i + 1) }),
      el('span', {}, item.label, state),
    )
    button.addEventListener('click', () => {
      active = item.id
      update()
    })
    return { id: item.id, button, state }
  })
  const dots = items.map((_, i) => el('span', { className: 'dot', textContent: String(i + 1) }))
  const quadrants = (poll.quadrants ?? []).map((name, i) => el('span', { className: `quad q${i}`, textContent: name }))
  const grid = el(
    'div',
    { className: 'grid' },
    ...quadrants,
    el('span', { className: 'end', style: 'top:.2rem', textContent: y.high }),
    el('span', { className: 'end', style: 'bottom:.2rem', textContent: y.low }),
    ...dots,
  )
  grid.setAttribute('aria-hidden', 'true') // the sliders say the same in words
  grid.addEventListener('click', (event) => {
    const box = grid.getBoundingClientRect()
    const step = (share: number) => Math.min(STEPS, Math.max(0, Math.round(share * STEPS)))
    placed.set(active, {
      x: step((event.clientX - box.left) / box.width),
      y: step(1 - (event.clientY - box.top) / box.height),
    })
    // A tap places the item and moves on to the next one still to place.
    active = items.find((item) => !placed.has(item.id))?.id ?? active
    update()
  })

  const slider = (axis: Axis, id: string) => {
    const input = el('input', { type: 'range', id, min: '0', max: String(STEPS), step: '1' })
    input.addEventListener('input', () => {
      placed.set(active, { x: Number(sliders.x.value), y: Number(sliders.y.value) })
      update()
    })
    const label = el(
      'label',
      { htmlFor: id },
      axis.label,
      el('span', { className: 'small', textContent: `0 ${axis.low} · ${STEPS} ${axis.high}` }),
    )
    return { input, field: el('div', { className: 'field' }, label, input) }
  }
  const sx = slider(x, 'matrix-x')
  const sy = slider(y, 'matrix-y')
  const sliders = { x: sx.input, y: sy.input }
  const legend = el('legend')
  const send = el('button', { type: 'submit', className: 'primary' })

  function update(): void {
    const point = placed.get(active)
    chips.forEach(({ id, button, state }, i) => {
      const at = placed.get(id)
      state.textContent = at ? ` · ${at.x}, ${at.y}` : ' · not placed'
      button.setAttribute('aria-pressed', String(id === active))
      button.classList.toggle('placed', Boolean(at))
      const dot = dots[i] as HTMLElement
      dot.hidden = !at
      dot.classList.toggle('on', id === active)
      if (at) dot.style.cssText = `left:${at.x * 10}%;bottom:${at.y * 10}%`
    })
    const label = items.find((item) => item.id === active)?.label ?? ''
    legend.textContent = `Placing: ${label}`
    for (const [input, axis, value] of [
      [sliders.x, x, point?.x],
      [sliders.y, y, point?.y],
    ] as const) {
      input.value = String(value ?? STEPS / 2)
      input.setAttribute(
        'aria-valuetext',
        value === undefined ? 'not placed' : `${value}: ${value * 2 < STEPS ? axis.low : axis.high}`,
      )
    }
    const left = items.length - placed.size
    send.disabled = left > 0
    send.textContent = left ? `Place ${left} more` : 'Send my places'
  }
  update()

  const submit = async () => {
    send.disabled = true
    await vote(
      items.map((item) => {
        const at = placed.get(item.id) as Point
        return pointKey(item.id, at.x, at.y)
      }),
    )
    send.disabled = false
  }
  return [
    el('p', { className: 'hint', textContent: 'Choose an item, then tap where it belongs, or use the sliders.' }),
    el('div', { className: 'chips' }, ...chips.map((chip) => chip.button)),
    el('p', { className: 'axis', textContent: `↑ ${y.label}` }),
    grid,
    el('p', { className: 'ends' }, el('span', { textContent: x.low }), el('span', { textContent: x.high })),
    el('p', { className: 'axis', textContent: `${x.label} →` }),
    el('fieldset', { className: 'sliders' }, legend, sx.field, sy.field),
    form(submit, send),
  ]
}
