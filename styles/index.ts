// The decks' fonts, bundled from npm: nothing is fetched at run time, so slides look the same on
// a venue's offline Wi-Fi, in presenter mode and in the PDF export (headmatter: fonts.provider
// none). Fraunces for titles and quotes, Figtree for everything else, Noto Color Emoji for emoji.
import '@fontsource-variable/figtree/wght.css'
import '@fontsource-variable/fraunces/opsz.css'
import '@fontsource-variable/fraunces/opsz-italic.css'
// Noto Color Emoji as a COLRv1 font, which Chromium draws (the Fontsource package is OpenType-SVG,
// which it does not); browsers without COLRv1 skip it and use their own emoji font.
import '@infolektuell/noto-color-emoji/index.css'
// The kit's look: the neutral palette, the layouts' building blocks and the slide text sizes.
import './kit.css'
