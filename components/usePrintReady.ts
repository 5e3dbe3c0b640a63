// Slidev's export prints the page once its network has been idle for half a second. On a busy
// machine that could happen before the app had drawn a single slide, and the PDF came out
// blank. So while printing, slides/index.html keeps one request open (server/vite-plugin.ts
// holds it) and the deck lets go of it only once everything to print is drawn: every slide of
// the range laid out, fonts loaded, stored results fetched. If that never happens the export
// fails with its timeout instead of printing an empty page.
import { ref } from 'vue'

declare global {
  interface Window {
    __printHold?: AbortController
  }
}

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

/** Releases the request that keeps the exporter waiting, once the printed page is complete. */
export async function releaseWhenPrintReady(expectedSlides: number): Promise<void> {
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    if (!drawn(expectedSlides)) continue
    await document.fonts.ready
    // Two frames: whatever the last data changed is laid out before the check is repeated.
    await nextFrame()
    await nextFrame()
    if (drawn(expectedSlides) && document.fonts.status === 'loaded') break
  }
  window.__printHold?.abort()
}
