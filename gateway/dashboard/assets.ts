import { fileURLToPath } from 'node:url';
import { bundledOnFirstUse } from '../browser-bundle.js';

// The dashboard's script and stylesheet: the page's browser code (browser/) with Chart.js
// from node_modules, bundled on first use and served from memory, as the explorer is
// (gateway/browser-bundle.ts).

/** The browser code: plain JavaScript for the browser, bundled here, never compiled or run by Node. */
const ENTRY = fileURLToPath(new URL('./browser/main.js', import.meta.url));

export const dashboardAssets = bundledOnFirstUse({
  entryPoints: [ENTRY],
  outdir: 'dashboard',
  // Chart.js's licence notice (MIT) travels with the bundle.
  legalComments: 'eof',
});
