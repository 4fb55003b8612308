import type { FastifyInstance } from 'fastify';
import { PROJECT_ROOT } from '../lib/config/project-root.js';
import { bundledOnFirstUse, serveBundle } from './browser-bundle.js';

// The gateway's own GraphQL explorer, for closed networks: GraphiQL from npm, bundled by
// esbuild on first use and served from memory, so no request leaves the machine (no CDN, no
// web font, no telemetry). The page is docs/explorer.md's; Apollo Sandbox stays available by
// configuration (gateway.explorer: "sandbox") where there is internet.

export const EXPLORER_PATH = '/explorer';

/**
 * React's production build, chosen by replacing this expression in the browser bundle. It is
 * a name in code for the browser, not this process reading its environment (which only
 * lib/config/env.ts does: tests/unit/boundaries.test.ts), hence spelled out in parts.
 */
const BROWSER_NODE_ENV = ['process', 'env', 'NODE_ENV'].join('.');

/** The browser code: GraphiQL on the page's config (endpoint, headers, query). A string, bundled for the browser, not for Node. */
const ENTRY = `
import React from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import 'graphiql/graphiql.css';

const config = JSON.parse(document.getElementById('explorer-config').textContent);
async function fetcher(params, options) {
  const headers = { 'content-type': 'application/json', ...(options && options.headers) };
  const response = await fetch(config.endpoint, { method: 'POST', headers, body: JSON.stringify(params) });
  return response.json();
}
createRoot(document.getElementById('explorer')).render(
  React.createElement(GraphiQL, {
    fetcher,
    defaultQuery: config.query,
    headers: JSON.stringify(config.headers, null, 2),
    isHeadersEditorEnabled: true,
    defaultEditorToolsVisibility: 'headers',
    shouldPersistHeaders: false,
  }),
);
`;

/** The bundle: GraphiQL and React, fonts and images inlined into the stylesheet. */
export const explorerAssets = bundledOnFirstUse({
  stdin: { contents: ENTRY, resolveDir: PROJECT_ROOT, loader: 'js', sourcefile: 'explorer.js' },
  outdir: 'explorer',
  // Fonts and images the stylesheet names travel inside it: nothing is fetched from elsewhere.
  loader: { '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl', '.svg': 'dataurl', '.png': 'dataurl' },
  define: { [BROWSER_NODE_ENV]: '"production"' },
  legalComments: 'none',
});

/** The page: the explorer's two assets from this gateway, and its config as JSON that cannot end the script element. */
export function explorerPage(config: { endpoint: string; headers: Record<string, string>; query: string }): string {
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Records federation explorer</title>
<link rel="stylesheet" href="${EXPLORER_PATH}/explorer.css">
<style>html, body, #explorer { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="explorer"></div>
<script id="explorer-config" type="application/json">${json}</script>
<script src="${EXPLORER_PATH}/explorer.js"></script>
</body>
</html>
`;
}

/** GET /explorer/explorer.js and /explorer/explorer.css. */
export function explorerRoutes(app: FastifyInstance): void {
  serveBundle(app, EXPLORER_PATH, 'explorer', explorerAssets);
}
