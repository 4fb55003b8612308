import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../lib/config/project-root.js';

// Headless Chromium for the browser tests (the explorer, the dashboard): Debian's chromium,
// driven by playwright-core, and a network cut to everything but the gateway, as on a closed
// police network. Screenshots are kept after the run in test-results/screenshots/ (ignored
// by git), for a person to look at.

const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = path.join(PROJECT_ROOT, 'test-results', 'screenshots');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

/** Where a test's screenshot goes (the folder made when missing). */
export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return path.join(SCREENSHOTS, name);
}

/**
 * Cuts `target` (a page or a whole browser context) off from every origin but `origin`:
 * each request elsewhere is aborted as if the cable were pulled, and listed in the array
 * returned, which a test expects to stay empty.
 */
export async function onlyOrigin(target: Page | BrowserContext, origin: string): Promise<string[]> {
  const elsewhere: string[] = [];
  await target.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`) || url.startsWith('data:')) return route.continue();
    elsewhere.push(url);
    return route.abort('internetdisconnected');
  });
  return elsewhere;
}
