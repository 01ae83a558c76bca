import { findProjectRoot } from '../forceApp';
import { checkDescriptions } from './descriptions';
import { checkFieldReferences } from './fieldReferences';
import { checkFieldRules } from './fieldRules';
import { checkPages } from './pages';
import { checkPermissions } from './permissions';
import { checkReports } from './reports';
import { checkSampleData } from './sampleData';
import type { Finding } from './project';
import { checkSourceConverts } from './sourceConverts';
import { checkTranslations } from './translations';
import { checkXmlParses } from './xmlParses';

export type { Finding } from './project';

export interface Check {
  /** Short id, used by `outside-in check --only` and as the broken fixture's folder name. */
  name: string;
  title: string;
  run: (root: string) => Finding[] | Promise<Finding[]>;
}

/** The offline metadata checks, in the order they are reported. */
export const CHECKS: Check[] = [
  { name: 'xml', title: 'Metadata XML parses', run: checkXmlParses },
  {
    name: 'convert',
    title: 'source-deploy-retrieve loads and converts the source',
    run: checkSourceConverts
  },
  { name: 'field-rules', title: 'Field types, attributes and relationships', run: checkFieldRules },
  { name: 'descriptions', title: 'Objects and fields have descriptions', run: checkDescriptions },
  { name: 'translations', title: 'Dutch translations', run: checkTranslations },
  { name: 'permissions', title: 'Permission sets', run: (root) => checkPermissions(root) },
  {
    name: 'field-references',
    title: 'Fields named by components and code exist',
    run: checkFieldReferences
  },
  { name: 'pages', title: 'Lightning pages, layouts, app and tabs', run: checkPages },
  { name: 'reports', title: 'Report types, reports and dashboards', run: checkReports },
  { name: 'sample-data', title: 'The sample data plan imports', run: checkSampleData }
];

export interface CheckResult {
  name: string;
  title: string;
  findings: Finding[];
}

/** Runs the checks (all, or those named in `only`) over the project at `root`. */
export async function runChecks(
  root: string = findProjectRoot(),
  only?: string[]
): Promise<CheckResult[]> {
  const unknown = (only ?? []).filter((n) => !CHECKS.some((c) => c.name === n));
  if (unknown.length > 0) {
    throw new Error(
      `Unknown check ${unknown.join(', ')}; the checks are ${CHECKS.map((c) => c.name).join(', ')}`
    );
  }
  const results: CheckResult[] = [];
  for (const check of CHECKS) {
    if (only && only.length > 0 && !only.includes(check.name)) continue;
    results.push({ name: check.name, title: check.title, findings: await check.run(root) });
  }
  return results;
}

/** Findings as lines a person reads: `file:line: message [check]`. */
export function formatFindings(results: CheckResult[]): string {
  const lines: string[] = [];
  for (const result of results) {
    for (const f of result.findings) {
      lines.push(`${f.file}${f.line ? `:${f.line}` : ''}: ${f.message} [${result.name}]`);
    }
  }
  const total = results.reduce((n, r) => n + r.findings.length, 0);
  const summary = results
    .map((r) => `${r.name} ${r.findings.length === 0 ? 'ok' : r.findings.length}`)
    .join(', ');
  lines.push(total === 0 ? `All checks pass (${summary}).` : `${total} finding(s): ${summary}.`);
  return lines.join('\n');
}
