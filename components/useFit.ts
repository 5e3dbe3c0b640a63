// How many items of a list fit in the height its box has, so a slide never shows half a card or
// runs off the bottom. Items that do not fit are hidden (not removed: the order stays honest and
// the list does not jump), and the slide says how many more there are.
import { nextTick, onBeforeUnmount, onMounted, type Ref, ref, watch } from 'vue'

/**
 * Items are the box's element children in order (the box must be `position: relative`, so their
 * offsets are measured from it); `source` changes when they may have changed.
 */
export function useFit(box: Ref<HTMLElement | null>, source: () => unknown): Ref<number> {
  const fitting = ref(Number.POSITIVE_INFINITY)
  let observer: ResizeObserver | null = null

  function measure() {
    const el = box.value
    if (!el) return
    const items = [...el.children].filter((child): child is HTMLElement => child instanceof HTMLElement)
    // Items change size too (fonts arriving, text wrapping): watch them as well as the box.
    for (const item of items) observer?.observe(item)
    // offsetTop ignores transforms, so a reordering animation in flight does not count.
    const limit = el.clientHeight + 1
    const first = items.findIndex((item) => item.offsetTop + item.offsetHeight > limit)
    fitting.value = first < 0 ? items.length : first
  }

  onMounted(() => {
    observer = new ResizeObserver(() => measure())
    if (box.value) observer.observe(box.value)
    measure()
  })
  onBeforeUnmount(() => observer?.disconnect())
  watch(source, () => nextTick(measure), { deep: true })
  return fitting
}
