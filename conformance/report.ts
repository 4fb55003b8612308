import { CHECKS } from './checks/index.js';
import { runChecks, type Check, type CheckResult, type Kit } from './kit.js';

// The report: a Markdown table on stdout, each failure with the exact request, what came
// back and what the contract says; the same as JSON for an operator to attach.

export interface Report {
  kit: string;
  node: string;
  agency: string;
  startedAt: string;
  seconds: number;
  dataset: string;
  partners: string[];
  production: boolean;
  /** The --only prefix, when the run was limited to some checks. */
  only?: string;
  passed: number;
  failed: number;
  notRun: number;
  results: CheckResult[];
}

export const KIT = 'records-federation conformance kit 1';
const FAILURES_SHOWN = 5;
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderReport(report: Report): string {
  const lines = [
    `Conformance of ${report.agency}'s node at ${report.node} (${report.kit}, data set ${report.dataset}, partners ${report.partners.join(', ')})`,
    ...(report.only ? [`Only the checks named ${report.only}...: this is not a whole run.`] : []),
    '',
    '| check | group | result | |',
    '| --- | --- | --- | --- |',
    ...report.results.map((result) => {
      const outcome = result.status === 'fail' ? `**FAIL** (${result.failures.length})` : result.status;
      return `| ${result.check} | ${result.group} | ${outcome} | ${cell(result.note ?? '')} |`;
    }),
    '',
    `${report.passed} passed, ${report.failed} failed, ${report.notRun} not run, in ${report.seconds.toFixed(1)} s.`,
  ];
  for (const result of report.results.filter((r) => r.status === 'fail')) {
    lines.push('', `## ${result.check}: failed`);
    for (const failure of result.failures.slice(0, FAILURES_SHOWN)) {
      lines.push('', `- the contract says: ${failure.contract}`, `  got: ${failure.got}`);
      if (failure.request) {
        lines.push(`  request: POST ${report.node} ${JSON.stringify(failure.request.headers)}`, `    ${failure.request.query}`);
        if (failure.request.variables) lines.push(`    variables: ${JSON.stringify(failure.request.variables)}`);
      }
    }
    if (result.failures.length > FAILURES_SHOWN)
      lines.push('', `  ... and ${result.failures.length - FAILURES_SHOWN} more (all of them are in the --json report)`);
  }
  return `${lines.join('\n')}\n`;
}

/** Runs every check (or those `only` keeps) against the kit's node. */
export async function runConformance(kit: Kit, only?: string | ((check: Check) => boolean)): Promise<Report> {
  const started = new Date();
  const keep = typeof only === 'string' ? (check: Check) => check.name.startsWith(only) : only;
  const results = await runChecks(kit, CHECKS, keep);
  return {
    kit: KIT,
    node: withoutCredentials(kit.options.url),
    agency: kit.node.agency,
    startedAt: started.toISOString(),
    seconds: (Date.now() - started.getTime()) / 1000,
    dataset: kit.dataset.format,
    partners: kit.partners.map((caller) => caller.agency),
    production: kit.options.production,
    ...(typeof only === 'string' ? { only } : {}),
    passed: results.filter((r) => r.status === 'pass').length,
    failed: results.filter((r) => r.status === 'fail').length,
    notRun: results.filter((r) => r.status === 'not run').length,
    results,
  };
}

/** A URL as a report shows it: a user name or password in it stays out. */
export function withoutCredentials(url: string): string {
  const shown = new URL(url);
  shown.username = '';
  shown.password = '';
  return shown.href;
}
