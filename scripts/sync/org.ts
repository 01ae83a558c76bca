import { Connection } from '@jsforce/jsforce-node';
import * as path from 'node:path';
import { readLocalOrgState } from '../local-org/state';

/**
 * The target org: a jsforce Connection and the org's Id (which names the
 * store). With no --target-org, the local org's state file; otherwise a login
 * the Salesforce CLI stored (@salesforce/core AuthInfo/Org, JWT included).
 */

export const API_VERSION = '62.0';

export interface OrgTarget {
  conn: Connection;
  orgId: string;
  instanceUrl: string;
  username: string | null;
  local: boolean;
}

/** The folder of the local org whose state file the CLI reads (OUTSIDE_IN_LOCAL_ORG_DIR overrides). */
export function localOrgDir(): string {
  return process.env.OUTSIDE_IN_LOCAL_ORG_DIR ?? path.join('.outside-in', 'org');
}

export class TargetOrgError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetOrgError';
  }
}

/** Resolves --target-org (alias or username), or the running local org. */
export async function resolveTarget(targetOrg?: string): Promise<OrgTarget> {
  if (!targetOrg) {
    const state = readLocalOrgState(localOrgDir());
    if (!state) {
      throw new TargetOrgError(
        `No --target-org given and no local org found in ${localOrgDir()}. Start it with \`outside-in org start\` (or \`npm start\`), or pass --target-org <alias or username>.`
      );
    }
    // The integration persona: what a production sync runs as.
    const user = state.users.sync ?? state.users[state.defaultPersona];
    return {
      conn: new Connection({
        instanceUrl: state.instanceUrl,
        accessToken: user.accessToken,
        version: API_VERSION
      }),
      orgId: state.orgId,
      instanceUrl: state.instanceUrl,
      username: user.username,
      local: true
    };
  }
  const { Org } = await import('@salesforce/core');
  let org;
  try {
    org = await Org.create({ aliasOrUsername: targetOrg });
  } catch (e) {
    throw new TargetOrgError(
      `Cannot use org "${targetOrg}": ${(e as Error).message} (log in with \`sf org login web|jwt --alias ${targetOrg}\`)`
    );
  }
  const conn = org.getConnection(API_VERSION) as unknown as Connection;
  return {
    conn,
    orgId: org.getOrgId(),
    instanceUrl: conn.instanceUrl,
    username: org.getUsername() ?? null,
    local: false
  };
}

/** Removes access tokens from text that may reach a log, an error or JSON output. */
export function redact(text: string, ...secrets: (string | undefined | null)[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 8) out = out.split(s).join('<redacted>');
  return out
    .replace(/00D\w{12,15}![\w.-]+/g, '<redacted>')
    .replace(/(Bearer\s+)[\w.!-]+/gi, '$1<redacted>')
    .replace(/("?access_?token"?\s*[:=]\s*"?)[^",\s}]+/gi, '$1<redacted>');
}

/** Counts API calls per object and kind (the benchmark's "API calls per 100k responses"). */
export class ApiCounter {
  readonly calls: Record<string, number> = {};
  add(key: string, n = 1): void {
    this.calls[key] = (this.calls[key] ?? 0) + n;
  }
  get total(): number {
    return Object.values(this.calls).reduce((a, b) => a + b, 0);
  }
}

export interface RetryOptions {
  attempts?: number;
  baseMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function errorCode(e: unknown): string {
  const err = e as { errorCode?: string; name?: string; statusCode?: number };
  return String(err.errorCode ?? err.name ?? '');
}

/** Whether a failed call is worth repeating after a pause: rate limits, 5xx, locks, dropped connections. */
export function isTransient(e: unknown): boolean {
  const code = errorCode(e);
  const msg = (e as Error)?.message ?? '';
  return (
    code === 'REQUEST_LIMIT_EXCEEDED' ||
    code === 'UNABLE_TO_LOCK_ROW' ||
    code === 'SERVER_UNAVAILABLE' ||
    /^ERROR_HTTP_5\d\d$/.test(code) ||
    /ECONNRESET|ECONNREFUSED|ETIMEDOUT|socket hang up|503|502|504/.test(msg)
  );
}

/** Runs `fn`, retrying transient failures with exponential backoff and jitter. */
export async function withRetry<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 8;
  const base = options.baseMs ?? Number(process.env.OUTSIDE_IN_BACKOFF_MS ?? 500);
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i >= attempts || !isTransient(e)) throw e;
      await sleep(base * 2 ** (i - 1) * (0.5 + Math.random() / 2));
    }
  }
}

/** SOQL string literal. */
export function soqlString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * Runs `SELECT ... WHERE <field> IN (...)` over many values in batches that
 * keep each query (sent in a URL) well under the length limits.
 */
export async function queryIn<T>(
  conn: Connection,
  counter: ApiCounter | undefined,
  object: string,
  select: string,
  field: string,
  values: string[],
  extraWhere = '',
  maxChars = 8000
): Promise<T[]> {
  const out: T[] = [];
  const unique = [...new Set(values)];
  let batch: string[] = [];
  let length = 0;
  const run = async () => {
    if (batch.length === 0) return;
    const soql = `SELECT ${select} FROM ${object} WHERE ${field} IN (${batch.join(',')})${extraWhere ? ` AND ${extraWhere}` : ''}`;
    batch = [];
    length = 0;
    out.push(...(await queryAll<T>(conn, counter, object, soql)));
  };
  for (const v of unique) {
    const lit = soqlString(v);
    if (length + lit.length + 1 > maxChars) await run();
    batch.push(lit);
    length += lit.length + 1;
  }
  await run();
  return out;
}

/** A query with every page fetched. */
export async function queryAll<T>(
  conn: Connection,
  counter: ApiCounter | undefined,
  object: string,
  soql: string
): Promise<T[]> {
  type Page = { records: Record<string, unknown>[]; done: boolean; nextRecordsUrl?: string };
  counter?.add(`${object}:query`);
  let res: Page = await withRetry(async () => (await conn.query(soql)) as unknown as Page);
  const records = [...res.records];
  while (!res.done && res.nextRecordsUrl) {
    counter?.add(`${object}:query`);
    const next = res.nextRecordsUrl;
    res = await withRetry(async () => (await conn.queryMore(next)) as unknown as Page);
    records.push(...res.records);
  }
  return records as T[];
}

/** An 18-character Salesforce Id with the given key prefix (or any, with none). */
export function looksLikeId(s: string | null | undefined, prefix?: string): boolean {
  if (!s || !/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(s)) return false;
  return prefix ? s.startsWith(prefix) : /\d/.test(s.slice(0, 5));
}
