/* global document, navigator, fetch */
import './dashboard.css';
import { clearCharts, el, renderFigure } from './charts.js';
import { agencyFigures, federationFigures, periodOf } from './figures.js';

// The dashboard's page (docs/dashboard.md): sign in with a partner token, ask the gateway for
// cooperationReport, draw it. The token lives in this script's memory only (no storage, no
// cookie) and is gone when the page closes or on "Sign out". Numbers and dates follow the
// browser's locale; messages, the page's and the API's, are in English.

const REPORT = `query CooperationDashboard($period: Period) {
  cooperationReport(period: $period) {
    agency { code name } from to
    noticesInForce { colour count }
    casesByCrimeType { crimeType open closed }
    jointCases { partner { code } count }
    accessRequests { received answered approved denied pending medianHoursToDecision p90HoursToDecision }
    disclosures { month partner { code } full hitOnly }
  }
}`;

document.getElementById('starting')?.remove();
const configElement = document.getElementById('dashboard-config');
const config = JSON.parse(configElement.textContent);
// A development token came with the page: it is read into memory and leaves the DOM.
configElement.remove();

const locale = navigator.language;
const months = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', timeZone: 'UTC' });
const days = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
const format = {
  locale,
  number: (value) => new Intl.NumberFormat(locale).format(value),
  hours: (value) => new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value),
  /** "2026-05" as the browser's locale writes a month ("May 2026", "Mai 2026"). */
  month: (month) => months.format(new Date(`${month}-01T00:00:00Z`)),
  day: (date) => days.format(new Date(`${date}T00:00:00Z`)),
};

const $ = (id) => document.getElementById(id);
/** Who is signed in: { token, purpose }, in memory only. */
let session = null;
/** The period asked for; null: the API's default, the last 12 months. */
let period = null;
/** Answers to an earlier question (before a sign-out or another period) are dropped. */
let asked = 0;

const oneLine = (message) => String(message).split('\n')[0];
const setState = (state) => (document.body.dataset.state = state);

function clearFigures() {
  clearCharts();
  $('errors').replaceChildren();
  $('federation').querySelector('.figures').replaceChildren();
  $('agencies').replaceChildren();
  $('period-shown').textContent = '';
}

function showSignIn(message = '') {
  session = null;
  asked += 1;
  clearFigures();
  $('dashboard').hidden = true;
  $('sign-out').hidden = true;
  $('sign-in').hidden = false;
  $('sign-in-error').textContent = message;
  setState('signed-out');
}

function showErrors(messages) {
  $('errors').replaceChildren(...messages.map((message) => el('li', {}, [oneLine(message)])));
}

async function ask() {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${session.token}`, 'x-purpose': session.purpose };
  const body = JSON.stringify({ query: REPORT, variables: period ? { period } : {} });
  let response;
  try {
    response = await fetch(config.endpoint, { method: 'POST', headers, body });
  } catch {
    return { status: 0, errors: [{ message: 'The gateway could not be reached.' }] };
  }
  const answer = await response.json().catch(() => null);
  if (!answer)
    return { status: response.status, errors: [{ message: `The gateway answered HTTP ${response.status} without a GraphQL response.` }] };
  return { status: response.status, data: answer.data, errors: answer.errors ?? [] };
}

async function load() {
  const question = ++asked;
  setState('loading');
  const { status, data, errors } = await ask();
  if (question !== asked) return;
  const report = data?.cooperationReport;
  // A token the gateway refuses, or one that may read no figures at all: back to the form,
  // with the API's line. One node's refusal (an error naming its agency) is that node's.
  const fromGateway = (error) => error.extensions?.agency === undefined && error.extensions?.agencies === undefined;
  const refused = status === 401 || errors.some((error) => error.extensions?.code === 'UNAUTHENTICATED' && fromGateway(error));
  const forbidden = !report?.length && errors.some((error) => error.extensions?.code === 'FORBIDDEN');
  if (refused || forbidden) {
    const line = errors.find(fromGateway) ?? errors[0];
    return showSignIn(oneLine(line?.message ?? `The gateway refused the token (HTTP ${status}).`));
  }
  $('sign-in').hidden = true;
  $('dashboard').hidden = false;
  $('sign-out').hidden = false;
  clearFigures();
  showErrors(errors.map((error) => error.message));
  if (!report) return setState('error');
  try {
    render(report, errors);
    setState('ready');
  } catch {
    // An answer the page cannot draw (a node's malformed figures): said, not a page stuck loading.
    clearFigures();
    showErrors([...errors.map((error) => error.message), 'The figures in this answer could not be drawn.']);
    setState('error');
  }
}

function render(report, errors) {
  const period = report.length > 0 ? periodOf(report) : null;
  if (report.length > 0 && !period) throw new Error('dates out of shape');
  if (period) {
    $('period-shown').textContent = `Figures from ${format.day(period.from)} to ${format.day(period.to)}.`;
    $('from').value = period.from;
    $('to').value = period.to;
  }
  const federation = $('federation').querySelector('.figures');
  for (const figure of federationFigures(report, period, format)) renderFigure(federation, figure, format);
  const codes = [...config.agencies, ...report.map((figures) => figures.agency.code).filter((code) => !config.agencies.includes(code))];
  for (const code of codes) {
    const figures = report.find((entry) => entry.agency.code === code);
    const section = el('section', { class: 'agency', id: `agency-${code}`, 'aria-labelledby': `agency-${code}-title` }, [
      el('h2', { id: `agency-${code}-title` }, [figures ? `${figures.agency.name} (${code})` : code]),
    ]);
    $('agencies').append(section);
    if (!figures) {
      const names = (error) => error.extensions?.agency === code || (error.extensions?.agencies ?? []).includes(code);
      const why = errors.filter(names).map((error) => oneLine(error.message));
      section.append(el('p', { class: 'error unavailable' }, [why[0] ?? `No figures from ${code} in this answer.`]));
      continue;
    }
    const grid = el('div', { class: 'figures' });
    section.append(grid);
    for (const figure of agencyFigures(figures, period, format)) renderFigure(grid, figure, format);
  }
}

for (const purpose of config.purposes) $('purpose').append(el('option', purpose === config.purpose ? { selected: '' } : {}, [purpose]));

$('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const token = $('token')
    .value.trim()
    .replace(/^Bearer\s+/i, '');
  $('token').value = '';
  if (!token) return showSignIn('Paste a partner token to sign in.');
  // A header cannot carry line breaks or other characters a JWT never has.
  if (!/^[\w.~+/=-]+$/.test(token)) return showSignIn('A token is a JWT: three base64url parts separated by dots, on one line.');
  session = { token, purpose: $('purpose').value };
  $('sign-in-error').textContent = '';
  void load();
});

$('sign-out').addEventListener('click', () => showSignIn());

$('period-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const from = $('from').value;
  const to = $('to').value;
  if (Boolean(from) !== Boolean(to)) return showErrors(['Give both dates of the period, or neither for the last 12 months.']);
  period = from ? { from, to } : null;
  void load();
});

$('last-12-months').addEventListener('click', () => {
  period = null;
  void load();
});

if (config.token) {
  session = { token: config.token, purpose: config.purpose };
  void load();
} else {
  showSignIn();
}
