// Runs inside Chromium before printing. Every printed page is one `.sheet` of exactly the
// printable height, so where a sheet is, a page is: that is what lets pdf-lib put each slide
// thumbnail into its frame afterwards. Fixed pages are written as sheets directly; a `.flow`
// (slide notes, poll results) is packed here into as many sheets as it needs, block by block,
// never splitting a block. The script returns where every `[data-slot]` frame ended up, and on
// which page each `[data-section]` starts (for a table of contents printed afterwards).
//
// Kept as plain JavaScript in a string: it is sent to the browser as it is, not compiled.
export const PAGER_SCRIPT = String.raw`
(() => {
  const overflows = (body) => {
    const limit = body.getBoundingClientRect().bottom + 0.5
    for (const child of body.children) {
      if (child.getBoundingClientRect().bottom > limit) return true
    }
    return body.scrollHeight > body.clientHeight + 1
  }

  // Emoji that no installed font can draw would print as empty boxes: hide them (their name
  // is printed beside them). A glyph is missing when it paints exactly like a noncharacter.
  const canvas = document.createElement('canvas')
  canvas.width = 48
  canvas.height = 48
  const ctx = canvas.getContext('2d', { willReadFrequently: true })
  const paint = (text, font) => {
    ctx.clearRect(0, 0, 48, 48)
    ctx.font = font
    ctx.fillStyle = '#000'
    ctx.textBaseline = 'top'
    ctx.fillText(text, 4, 4)
    return ctx.getImageData(0, 0, 48, 48).data.join(',')
  }
  for (const element of document.querySelectorAll('[data-glyph]')) {
    const font = '32px ' + getComputedStyle(element).fontFamily
    const text = element.textContent.replace(/\uFE0F/g, '')
    if (paint(text, font) === paint('\uFFFF', font)) element.classList.add('no-glyph')
  }

  for (const flow of [...document.querySelectorAll('.flow')]) {
    const intro = flow.querySelector(':scope > .flow-intro')
    const blocks = [...flow.children].filter((child) => child !== intro)
    const title = flow.dataset.title || ''
    const extra = flow.dataset.sheetClass || ''
    let count = 0
    const newSheet = () => {
      const sheet = document.createElement('section')
      sheet.className = 'sheet flow-sheet ' + extra
      if (count === 0 && intro) sheet.appendChild(intro)
      else if (title) {
        const running = document.createElement('header')
        running.className = 'running'
        running.textContent = title + (count > 0 ? ' (continued)' : '')
        sheet.appendChild(running)
      }
      const body = document.createElement('div')
      body.className = 'sheet-body'
      sheet.appendChild(body)
      flow.before(sheet)
      count++
      return body
    }
    // A table marked .splittable may continue on the next sheet (its header repeated) rather
    // than moving there whole; it keeps at least two rows on each side of the break.
    const split = (block, body) => {
      const table = block.querySelector('table')
      const rows = table && table.tBodies[0] ? [...table.tBodies[0].rows] : []
      if (rows.length < 4) return null
      const rest = block.cloneNode(true)
      const restBody = rest.querySelector('table').tBodies[0]
      restBody.replaceChildren()
      rest.querySelector('tfoot')?.remove()
      const foot = table.tFoot
      if (foot) foot.remove()
      const moved = []
      while (overflows(body) && rows.length - moved.length > 2) {
        const row = rows[rows.length - 1 - moved.length]
        moved.unshift(row)
        row.remove()
      }
      if (overflows(body) || moved.length < 2) {
        for (const row of moved) table.tBodies[0].appendChild(row)
        if (foot) table.appendChild(foot)
        return null
      }
      for (const row of moved) restBody.appendChild(row)
      if (foot) rest.querySelector('table').appendChild(foot)
      const heading = rest.querySelector('h2, h3')
      if (heading && !heading.textContent.endsWith('(continued)')) heading.textContent += ' (continued)'
      // The block's introduction was read on the first page: the rest is the table.
      for (const note of rest.querySelectorAll(':scope > p')) note.remove()
      return rest
    }

    let body = newSheet()
    const queue = [...blocks]
    while (queue.length) {
      const block = queue.shift()
      body.appendChild(block)
      if (!overflows(body)) continue
      if (block.classList.contains('splittable')) {
        const rest = split(block, body)
        if (rest) {
          body = newSheet()
          queue.unshift(rest)
          continue
        }
      }
      if (body.children.length > 1) {
        block.remove()
        // A block marked keep-with-next moves along with the block that follows it.
        const carried = []
        while (body.lastElementChild && body.lastElementChild.classList.contains('keep-with-next')) {
          carried.unshift(body.lastElementChild)
          body.lastElementChild.remove()
        }
        body = newSheet()
        for (const node of carried) body.appendChild(node)
        body.appendChild(block)
      }
      // Taller than a whole page on its own: shrink it to fit rather than clip it.
      let zoom = 1
      while (overflows(body) && zoom > 0.55) {
        zoom -= 0.05
        block.style.zoom = String(zoom)
      }
    }
    flow.remove()
  }

  const sheets = [...document.querySelectorAll('.sheet')]
  const problems = []
  sheets.forEach((sheet, index) => {
    const body = sheet.querySelector('.sheet-body') || sheet
    const bottom = sheet.getBoundingClientRect().bottom + 0.5
    const clipped = [...sheet.querySelectorAll('*')].some((node) => node.getBoundingClientRect().bottom > bottom)
    if (clipped || sheet.scrollHeight > sheet.clientHeight + 1 || overflows(body)) {
      const slides = [...sheet.querySelectorAll('[data-slot]')].map((slot) => Number(slot.dataset.slot))
      problems.push({ page: index + 1, slides })
    }
  })
  const slots = [...document.querySelectorAll('[data-slot]')].map((slot) => {
    const sheet = slot.closest('.sheet')
    const a = sheet.getBoundingClientRect()
    const b = slot.getBoundingClientRect()
    return {
      page: sheets.indexOf(sheet),
      slide: Number(slot.dataset.slot),
      x: b.left - a.left,
      y: b.top - a.top,
      width: b.width,
      height: b.height,
    }
  })
  const sections = {}
  for (const mark of document.querySelectorAll('[data-section]')) {
    const sheet = mark.closest('.sheet')
    if (sheet && !(mark.dataset.section in sections)) sections[mark.dataset.section] = sheets.indexOf(sheet) + 1
  }
  return { pages: sheets.length, slots, overfull: problems, sections }
})()
`
