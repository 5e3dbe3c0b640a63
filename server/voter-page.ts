// Builds the phone page once at start-up: the script (with the Socket.IO client) is bundled by
// esbuild and inlined, so a phone on a slow network needs one request. The gzipped copy is
// kept in memory and sent as is.
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const here = dirname(fileURLToPath(import.meta.url))

export interface VoterPage {
  html: Buffer
  gzipped: Buffer
}

export async function buildVoterPage(): Promise<VoterPage> {
  const [template, bundle] = await Promise.all([
    readFile(join(here, 'voter', 'index.html'), 'utf8'),
    build({
      entryPoints: [join(here, 'voter', 'main.ts')],
      bundle: true,
      minify: true,
      write: false,
      format: 'iife',
      target: 'es2020',
      legalComments: 'none',
    }),
  ])
  const script = bundle.outputFiles[0]?.text ?? ''
  // A literal "</script" inside the bundle would end the inline script early.
  const inline = script.replaceAll('</script', '<\\/script')
  const html = Buffer.from(template.replace('/*VOTER_SCRIPT*/', () => inline))
  return { html, gzipped: gzipSync(html, { level: 9 }) }
}
