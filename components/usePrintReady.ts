// Slidev's export prints the page as soon as its network is idle and every `[data-waitfor]`
// element on it holds a visible match. On a busy machine the network can go idle before the app
// has drawn a single slide, and the PDF came out blank. So slides/index.html ships one
// `[data-waitfor]` element, and the deck fills it only once everything to print is drawn: every
// slide of the range laid out, fonts loaded, stored results fetched. If that never happens the
// export fails with Slidev's timeout instead of printing an empty page.
import { ref } from 'vue'

const pending = ref(0)

/** Data a printed slide shows (stored results, the join address): the PDF waits for it. */
export function beforePrinting<T>(work: Promise<T>): Promise<T> {
  pending.value++
  return work.finally(() => pending.value--)
}

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve))

function drawn(expectedSlides: number): boolean {
  const slides = [...document.querySelectorAll('.print-slide-container')]
  return (
    slides.length >= expectedSlides &&
    slides.every((slide) => slide.querySelector('.slidev-layout')) &&
    !document.querySelector('.slidev-slide-loading') &&
    pending.value === 0
  )
}

/** Puts the mark that slides/index.html's `[data-waitfor]` asks for, once the page is complete. */
export async function markWhenPrintReady(expectedSlides: number): Promise<void> {
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    if (!drawn(expectedSlides)) continue
    await document.fonts.ready
    // Two frames: whatever the last data changed is laid out before the check is repeated.
    await nextFrame()
    await nextFrame()
    if (drawn(expectedSlides) && document.fonts.status === 'loaded') break
  }
  const mark = document.createElement('i')
  mark.className = 'print-ready-mark'
  mark.style.cssText = 'display: block; width: 1px; height: 1px'
  document.getElementById('print-ready')?.append(mark)
}
