import { existsSync, statSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, onlyOrigin, screenshotPath } from '../../helpers/browser.js';
import { postGraphQL, startTestFederation, type CallerSpec, type TestFederation } from '../../helpers/federation.js';

// The gateway's cooperation dashboard, opened in headless Chromium (Debian's, driven by
// playwright-core) in a German-speaking browser with every request that would leave the
// machine cut: on loopback it signs in with the demo token, and every table and every
// Chart.js chart holds the figures the API gives the same token, written the German way.
// Worked out here from the API's answer, never from the page's. A pasted garbage token
// gets the API's one line and no figures; a node that is down is named, the others shown.

const LOCALE = 'de-DE';

let fed: TestFederation;
let browser: Browser;

const THAI_OFFICER: CallerSpec = { agency: 'TH-RTP', roles: ['officer'] };
const EUROPOL_REVIEWER: CallerSpec = { agency: 'EUROPOL', roles: ['reviewer'] };

beforeAll(async () => {
  fed = await startTestFederation({ nodeTimeoutMs: 1000 });
  browser = await launchChromium();
  // Figures to show: TH-RTP reads records (disclosures in full and as hits) and asks EUROPOL
  // for two of its hits, one denied and one left pending.
  await fed.query('{ notices(first: 20) { id } cases(first: 20) { id } }', {}, { as: THAI_OFFICER });
  const { data } = await fed.query<{ subjects: { id: string; disclosure: string }[] }>(
    '{ subjects(first: 100, agencies: ["EUROPOL"]) { id disclosure } }',
    {},
    { as: THAI_OFFICER },
  );
  const hits = data!.subjects.filter((subject) => subject.disclosure === 'HIT_ONLY').map((subject) => subject.id);
  expect(hits.length).toBeGreaterThanOrEqual(2);
  const asked: string[] = [];
  for (const [index, recordId] of hits.slice(0, 2).entries()) {
    const answer = await fed.query<{ requestAccess: { id: string } }>(
      `mutation($recordId: ID!, $key: String!) { requestAccess(recordId: $recordId, purpose: CRIMINAL_INVESTIGATION,
         justification: "Dashboard test", idempotencyKey: $key) { id } }`,
      { recordId, key: `dashboard-${index}` },
      { as: THAI_OFFICER },
    );
    asked.push(answer.data!.requestAccess.id);
  }
  const denied = await fed.query(
    'mutation($id: ID!) { decideAccessRequest(id: $id, decision: DENY, note: "no") { id } }',
    { id: asked[0] },
    {
      as: EUROPOL_REVIEWER,
    },
  );
  expect(denied.errors).toBeUndefined();
});

afterAll(async () => {
  await browser?.close();
  await fed?.stop();
});

interface Report {
  agency: { code: string; name: string };
  from: string;
  to: string;
  noticesInForce: { colour: string; count: number }[];
  casesByCrimeType: { crimeType: string; open: number; closed: number }[];
  jointCases: { partner: { code: string }; count: number }[];
  accessRequests: Record<'received' | 'answered' | 'approved' | 'denied' | 'pending', number> & {
    medianHoursToDecision: number | null;
    p90HoursToDecision: number | null;
  };
  disclosures: { month: string; partner: { code: string }; full: number; hitOnly: number }[];
}

const REPORT = `query($period: Period) { cooperationReport(period: $period) { agency { code name } from to noticesInForce { colour count }
  casesByCrimeType { crimeType open closed } jointCases { partner { code } count }
  accessRequests { received answered approved denied pending medianHoursToDecision p90HoursToDecision }
  disclosures { month partner { code } full hitOnly } } }`;

/** A figure as the page should show it: its table's body rows (as text) and its chart's data (numbers). */
interface Expected {
  rows: string[][];
  chart?: { labels: string[]; datasets: { label: string; data: number[] }[] };
}

const number = new Intl.NumberFormat(LOCALE);
const hours = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1 });
const monthName = new Intl.DateTimeFormat(LOCALE, { year: 'numeric', month: 'short', timeZone: 'UTC' });
const dayName = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeZone: 'UTC' });

/** A figure of labelled rows of counts: its table and its chart (none when it has no rows). */
function counts(labels: string[], columns: string[], values: number[][]): Expected {
  return {
    rows: labels.map((label, row) => [label, ...values[row]!.map((value) => number.format(value))]),
    ...(labels.length > 0
      ? { chart: { labels, datasets: columns.map((label, column) => ({ label, data: values.map((row) => row[column]!) })) } }
      : {}),
  };
}

/** Every figure the page should show, by id, from the API's answer. */
function expectedFigures(report: Report[]): Record<string, Expected> {
  const { from, to } = report[0]!;
  // Every month of the period, each agency's disclosures to every partner added up.
  const months: string[] = [];
  for (let day = new Date(`${from.slice(0, 7)}-01T00:00:00Z`); day <= new Date(`${to}T00:00:00Z`); day.setUTCMonth(day.getUTCMonth() + 1)) {
    months.push(day.toISOString().slice(0, 7));
  }
  const disclosed = (agencies: Report[], month: string, level: 'full' | 'hitOnly') =>
    agencies.flatMap((figures) => figures.disclosures).reduce((sum, entry) => sum + (entry.month === month ? entry[level] : 0), 0);
  const byMonth = (agencies: Report[]) =>
    counts(
      months.map((month) => monthName.format(new Date(`${month}-01T00:00:00Z`))),
      ['Full', 'Hit only'],
      months.map((month) => [disclosed(agencies, month, 'full'), disclosed(agencies, month, 'hitOnly')]),
    );
  const figures: Record<string, Expected> = { 'federation-disclosures': byMonth(report) };
  for (const agency of report) {
    const code = agency.agency.code;
    const requests = agency.accessRequests;
    figures[`${code}-disclosures`] = byMonth([agency]);
    figures[`${code}-notices`] = counts(
      agency.noticesInForce.map((entry) => entry.colour),
      ['Notices'],
      agency.noticesInForce.map((entry) => [entry.count]),
    );
    figures[`${code}-cases`] = counts(
      agency.casesByCrimeType.map((entry) => entry.crimeType),
      ['Open', 'Closed'],
      agency.casesByCrimeType.map((entry) => [entry.open, entry.closed]),
    );
    figures[`${code}-joint`] = counts(
      agency.jointCases.map((entry) => entry.partner.code),
      ['Joint cases'],
      agency.jointCases.map((entry) => [entry.count]),
    );
    const kinds = ['received', 'answered', 'approved', 'denied', 'pending'] as const;
    figures[`${code}-requests`] = counts(
      ['Received', 'Answered', 'Approved', 'Denied', 'Pending'],
      ['Count'],
      kinds.map((kind) => [requests[kind]]),
    );
    const inHours = (value: number | null) => (value === null ? 'none answered' : hours.format(value));
    figures[`${code}-hours`] = {
      rows: [
        ['Median', inHours(requests.medianHoursToDecision)],
        ['90th percentile', inHours(requests.p90HoursToDecision)],
      ],
    };
  }
  return figures;
}

/** What the page shows: every figure's table rows, and the data of every chart it drew. */
async function shownFigures(page: Page): Promise<Record<string, Expected>> {
  const tables = await page.$$eval('table[data-figure]', (elements) =>
    elements.map((table) => ({
      id: table.getAttribute('data-figure')!,
      rows: [...table.querySelectorAll('tbody tr')].map((row) => [...row.children].map((cell) => cell.textContent!.trim())),
    })),
  );
  const charts = await page.evaluate(() => {
    type Drawn = { width: number; data: { labels: string[]; datasets: { label: string; data: number[] }[] } };
    const drawn = (globalThis as unknown as { dashboardCharts: Record<string, Drawn> }).dashboardCharts;
    return Object.fromEntries(
      Object.entries(drawn).map(([id, chart]) => [
        id,
        {
          width: chart.width,
          labels: [...chart.data.labels],
          datasets: chart.data.datasets.map((dataset) => ({ label: dataset.label, data: [...dataset.data] })),
        },
      ]),
    );
  });
  const shown: Record<string, Expected> = {};
  for (const { id, rows } of tables) shown[id] = { rows };
  for (const [id, { width, labels, datasets }] of Object.entries(charts)) {
    expect(width, `chart ${id} is drawn`).toBeGreaterThan(0);
    shown[id] = { ...shown[id]!, chart: { labels, datasets } };
  }
  return shown;
}

interface Opened {
  context: BrowserContext;
  page: Page;
  /** Requests that would have left the machine (cut). */
  elsewhere: string[];
  /** Content-Security-Policy violations and script errors. */
  problems: string[];
  /** The headers of the page's first question to the gateway (its token and purpose). */
  headers: Promise<Record<string, string>>;
}

/** What a misbehaving node could make of the gateway's answer: the test changes the real answer on its way to the page. */
type Rewrite = (answer: { data?: { cooperationReport?: Report[] } | null; errors?: Record<string, unknown>[] }) => void;

async function openDashboard(rewrite?: Rewrite): Promise<Opened> {
  const origin = new URL(fed.gatewayUrl).origin;
  const context = await browser.newContext({ locale: LOCALE, viewport: { width: 1400, height: 900 } });
  const elsewhere = await onlyOrigin(context, origin);
  const page = await context.newPage();
  if (rewrite)
    await page.route(`${origin}/**`, async (route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      const response = await route.fetch();
      const answer = (await response.json()) as Parameters<Rewrite>[0];
      rewrite(answer);
      await route.fulfill({ response, json: answer });
    });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  const headers = page
    .waitForRequest((request) => request.method() === 'POST' && request.url().startsWith(origin))
    .then((request) => request.allHeaders());
  await page.goto(new URL('/dashboard', fed.gatewayUrl).href);
  return { context, page, elsewhere, problems, headers };
}

/** The page's token, purpose and languages: the page's question, asked here. */
const sameAs = (sent: Record<string, string>) => ({
  authorization: sent.authorization!,
  'x-purpose': sent['x-purpose']!,
  'accept-language': sent['accept-language'] ?? '',
});

/** The ids of the charts the page holds now. */
const drawnCharts = (page: Page) =>
  page.evaluate(() => Object.keys((globalThis as unknown as { dashboardCharts: object }).dashboardCharts));
const state = (page: Page) => page.locator('body').getAttribute('data-state');

describe('the cooperation dashboard', () => {
  it("signs in on loopback and charts the API's figures in the browser's locale, with the network cable pulled", async () => {
    const { context, page, elsewhere, problems, headers } = await openDashboard();
    await expect.poll(() => state(page), { timeout: 20_000 }).toBe('ready');
    // The page's own question: a bearer token and a purpose, and the same question asked here with them.
    const sent = await headers;
    expect(sent.authorization).toMatch(/^Bearer ey/);
    expect(sent['x-purpose']).toBe('MUTUAL_LEGAL_ASSISTANCE');
    const answer = await postGraphQL<{ cooperationReport: Report[] }>(fed.gatewayUrl, REPORT, {}, sameAs(sent));
    expect(answer.errors).toBeUndefined();
    const report = answer.data!.cooperationReport;
    expect(report.map((figures) => figures.agency.code)).toEqual(['INTERPOL', 'EUROPOL', 'ASEANAPOL', 'LMLECC']);
    // The figures are not all zero: what the test did shows (EUROPOL's disclosures and requests).
    const europol = report.find((figures) => figures.agency.code === 'EUROPOL')!;
    expect(europol.accessRequests).toMatchObject({ received: 2, answered: 1, denied: 1, pending: 1 });
    expect(europol.disclosures.some((entry) => entry.hitOnly > 0)).toBe(true);

    expect(await shownFigures(page)).toEqual(expectedFigures(report));
    // Dates as a German browser writes them; the page's words stay English.
    const { from, to } = report[0]!;
    expect(await page.locator('#period-shown').innerText()).toBe(
      `Figures from ${dayName.format(new Date(`${from}T00:00:00Z`))} to ${dayName.format(new Date(`${to}T00:00:00Z`))}.`,
    );
    expect(dayName.format(new Date(`${from}T00:00:00Z`))).toMatch(/^\d\d\.\d\d\.\d{4}$/);
    for (const figures of report) {
      await expect
        .poll(() => page.locator(`#agency-${figures.agency.code}-title`).innerText())
        .toBe(`${figures.agency.name} (${figures.agency.code})`);
    }
    expect(await page.locator('#errors li').count()).toBe(0);
    // The token is not left in the page (it lives in the script's memory) nor in the browser's storage.
    expect(await page.locator('#dashboard-config').count()).toBe(0);
    expect(
      await page.evaluate(() => {
        type Storage = { length: number };
        const browser = globalThis as unknown as { localStorage: Storage; sessionStorage: Storage; document: { cookie: string } };
        return browser.localStorage.length + browser.sessionStorage.length + browser.document.cookie.length;
      }),
    ).toBe(0);

    const shot = screenshotPath('dashboard.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(existsSync(shot) && statSync(shot).size > 20_000).toBe(true);

    // A period chosen in the picker (this month) is the period asked for.
    const chosen = { from: `${to.slice(0, 7)}-01`, to };
    await page.getByLabel('From').fill(chosen.from);
    await page.getByLabel('To', { exact: true }).fill(chosen.to);
    await page.getByRole('button', { name: 'Show' }).click();
    await expect
      .poll(() => page.locator('#period-shown').innerText())
      .toBe(`Figures from ${dayName.format(new Date(`${chosen.from}T00:00:00Z`))} to ${dayName.format(new Date(`${to}T00:00:00Z`))}.`);
    await expect.poll(() => state(page)).toBe('ready');
    const ofMonth = await postGraphQL<{ cooperationReport: Report[] }>(fed.gatewayUrl, REPORT, { period: chosen }, sameAs(sent));
    expect(ofMonth.errors).toBeUndefined();
    expect(await shownFigures(page)).toEqual(expectedFigures(ofMonth.data!.cooperationReport));
    expect(await page.locator('table[data-figure="federation-disclosures"] tbody tr').count()).toBe(1);
    expect(problems).toEqual([]);
    expect(elsewhere).toEqual([]);
    await context.close();
  });

  it("shows a pasted garbage token's refusal in one English line, and no figures", async () => {
    const { context, page, elsewhere, problems } = await openDashboard();
    await expect.poll(() => state(page), { timeout: 20_000 }).toBe('ready');
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(await state(page)).toBe('signed-out');
    expect(await drawnCharts(page)).toEqual([]);

    const garbage = 'not-a-token';
    const refusal = await postGraphQL(
      fed.gatewayUrl,
      REPORT,
      {},
      { authorization: `Bearer ${garbage}`, 'x-purpose': 'MUTUAL_LEGAL_ASSISTANCE' },
    );
    expect(refusal.status).toBe(401);
    const message = refusal.errors![0]!.message;
    await page.getByLabel('Partner token (JWT)').fill(garbage);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('#sign-in-error').innerText(), { timeout: 10_000 }).toBe(message);
    expect(message).toMatch(/^[\x20-\x7e]+$/);
    expect(await state(page)).toBe('signed-out');
    expect(await page.locator('#sign-in').isVisible()).toBe(true);
    expect(await page.locator('#dashboard').isVisible()).toBe(false);
    expect(await page.locator('table[data-figure]').count()).toBe(0);
    expect(await drawnCharts(page)).toEqual([]);
    // The form does not keep what was pasted.
    expect(await page.getByLabel('Partner token (JWT)').inputValue()).toBe('');
    // Chromium logs the 401 itself; nothing else went wrong.
    expect(problems.filter((problem) => !/401/.test(problem))).toEqual([]);
    expect(elsewhere).toEqual([]);
    await context.close();
  });

  it("sends a token that may not read figures back to the form, with the API's line", async () => {
    const { context, page } = await openDashboard();
    await expect.poll(() => state(page), { timeout: 20_000 }).toBe('ready');
    await page.getByRole('button', { name: 'Sign out' }).click();
    const auditor = await fed.token({ agency: 'TH-RTP', roles: ['auditor'] });
    const refusal = await postGraphQL(fed.gatewayUrl, REPORT, {}, { authorization: `Bearer ${auditor}`, 'x-purpose': 'BORDER_CONTROL' });
    expect(refusal.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await page.getByLabel('Partner token (JWT)').fill(auditor);
    await page.getByLabel('Purpose (X-Purpose)').selectOption('BORDER_CONTROL');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('#sign-in-error').innerText(), { timeout: 10_000 }).toBe(refusal.errors![0]!.message);
    expect(await page.locator('#dashboard').isVisible()).toBe(false);
    expect(await page.locator('table[data-figure]').count()).toBe(0);
    await context.close();
  });

  it("keeps signed in when one node refuses the token, naming it and showing the others' figures", async () => {
    const { context, page } = await openDashboard((answer) => {
      answer.data!.cooperationReport = answer.data!.cooperationReport!.filter((figures) => figures.agency.code !== 'LMLECC');
      answer.errors = [{ message: 'LMLECC: the token is not valid here.', extensions: { code: 'UNAUTHENTICATED', agency: 'LMLECC' } }];
    });
    await expect.poll(() => state(page), { timeout: 20_000 }).toBe('ready');
    expect(await page.locator('#agency-LMLECC .unavailable').innerText()).toBe('LMLECC: the token is not valid here.');
    expect(await page.locator('#agency-EUROPOL table[data-figure]').count()).toBeGreaterThan(0);
    await context.close();
  });

  it('names each agency an error shared by several nodes names', async () => {
    const { context, page } = await openDashboard((answer) => {
      answer.data!.cooperationReport = answer.data!.cooperationReport!.filter((figures) => figures.agency.code === 'INTERPOL');
      answer.errors = [
        { message: 'Several nodes did not answer.', extensions: { code: 'AGENCY_UNAVAILABLE', agencies: ['EUROPOL', 'LMLECC'] } },
      ];
    });
    await expect.poll(() => state(page), { timeout: 20_000 }).toBe('ready');
    for (const code of ['EUROPOL', 'LMLECC'])
      expect(await page.locator(`#agency-${code} .unavailable`).innerText()).toBe('Several nodes did not answer.');
    await context.close();
  });

  it("writes large numbers and fractions the browser's way (de-DE: 1.234.567 and 1.234,6)", async () => {
    const { context, page } = await openDashboard((answer) => {
      const europol = answer.data!.cooperationReport!.find((figures) => figures.agency.code === 'EUROPOL')!;
      europol.noticesInForce = [{ colour: 'DIFFUSION', count: 1234567 }];
      europol.accessRequests = { ...europol.accessRequests, answered: 2, medianHoursToDecision: 1234.56, p90HoursToDecision: 2 };
    });
    await expect.poll(() => state(page), { timeout: 20_000 }).toBe('ready');
    expect(await page.locator('table[data-figure="EUROPOL-notices"] tbody td').allInnerTexts()).toEqual(['1.234.567']);
    expect(await page.locator('table[data-figure="EUROPOL-hours"] tbody td').allInnerTexts()).toEqual(['1.234,6', '2']);
    await context.close();
  });

  it('leaves out a month outside the period that a node sends', async () => {
    const { context, page, problems } = await openDashboard((answer) => {
      answer.data!.cooperationReport![1]!.disclosures.push({ month: '2026-13', partner: { code: 'TH-RTP' }, full: 7, hitOnly: 0 });
    });
    await expect.poll(() => state(page), { timeout: 20_000 }).toBe('ready');
    const rows = await page.locator('table[data-figure="EUROPOL-disclosures"] tbody tr').count();
    expect(rows).toBe(await page.locator('table[data-figure="INTERPOL-disclosures"] tbody tr').count());
    expect(rows).toBeGreaterThanOrEqual(12);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('says, in English, when an answer holds dates it cannot draw, rather than hang', async () => {
    for (const broken of [(figures: Report) => void (figures.from = '0001-01-01'), (figures: Report) => void (figures.to = 'tomorrow')]) {
      const { context, page, problems } = await openDashboard((answer) => broken(answer.data!.cooperationReport![1]!));
      await expect.poll(() => state(page), { timeout: 20_000 }).toBe('error');
      expect(await page.locator('#errors').innerText()).toMatch(/The figures in this answer could not be drawn\./);
      expect(await drawnCharts(page)).toEqual([]);
      expect(problems).toEqual([]);
      await context.close();
    }
  });

  it("names an agency that is down with the API's message, and charts the others' figures", async () => {
    await fed.federation.kill('ASEANAPOL', 'SIGKILL');
    const { context, page, headers } = await openDashboard();
    await expect.poll(() => state(page), { timeout: 20_000 }).toBe('ready');
    const sent = await headers;
    const answer = await postGraphQL<{ cooperationReport: Report[] }>(fed.gatewayUrl, REPORT, {}, sameAs(sent));
    const report = answer.data!.cooperationReport;
    expect(report.map((figures) => figures.agency.code)).toEqual(['INTERPOL', 'EUROPOL', 'LMLECC']);
    expect(answer.errors).toHaveLength(1);
    const down = answer.errors![0]!;
    expect(down.extensions).toMatchObject({ code: 'AGENCY_UNAVAILABLE', agency: 'ASEANAPOL' });
    expect(await page.locator('#agency-ASEANAPOL .unavailable').innerText()).toBe(down.message);
    expect(await page.locator('#errors li').allInnerTexts()).toEqual([down.message]);
    expect(await shownFigures(page)).toEqual(expectedFigures(report));
    await context.close();
  });
});
