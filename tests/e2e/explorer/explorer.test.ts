import { existsSync, statSync } from 'node:fs';
import http from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, onlyOrigin, screenshotPath } from '../../helpers/browser.js';
import { startTestFederation, type TestFederation } from '../../helpers/federation.js';

// The gateway's own explorer, opened in headless Chromium (Debian's, driven by playwright-core)
// with every request that would leave the machine cut, as on a closed police network: the page
// loads, its headers come pre-filled on loopback, and a query run in it shows the federation's
// answer. A screenshot of the answer is kept (test-results/screenshots/explorer.png).

let fed: TestFederation;
let browser: Browser;

beforeAll(async () => {
  fed = await startTestFederation();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await fed?.stop();
});

describe('the local explorer', () => {
  it('loads and runs a query with the network cable pulled, asking nothing of any other host', async () => {
    const origin = new URL(fed.gatewayUrl).origin;
    const page = await browser.newPage();
    const elsewhere = await onlyOrigin(page, origin);
    await page.goto(fed.gatewayUrl);
    await page.locator('.graphiql-container').waitFor({ timeout: 20_000 });
    // Loopback: the demo partner's token and a purpose are in the headers editor.
    await page.getByText('Headers', { exact: true }).click();
    const headers = await page.locator('.graphiql-editor-tool').innerText();
    expect(headers).toMatch(/Authorization/);
    expect(headers).toMatch(/X-Purpose/);
    const answered = page.waitForResponse((response) => response.request().method() === 'POST' && response.url().startsWith(origin));
    await page.locator('.graphiql-execute-button').click();
    const answer = (await (await answered).json()) as { data: { notices: { agency: { code: string } }[] } };
    expect(new Set(answer.data.notices.map((notice) => notice.agency.code))).toEqual(
      new Set(['INTERPOL', 'EUROPOL', 'ASEANAPOL', 'LMLECC']),
    );
    // And the page shows it (the editor draws the lines in view).
    await expect.poll(() => page.locator('.result-window').innerText(), { timeout: 20_000 }).toMatch(/"notices"/);
    const shot = screenshotPath('explorer.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(existsSync(shot) && statSync(shot).size > 10_000).toBe(true);
    expect(elsewhere).toEqual([]);
    await page.close();
  });

  it('serves its assets from the gateway, with no token for a browser that is not on this machine', async () => {
    const js = await fetch(new URL('/explorer/explorer.js', fed.gatewayUrl));
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    const css = await fetch(new URL('/explorer/explorer.css', fed.gatewayUrl));
    expect(css.status).toBe(200);
    // The page names no other host: its script and stylesheet are the gateway's own.
    const page = await (await fetch(fed.gatewayUrl, { headers: { accept: 'text/html' } })).text();
    expect(page).toContain('<script src="/explorer/explorer.js">');
    expect(page).not.toMatch(/https?:\/\//);
    expect(page).toMatch(/Bearer ey/);
    // The same gateway asked under another host name (a rebinding page, or the network) gets no token.
    const port = new URL(fed.gatewayUrl).port;
    const other = await new Promise<string>((resolve, reject) => {
      const headers = { accept: 'text/html', host: `records.example:${port}` };
      const asked = http.get({ host: '127.0.0.1', port, path: '/', headers }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk));
        response.on('end', () => resolve(body));
      });
      asked.on('error', reject);
    });
    expect(other).toContain('explorer-config');
    expect(other).not.toMatch(/Bearer/);
  });
});
