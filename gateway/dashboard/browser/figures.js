// What each chart and its table show, worked out from cooperationReport's answer: rows of a
// label and one number per column. No DOM here; charts.js draws them.

export const LEVELS = ['Full', 'Hit only'];

const NOTICE_COLOURS = {
  RED: '#c62828',
  YELLOW: '#f9a825',
  BLUE: '#1565c0',
  BLACK: '#212121',
  GREEN: '#2e7d32',
  ORANGE: '#ef6c00',
  PURPLE: '#6a1b9a',
  SILVER: '#9e9e9e',
  UN_SPECIAL: '#0288d1',
  DIFFUSION: '#78909c',
};

/** The most months a chart shows: the API's longest period, 3,660 days, is 121 months. */
export const MAX_MONTHS = 121;
const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-\d{2}$/;
const ISO_MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * The period the federation's figures cover: from the earliest `from` to the latest `to` of
 * the agencies that answered (each node works out a default period itself). Null when an
 * answer's dates are not ISO dates or span more months than any period the API gives: a
 * node's answer the page does not draw.
 */
export function periodOf(report) {
  const froms = report.map((figures) => figures.from);
  const tos = report.map((figures) => figures.to);
  if (![...froms, ...tos].every((date) => typeof date === 'string' && ISO_DATE.test(date))) return null;
  const from = froms.reduce((a, b) => (b < a ? b : a));
  const to = tos.reduce((a, b) => (b > a ? b : a));
  return from <= to && monthsOf(from, to).length <= MAX_MONTHS ? { from, to } : null;
}

/** Every month of the period as "YYYY-MM", from the month of `from` to the month of `to` (ISO dates). */
export function monthsOf(from, to) {
  const months = [];
  let [year, month] = from.split('-').map(Number);
  const [lastYear, lastMonth] = to.split('-').map(Number);
  while (year < lastYear || (year === lastYear && month <= lastMonth)) {
    months.push(`${year}-${String(month).padStart(2, '0')}`);
    month += 1;
    if (month > 12) [year, month] = [year + 1, 1];
  }
  return months;
}

/** Records disclosed in `reports` (one agency's, or every agency's that answered), by month of the period and level. */
function disclosuresFigure(id, reports, from, to, format) {
  const byMonth = new Map(monthsOf(from, to).map((month) => [month, [0, 0]]));
  for (const figures of reports) {
    for (const { month, full, hitOnly } of figures.disclosures) {
      // Only the period's months, written as months: a node's stray month is not drawn.
      if (!ISO_MONTH.test(month) || !byMonth.has(month)) continue;
      const counts = byMonth.get(month);
      counts[0] += full;
      counts[1] += hitOnly;
    }
  }
  const months = [...byMonth.keys()].sort();
  return {
    id,
    title: 'Records disclosed to partners, by month and level',
    rowHeader: 'Month',
    columns: LEVELS,
    rows: months.map((month) => ({ label: format.month(month), values: byMonth.get(month) })),
    chart: { stacked: true, colours: ['#2e6f9e', '#9fbad0'] },
  };
}

/** Records disclosed by every agency that answered, to every partner, by month of the period and level. */
export function federationFigures(report, period, format) {
  if (report.length === 0) return [];
  return [disclosuresFigure('federation-disclosures', report, period.from, period.to, format)];
}

/** One agency's figures: its disclosures by month, notices in force, cases, joint cases, access requests and their hours to decision. */
export function agencyFigures(figures, period, format) {
  const { code } = figures.agency;
  const requests = figures.accessRequests;
  return [
    disclosuresFigure(`${code}-disclosures`, [figures], period.from, period.to, format),
    {
      id: `${code}-notices`,
      title: 'Notices in force, by colour',
      rowHeader: 'Colour',
      columns: ['Notices'],
      rows: figures.noticesInForce.map(({ colour, count }) => ({ label: colour, values: [count] })),
      chart: { colours: [figures.noticesInForce.map(({ colour }) => NOTICE_COLOURS[colour] ?? '#607d8b')] },
    },
    {
      id: `${code}-cases`,
      title: 'Cases opened in the period, by crime type',
      rowHeader: 'Crime type',
      columns: ['Open', 'Closed'],
      rows: figures.casesByCrimeType.map(({ crimeType, open, closed }) => ({ label: crimeType, values: [open, closed] })),
      chart: { stacked: true, horizontal: true, colours: ['#c77c02', '#8d9aa5'] },
    },
    {
      id: `${code}-joint`,
      title: 'Joint cases, by partner agency',
      rowHeader: 'Partner',
      columns: ['Joint cases'],
      rows: figures.jointCases.map(({ partner, count }) => ({ label: partner.code, values: [count] })),
      chart: { horizontal: true, colours: ['#5b7f3a'] },
    },
    {
      id: `${code}-requests`,
      title: 'Access requests made in the period',
      rowHeader: 'Requests',
      columns: ['Count'],
      rows: ['received', 'answered', 'approved', 'denied', 'pending'].map((key) => ({
        label: key[0].toUpperCase() + key.slice(1),
        values: [requests[key]],
      })),
      chart: { colours: [['#455a64', '#1e88e5', '#43a047', '#e53935', '#fb8c00']] },
    },
    {
      id: `${code}-hours`,
      title: 'Hours from request to decision',
      rowHeader: 'Over the answered requests',
      columns: ['Hours'],
      rows: [
        { label: 'Median', values: [requests.medianHoursToDecision] },
        { label: '90th percentile', values: [requests.p90HoursToDecision] },
      ],
      hours: true,
    },
  ];
}
