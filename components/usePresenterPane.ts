// Whether this slide's presenter controls belong under the slide now: in the presenter window's
// "Current" pane, on the slide that is on screen (Slidev keeps the neighbouring slides mounted),
// never in print mode. The slide itself stays as the room sees it.
import { useNav, useSlideContext } from '@slidev/client'
import { type ComputedRef, computed } from 'vue'

export function usePresenterPane(): ComputedRef<boolean> {
  const { $renderContext, $page } = useSlideContext()
  const { isPrintMode, isPresenter, currentSlideNo } = useNav()
  return computed(
    () =>
      isPresenter.value &&
      !isPrintMode.value &&
      $renderContext.value === 'presenter' &&
      $page.value === currentSlideNo.value,
  )
}
