#!/usr/bin/env node
// The kit's command line for a deck of your own: `npx workshop-kit start --entry slides.md`
// builds the deck (when it changed) and serves it with the live polls on one port, as `npm start`
// does in the kit's repository. The kit is TypeScript run as it is: tsx loads it.
import { register } from 'tsx/esm/api'

register()
await import('../server/cli.ts')
