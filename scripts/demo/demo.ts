import { Connection } from '@jsforce/jsforce-node';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readLocalOrgState, startLocalOrg, type LocalOrg, type Persona } from '../local-org';
import { PERSONAS } from '../local-org/core';
import { defaultOrgDir } from '../local-org/org';
import { storeStatus } from '../sync/status';
import { Store } from '../sync/store';
import { runSync, type SyncResult } from '../sync/sync';
import { buildWorkbench, type BuildOptions, type WorkbenchBuild } from '../workbench/build';
import { REPO_ROOT } from '../workbench/paths';
import { WORKBENCH_PERSONAS } from '../workbench/run';
import { startWorkbench, type Workbench } from '../workbench/server';
import { writeDemoResponses, type AccountTransactions } from './responses';
import { loadSampleData } from './sampleData';

/**
 * `npm start`: the local org with the sample CRM data, a few thousand
 * generated survey responses taken through the real sync (import, match,
 * score, push), and the workbench serving force-app's components on it.
 */

export const DEMO_API_VERSION = '62.0';
/** The sample accounts the rep persona owns (referenceIds of data/Account.json). */
export const REP_ACCOUNTS = ['AccHollandseFiets', 'AccZuiderzee', 'AccNorthwind'];
/**
 * Plan objects the demo leaves out: the plan's perceptions would sit in the
 * org without passing through the sync's store, so no score would count
 * them; the demo's perceptions all come through the sync instead.
 */
export const DEMO_SKIPPED_OBJECTS = ['CX_Perception__c'];
export const DEFAULT_RESPONSES = 3000;
export const DEFAULT_SEED = 2026;
export const DEFAULT_MONTHS = 6;

export interface DemoOptions {
  /** Folder for the org (org/), the sync's store (store/) and the responses (demo/); default .outside-in. */
  dir?: string;
  /** The workbench's port; 0 or absent: any free port. */
  port?: number;
  /** Survey responses to generate (default 3000). */
  responses?: number;
  seed?: number;
  /** Months the responses spread over, this month included (default 6). */
  months?: number;
  /** The sample data plan (default data/sample-data-plan.json). */
  planPath?: string;
  /** Plan objects not to load (default DEMO_SKIPPED_OBJECTS). */
  skipObjects?: string[];
  /** Sample accounts the rep owns, by referenceId. */
  repAccounts?: string[];
  buildOptions?: BuildOptions;
  log?: (line: string) => void;
}

export interface DemoOrg {
  instanceUrl: string;
  orgId: string;
  /** Access tokens by persona. */
  tokens: Record<Persona, string>;
  userIds: Record<Persona, string>;
  /** True when the demo started the org (and close() stops it). */
  started: boolean;
  dir: string;
}

export interface DemoLinks {
  account: string;
  case: string | null;
  opportunity: string | null;
}

export interface RunningDemo {
  url: string;
  links: DemoLinks;
  org: DemoOrg;
  workbench: Workbench;
  /** The sample records by referenceId (the accounts, when the data was there already). */
  sampleIds: Map<string, string>;
  /** Accounts the rep owns. */
  repAccountIds: string[];
  /** The sync run of this start. */
  sync: SyncResult;
  responsesFile: string;
  storeFile: string;
  /** Seconds per step, and in all. */
  timings: Record<string, number>;
  close(): Promise<void>;
}

/** The default folder: .outside-in in the project. */
export function defaultDemoDir(): string {
  return path.join(REPO_ROOT, '.outside-in');
}

async function answers(instanceUrl: string): Promise<boolean> {
  try {
    return (await fetch(`${instanceUrl}/services/data`)).ok;
  } catch {
    return false;
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function relative(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** Starts the org of the folder, or joins the one already running there. */
async function openOrg(
  dir: string,
  log: (line: string) => void
): Promise<{ org: DemoOrg; local?: LocalOrg }> {
  const state = readLocalOrgState(dir);
  if (state && (await answers(state.instanceUrl))) {
    log(`Local org: joining the one running at ${state.instanceUrl} (${relative(dir)})`);
    const tokens = {} as Record<Persona, string>;
    const userIds = {} as Record<Persona, string>;
    for (const p of PERSONAS) {
      tokens[p] = state.users[p].accessToken;
      userIds[p] = state.users[p].userId;
    }
    return {
      org: {
        instanceUrl: state.instanceUrl,
        orgId: state.orgId,
        tokens,
        userIds,
        started: false,
        dir
      }
    };
  }
  log(`Local org: starting in ${relative(dir)} (SQLite, kept between runs)`);
  const local = await startLocalOrg({ dir });
  const tokens = {} as Record<Persona, string>;
  const userIds = {} as Record<Persona, string>;
  for (const p of PERSONAS) {
    tokens[p] = local.users[p].accessToken;
    userIds[p] = local.users[p].userId;
  }
  return {
    org: {
      instanceUrl: local.instanceUrl,
      orgId: local.orgId,
      tokens,
      userIds,
      started: true,
      dir
    },
    local
  };
}

function connection(org: DemoOrg, persona: Persona): Connection {
  return new Connection({
    instanceUrl: org.instanceUrl,
    accessToken: org.tokens[persona],
    version: DEMO_API_VERSION
  });
}

/** Gives the rep persona the chosen sample accounts (an admin update of OwnerId). */
async function assignRepAccounts(
  admin: Connection,
  ids: Map<string, string>,
  wanted: string[],
  repUserId: string
): Promise<string[]> {
  const accountIds = wanted.map((ref) => ids.get(ref)).filter((id): id is string => Boolean(id));
  if (accountIds.length === 0) return [];
  const results = (await admin.sobject('Account').update(
    accountIds.map((Id) => ({ Id, OwnerId: repUserId })),
    { allOrNone: true }
  )) as unknown as Array<{ success: boolean; errors: Array<{ message: string }> }>;
  const failed = results.filter((r) => !r.success);
  if (failed.length) {
    throw new Error(
      `Could not give the rep its accounts: ${failed.map((r) => r.errors.map((e) => e.message).join('; ')).join('; ')}`
    );
  }
  return accountIds;
}

/**
 * Makes the manager the process owner of the touchpoints that have none:
 * users exist only once the org runs, so the plan cannot name them, and
 * follow-up tasks and the gap map need an owner.
 */
async function assignProcessOwners(admin: Connection, managerId: string): Promise<number> {
  const open = await admin.query<{ Id: string }>(
    'SELECT Id FROM CX_Touchpoint__c WHERE Process_Owner__c = null',
    { autoFetch: true }
  );
  if (open.records.length === 0) return 0;
  const results = (await admin.sobject('CX_Touchpoint__c').update(
    open.records.map((r) => ({ Id: r.Id, Process_Owner__c: managerId })),
    { allOrNone: true }
  )) as unknown as Array<{ success: boolean; errors: Array<{ message: string }> }>;
  const failed = results.filter((r) => !r.success);
  if (failed.length) {
    throw new Error(
      `Could not make the manager the touchpoints' process owner: ${failed.map((r) => r.errors.map((e) => e.message).join('; ')).join('; ')}`
    );
  }
  return open.records.length;
}

/** Each account's first case, opportunity and order, by AccountNumber, for the responses to name. */
async function accountTransactions(admin: Connection): Promise<Map<string, AccountTransactions>> {
  const accounts = await admin.query<{ Id: string; AccountNumber: string | null }>(
    'SELECT Id, AccountNumber FROM Account WHERE AccountNumber != null',
    { autoFetch: true }
  );
  const byId = new Map<string, AccountTransactions>();
  for (const a of accounts.records) byId.set(a.Id, {});
  const first = async <T extends { AccountId: string | null }>(
    soql: string,
    take: (row: T, links: AccountTransactions) => void
  ) => {
    for (const row of (await admin.query<T>(soql, { autoFetch: true })).records) {
      const links = row.AccountId ? byId.get(row.AccountId) : undefined;
      if (links) take(row, links);
    }
  };
  await first<{ AccountId: string | null; CaseNumber: string }>(
    'SELECT AccountId, CaseNumber FROM Case ORDER BY CreatedDate',
    (row, links) => (links.caseNumber ??= row.CaseNumber)
  );
  await first<{ AccountId: string | null; Id: string }>(
    'SELECT AccountId, Id FROM Opportunity ORDER BY CreatedDate',
    (row, links) => (links.opportunityId ??= row.Id)
  );
  await first<{ AccountId: string | null; OrderNumber: string }>(
    'SELECT AccountId, OrderNumber FROM Order ORDER BY CreatedDate',
    (row, links) => (links.orderNumber ??= row.OrderNumber)
  );
  const out = new Map<string, AccountTransactions>();
  for (const a of accounts.records) {
    const links = byId.get(a.Id);
    if (a.AccountNumber && links) out.set(a.AccountNumber, links);
  }
  return out;
}

/** The record of an account with the most perceptions about it (the first one when none has any). */
async function busiestRecord(
  admin: Connection,
  object: 'Case' | 'Opportunity',
  accountId: string
): Promise<string | null> {
  const field = object === 'Case' ? 'Case__c' : 'Opportunity__c';
  const counted = await admin.query<Record<string, string | number>>(
    `SELECT ${field}, COUNT(Id) n FROM CX_Perception__c WHERE Account__c = '${accountId}' AND ${field} != null GROUP BY ${field}`
  );
  const busiest = counted.records
    .map((r) => ({ id: String(r[field]), n: Number(r.n) }))
    .sort((a, b) => b.n - a.n)[0]?.id;
  if (busiest) return busiest;
  const rows = await admin.query<{ Id: string }>(
    `SELECT Id FROM ${object} WHERE AccountId = '${accountId}' ORDER BY CreatedDate LIMIT 1`
  );
  return rows.records[0]?.Id ?? null;
}

/**
 * Runs the demo: org, sample data, responses through the sync, workbench.
 * A second run on the same folder reuses the org's data and the store's
 * responses, so it only starts the servers and runs a quick sync.
 */
export async function runDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const timings: Record<string, number> = {};
  const dir = path.resolve(options.dir ?? defaultDemoDir());
  // Without --dir, the folders the other commands use (and their environment overrides),
  // so `outside-in status` or `outside-in sync` work on the demo's org and store.
  const orgDir = options.dir ? path.join(dir, 'org') : defaultOrgDir();
  const storeDir = options.dir
    ? path.join(dir, 'store')
    : path.resolve(process.env.OUTSIDE_IN_STORE_DIR ?? path.join(dir, 'store'));
  const demoDir = path.join(dir, 'demo');
  const planPath = path.resolve(
    options.planPath ?? path.join(REPO_ROOT, 'data', 'sample-data-plan.json')
  );
  const count = options.responses ?? DEFAULT_RESPONSES;
  const seed = options.seed ?? DEFAULT_SEED;
  const months = options.months ?? DEFAULT_MONTHS;
  if (!Number.isInteger(count) || count < 0)
    throw new Error('responses must be a whole number >= 0');
  if (!Number.isInteger(months) || months < 1)
    throw new Error('months must be a whole number >= 1');
  log(`Outside-In demo in ${relative(dir)}`);

  // The components compile in a child process while the org fills up.
  const buildStarted = Date.now();
  const building: Promise<WorkbenchBuild> = buildWorkbench({
    log: () => undefined,
    ...options.buildOptions
  });
  building.catch(() => undefined);

  let step = Date.now();
  const { org, local } = await openOrg(orgDir, log);
  const cleanups: Array<() => Promise<void> | void> = [];
  if (local) cleanups.push(() => local.close());
  const fail = async (err: unknown): Promise<never> => {
    for (const c of cleanups.reverse()) await c();
    throw err;
  };
  timings.org = (Date.now() - step) / 1000;
  log(`  running at ${org.instanceUrl}, org ${org.orgId} [${seconds(Date.now() - step)}]`);

  try {
    // ---------------------------------------------------------------- sample data
    step = Date.now();
    const admin = connection(org, 'admin');
    log(`Sample data: ${relative(planPath)}`);
    const sample = await loadSampleData(admin, planPath, {
      skip: options.skipObjects ?? DEMO_SKIPPED_OBJECTS,
      onProgress: (p) => log(`  ${p.sobject}: ${p.created} records (${path.basename(p.file)})`)
    });
    if (sample.loaded) {
      log(
        `  loaded ${sample.created} records in ${sample.requests} tree requests [${seconds(Date.now() - step)}]`
      );
    } else {
      log('  already loaded: reusing the org data');
    }
    const repAccountIds = await assignRepAccounts(
      admin,
      sample.refs,
      options.repAccounts ?? REP_ACCOUNTS,
      org.userIds.rep
    );
    log(`  the rep owns ${repAccountIds.length} accounts; the manager sees all`);
    const owned = await assignProcessOwners(admin, org.userIds.manager);
    if (owned) log(`  the manager owns the process of ${owned} touchpoints`);
    timings.sampleData = (Date.now() - step) / 1000;

    // ---------------------------------------------------------------- responses through the sync
    step = Date.now();
    fs.mkdirSync(demoDir, { recursive: true });
    const responsesFile = path.join(demoDir, 'responses.csv');
    const mappingFile = path.join(demoDir, 'mapping.json');
    const store = new Store(org.orgId, { dir: storeDir });
    cleanups.push(() => store.close());
    const held = storeStatus(store).responses.imported;
    const files: string[] = [];
    let mapping;
    if (held >= count) {
      log(`Survey responses: the store (${relative(store.file)}) holds ${held} already`);
    } else {
      log(
        `Survey responses: generating ${count} over ${months} months into ${relative(responsesFile)}`
      );
      const written = await writeDemoResponses(responsesFile, {
        count,
        seed,
        months,
        dataDir: path.dirname(planPath),
        transactions: await accountTransactions(admin)
      });
      fs.writeFileSync(mappingFile, `${JSON.stringify(written.mapping, null, 2)}\n`);
      mapping = written.mapping;
      files.push(responsesFile);
    }
    const sync = connection(org, 'sync');
    let lastRows = 0;
    const result = await runSync(
      store,
      {
        conn: sync,
        orgId: org.orgId,
        instanceUrl: org.instanceUrl,
        username: null,
        local: true
      },
      {
        files,
        ...(mapping
          ? {
              import: {
                mapping,
                onProgress: ({ rows }) => {
                  if (rows - lastRows >= 1000) {
                    lastRows = rows;
                    log(`    ${rows} rows read`);
                  }
                }
              }
            }
          : {}),
        onStage: (stage) => {
          log(`  sync as the sync user: ${stage}... [${seconds(Date.now() - step)}]`);
        }
      }
    );
    if (result.status === 'Failed') {
      throw new Error(`The sync failed: ${result.error ?? 'no reason given'}`);
    }
    const push = result.push;
    log(
      `  ${result.counts.stored} stored, ${result.counts.quarantined} quarantined, ` +
        `${result.match?.matched ?? 0} matched, ${result.score?.scopesWritten ?? 0} score snapshots, ` +
        `${push?.perceptions.pushed ?? 0} perceptions and ${push?.snapshots.pushed ?? 0} snapshots pushed, ` +
        `${push?.tasks.created ?? 0} follow-up tasks (${result.status}, ${result.apiCalls.total} API calls) ` +
        `[${seconds(Date.now() - step)}]`
    );
    timings.sync = (Date.now() - step) / 1000;

    // ---------------------------------------------------------------- workbench
    step = Date.now();
    log('Workbench: compiling the components (cached after the first start)...');
    const build = await building;
    log(
      `  ${build.cached ? 'reused the build' : 'built'} ${build.components.length} components [${seconds(Date.now() - buildStarted)} since start]`
    );
    const workbench = await startWorkbench({
      orgInstanceUrl: org.instanceUrl,
      tokens: Object.fromEntries(WORKBENCH_PERSONAS.map((p) => [p, org.tokens[p]])),
      build,
      ...(options.port !== undefined ? { port: options.port } : {}),
      log
    });
    cleanups.push(() => workbench.close());
    timings.workbench = (Date.now() - step) / 1000;

    const account = repAccountIds[0] ?? [...sample.refs.values()][0];
    if (!account) throw new Error('No sample account to show');
    const caseId = await busiestRecord(admin, 'Case', account);
    const opportunityId = await busiestRecord(admin, 'Opportunity', account);
    const links: DemoLinks = {
      account: `${workbench.url}/lightning/r/Account/${account}/view`,
      case: caseId ? `${workbench.url}/lightning/r/Case/${caseId}/view` : null,
      opportunity: opportunityId
        ? `${workbench.url}/lightning/r/Opportunity/${opportunityId}/view`
        : null
    };
    timings.total = (Date.now() - started) / 1000;
    let closed = false;
    return {
      url: workbench.url,
      links,
      org,
      workbench,
      sampleIds: sample.refs,
      repAccountIds,
      sync: result,
      responsesFile,
      storeFile: store.file,
      timings,
      close: async () => {
        if (closed) return;
        closed = true;
        for (const c of cleanups.reverse()) await c();
      }
    };
  } catch (err) {
    return fail(err);
  }
}
