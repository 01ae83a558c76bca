import * as fs from 'node:fs';
import * as path from 'node:path';
import { once } from 'node:events';
import {
  generateRows,
  generatedColumns,
  generatedMapping,
  sampleConfig,
  type GeneratorConfig
} from '../sync/generate';
import type { ImportMapping } from '../sync/columns';

/**
 * The demo's survey responses: the sync's seeded generator over the sample
 * data's touchpoints and contacts, spread over the months up to now, so the
 * record pages (which show the quarter ending this month) have real numbers.
 */

/** The CRM records of an account that responses about them link to. */
export interface AccountTransactions {
  caseNumber?: string;
  opportunityId?: string;
  orderNumber?: string;
}

export interface DemoResponsesOptions {
  count: number;
  seed: number;
  /** Months of responses, the current month included. */
  months: number;
  /** The sample data folder (data/). */
  dataDir?: string;
  now?: Date;
  /**
   * Transactions by AccountNumber: a response at a touchpoint that applies
   * to cases (opportunities, orders) names the account's case (...), so
   * those record pages have perceptions of their own.
   */
  transactions?: Map<string, AccountTransactions>;
}

/** Touchpoint key → the objects it applies to (Applies_To__c), from the sample data. */
export function touchpointTargets(dataDir: string): Map<string, string[]> {
  const file = path.join(dataDir, 'CX_Touchpoint__c.json');
  const out = new Map<string, string[]>();
  if (!fs.existsSync(file)) return out;
  const { records } = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    records: Array<{ Key__c?: unknown; Applies_To__c?: unknown }>;
  };
  for (const r of records) {
    if (typeof r.Key__c === 'string' && typeof r.Applies_To__c === 'string') {
      out.set(r.Key__c, r.Applies_To__c.split(';'));
    }
  }
  return out;
}

/** The transaction columns the demo adds to the generator's, with their mapping roles. */
const TRANSACTION_COLUMNS = [
  ['CaseNumber', 'caseNumber', 'Case'],
  ['OpportunityId', 'opportunityId', 'Opportunity'],
  ['OrderNumber', 'orderNumber', 'Order']
] as const;

const REPO_DATA_DIR = path.join(__dirname, '..', '..', 'data');

/** `YYYY-MM` of the month `back` months before the month of `now` (UTC). */
function monthBefore(now: Date, back: number): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The generator's world from the sample data, over the `months` months ending with the month of `now`. */
export function demoConfig(options: Omit<DemoResponsesOptions, 'count' | 'seed'>): GeneratorConfig {
  const now = options.now ?? new Date();
  return {
    ...(options.dataDir ? sampleConfig(options.dataDir) : sampleConfig()),
    startMonth: monthBefore(now, options.months - 1),
    months: options.months
  };
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Writes the responses as CSV with the generator's columns. The generator
 * spreads the last month over all of it; responses it dates after now are
 * moved, in proportion, into the part of the month that has passed (the
 * importer refuses dates in the future).
 */
export async function writeDemoResponses(
  out: string,
  options: DemoResponsesOptions
): Promise<{ rows: number; mapping: ImportMapping; config: GeneratorConfig }> {
  const now = options.now ?? new Date();
  const config = demoConfig(options);
  const transactions = options.transactions ?? new Map<string, AccountTransactions>();
  const targets = touchpointTargets(options.dataDir ?? path.join(REPO_DATA_DIR));
  const columns = [...generatedColumns(config), ...TRANSACTION_COLUMNS.map(([column]) => column)];
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const monthEnd = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  // An hour's margin keeps every response in the past however long the import takes to start.
  const latest = Math.max(monthStart, now.getTime() - 3600_000);
  const stream = fs.createWriteStream(out);
  const write = async (text: string) => {
    if (!stream.write(text)) await once(stream, 'drain');
  };
  await write(columns.map(csvCell).join(',') + '\r\n');
  let rows = 0;
  for (const { values } of generateRows({ count: options.count, seed: options.seed, config })) {
    const at = Date.parse(values.OccurredAt ?? '');
    if (Number.isFinite(at) && at > latest) {
      const moved =
        monthStart + ((at - monthStart) * (latest - monthStart)) / (monthEnd - monthStart);
      values.OccurredAt = new Date(Math.floor(moved / 1000) * 1000)
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z');
    }
    const linked = transactions.get(values.AccountNumber ?? '');
    const appliesTo = targets.get(values.Touchpoint ?? '') ?? [];
    for (const [column, role, object] of TRANSACTION_COLUMNS) {
      const value = linked?.[role];
      if (value && appliesTo.includes(object)) values[column] = value;
    }
    await write(columns.map((c) => csvCell(values[c] ?? '')).join(',') + '\r\n');
    rows++;
  }
  stream.end();
  await once(stream, 'finish');
  const mapping = generatedMapping(config);
  for (const [column, role] of TRANSACTION_COLUMNS) mapping.fields[role] = column;
  return { rows, mapping, config };
}
