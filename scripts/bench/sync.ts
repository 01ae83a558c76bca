/**
 * Sync benchmark, four figures in one JSON result (bench-results/sync.json):
 *
 * 1. full sync (import + match + score + push) of N generated responses into
 *    a fresh local org, against `sf data upsert bulk --wait` of the same
 *    perception rows into another fresh local org (with the CLI's start-up
 *    time beside it);
 * 2. API calls of that sync, per object and in total, and per Bulk job;
 * 3. scoring 1k new responses into a store of M against scoring all M;
 * 4. peak RSS (VmHWM) and rows/s of `outside-in import` of a large CSV
 *    (default 1 GB), run as users run it.
 *
 * Run alone: `npx tsx scripts/bench/sync.ts [--count 100000] [--store 1000000]
 * [--big-mb 1024] [--no-sf] [--soak N]`. The soak (`--soak N`) kills a sync N
 * times at random moments with SIGKILL and checks the rerun ends identical.
 */
import { Connection } from '@jsforce/jsforce-node';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import type { LocalOrg } from '../local-org';
import type { ProjectSchema } from '../metadata/types';
import { startLocalOrg } from '../local-org/org';
import { loadProjectSchema } from '../metadata/forceApp';
import { generateFile, generatedMapping, sampleConfig } from '../sync/generate';
import { loadSampleData } from '../sync/testing';
import { importFiles } from '../sync/importer';
import { scoreStore } from '../sync/score';
import { Store } from '../sync/store';

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'scripts', 'bin', 'outside-in.js');
const args = process.argv.slice(2);
const flag = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const config = sampleConfig();
const mapping = generatedMapping(config);

function run(cmd: string, argv: string[], env: NodeJS.ProcessEnv, cwd: string) {
  return new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
    ms: number;
  }>((resolve, reject) => {
    const t = Date.now();
    const child = spawn(cmd, argv, { env, cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({ code, signal, stdout, stderr, ms: Date.now() - t })
    );
  });
}

/** The mapping file (version 1) of the generated files, written by the CLI as users would. */
async function writeMapping(work: string, name: string, env: NodeJS.ProcessEnv): Promise<string> {
  const file = path.join(work, `${name}.json`);
  await run(
    process.execPath,
    [
      BIN,
      'generate',
      '--count',
      '1',
      '--out',
      path.join(work, `${name}-sample.csv`),
      '--mapping-out',
      file
    ],
    env,
    work
  );
  return file;
}

async function freshOrg(
  schema: ProjectSchema,
  dir?: string
): Promise<{ org: LocalOrg; admin: Connection; sync: Connection }> {
  const org = await startLocalOrg(dir ? { dir, schema } : { memory: true, schema });
  const admin = new Connection({
    instanceUrl: org.instanceUrl,
    accessToken: org.users.admin.accessToken,
    version: '62.0'
  });
  await loadSampleData(admin, path.join(ROOT, 'data'), { skip: ['CX_Perception__c'] });
  const sync = new Connection({
    instanceUrl: org.instanceUrl,
    accessToken: org.users.sync.accessToken,
    version: '62.0'
  });
  return { org, admin, sync };
}

/** 1 + 2: our full sync, then `sf data upsert bulk` of the same perception rows. */
async function fullSync(work: string, schema: ProjectSchema, count: number, withSf: boolean) {
  const file = path.join(work, 'responses.csv');
  await generateFile(file, { count, seed: 42, badRate: 0.01, config });
  // The sync runs as users run it: the CLI in its own process, against the org served here
  // (as `sf data upsert bulk` below), so neither shares a thread with the org.
  const orgDir = path.join(work, 'org-sync');
  const { org } = await freshOrg(schema, orgDir);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OUTSIDE_IN_LOCAL_ORG_DIR: orgDir,
    OUTSIDE_IN_STORE_DIR: path.join(work, 'store')
  };
  // The sync polls bulk jobs as it would in production.
  delete env.OUTSIDE_IN_POLL_MS;
  const mappingFile = await writeMapping(work, 'mapping', env);
  const t = Date.now();
  const cliRun = await run(
    process.execPath,
    [BIN, 'sync', file, '--mapping', mappingFile, '--json'],
    env,
    work
  );
  const syncMs = Date.now() - t;
  const body = JSON.parse(cliRun.stdout) as {
    ok: boolean;
    result: {
      status: string;
      counts: Record<string, number>;
      apiCalls: { total: number; byObject: Record<string, number> };
      push: { jobs: string[] } | null;
      durationsMs: Record<string, number>;
    };
  };
  const result = body.result;
  const counter = { total: result.apiCalls.total, calls: result.apiCalls.byObject };
  const jobs = result.push?.jobs.length ?? 0;
  // Calls per Bulk job: every bulk call is counted under `<object>:bulk`.
  const bulkCalls = Object.entries(counter.calls)
    .filter(([k]) => k.endsWith(':bulk'))
    .reduce((n, [, v]) => n + v, 0);
  const store = new Store(org.orgId, { dir: path.join(work, 'store') });
  const perceptionCsv = path.join(work, 'perceptions.csv');
  const out = fs.createWriteStream(perceptionCsv);
  const cols = [
    'Response_Id__c',
    'Account__c',
    'Contact__c',
    'Touchpoint__c',
    'Channel__c',
    'Occurred_At__c',
    'Case__c',
    'Opportunity__c',
    'Order__c',
    'Related_Record_Id__c',
    'Source__c',
    'NPS__c',
    'CSAT__c',
    'CES__c',
    'Expectation__c',
    'Perception__c',
    'Self_Rating__c',
    'Comment__c',
    'Language__c',
    'Answers__c'
  ];
  out.write(cols.join(',') + '\n');
  const q = (v: unknown) =>
    v === null || v === undefined
      ? ''
      : /[",\n\r]/.test(String(v))
        ? `"${String(v).replace(/"/g, '""')}"`
        : String(v);
  let rows = 0;
  for (const r of store.db
    .prepare("SELECT * FROM responses WHERE pushed_key IS NOT NULL AND source = 'Import'")
    .iterate() as IterableIterator<Record<string, unknown>>) {
    out.write(
      [
        r.response_id,
        r.account_id,
        r.contact_id,
        r.touchpoint_id,
        r.channel,
        r.occurred_at,
        r.case_id,
        r.opportunity_id,
        r.order_id,
        r.related_record_id,
        'Import',
        r.nps,
        r.csat,
        r.ces,
        r.expectation,
        r.perception,
        r.self_rating,
        r.comment,
        r.language,
        r.answers
      ]
        .map(q)
        .join(',') + '\n'
    );
    rows++;
  }
  await new Promise((r) => out.end(r));
  store.close();
  await org.close();

  let sf: Record<string, unknown> = { skipped: true };
  if (withSf) {
    const other = await freshOrg(schema);
    const home = path.join(work, 'sf-home');
    fs.mkdirSync(home, { recursive: true });
    const env = {
      ...process.env,
      HOME: home,
      SF_DISABLE_TELEMETRY: 'true',
      SF_AUTOUPDATE_DISABLE: 'true',
      SF_DISABLE_DNS_CHECK: 'true',
      SF_ACCESS_TOKEN: other.org.users.sync.accessToken
    };
    const sfBin = path.join(ROOT, 'node_modules', '.bin', 'sf');
    const version = await run(sfBin, ['--version'], env, work);
    const login = await run(
      sfBin,
      [
        'org',
        'login',
        'access-token',
        '--instance-url',
        other.org.instanceUrl,
        '--alias',
        'bench',
        '--no-prompt'
      ],
      env,
      work
    );
    const upsert = await run(
      sfBin,
      [
        'data',
        'upsert',
        'bulk',
        '--sobject',
        'CX_Perception__c',
        '--file',
        perceptionCsv,
        '--external-id',
        'Response_Id__c',
        '--wait',
        '30',
        '--target-org',
        'bench',
        '--json'
      ],
      env,
      work
    );
    const loaded = await other.admin.query('SELECT COUNT() FROM CX_Perception__c');
    sf = {
      startupMs: version.ms,
      loginOk: login.code === 0,
      upsertMs: upsert.ms,
      exitCode: upsert.code,
      rowsInOrg: loaded.totalSize,
      ...(upsert.code !== 0 ? { error: (upsert.stdout + upsert.stderr).slice(0, 500) } : {})
    };
    await other.org.close();
  }
  return {
    responses: count,
    syncMs,
    syncExit: cliRun.code,
    syncStagesMs: result.durationsMs,
    status: result.status,
    counts: result.counts,
    perceptionRows: rows,
    sfDataUpsertBulk: sf,
    ratioSyncToSfUpsert:
      typeof sf.upsertMs === 'number'
        ? Math.round((syncMs / (sf.upsertMs as number)) * 100) / 100
        : null,
    apiCalls: {
      total: counter.total,
      perHundredThousand: Math.round((counter.total * 100_000) / count),
      byObject: counter.calls,
      bulkJobs: jobs,
      callsPerBulkJob: jobs ? Math.round((bulkCalls / jobs) * 10) / 10 : null
    }
  };
}

/** 3: 1k new responses into a store of M, against scoring all M. */
async function incremental(work: string, size: number) {
  const store = new Store('00D000000000BENCH', { dir: path.join(work, 'inc-store') });
  const journey = new Map(config.touchpoints.map((t) => [t.key, t.journey]));
  const fakeMatch = () => {
    // Matching needs an org; here the account is the account number, the touchpoint its key.
    const upd = store.db.prepare(
      "UPDATE responses SET match_status = 'matched', account_id = account_ref, touchpoint_key = touchpoint_ref, journey_key = ? WHERE touchpoint_ref = ? AND match_status = 'pending'"
    );
    store.tx(() => {
      for (const [k, j] of journey) upd.run(j, k);
      store.db
        .prepare("UPDATE responses SET match_status = 'unmatched' WHERE match_status = 'pending'")
        .run();
    });
  };
  const big = path.join(work, 'store-m.csv');
  await generateFile(big, { count: size, seed: 7, config });
  const ti = Date.now();
  await importFiles(store, [big], { mapping });
  const importMs = Date.now() - ti;
  fs.rmSync(big);
  fakeMatch();
  let t = Date.now();
  const full = scoreStore(store);
  const fullMs = Date.now() - t;
  const small = path.join(work, 'store-1k.csv');
  await generateFile(small, { count: 1000, seed: 8, offset: size, config });
  await importFiles(store, [small], { mapping });
  fakeMatch();
  t = Date.now();
  const inc = scoreStore(store);
  const incMs = Date.now() - t;
  store.close();
  return {
    storeSize: size,
    importMs,
    importRowsPerSecond: Math.round(size / (importMs / 1000)),
    fullScoreMs: fullMs,
    fullAdded: full.added,
    addThousandMs: incMs,
    added: inc.added,
    ratioPercent: Math.round((incMs / fullMs) * 10000) / 100,
    goalPercent: 2
  };
}

/**
 * Runs a command and follows its peak RSS as the kernel counts it: VmHWM in
 * /proc/<pid>/status (a high-water mark, so polling cannot miss a peak except
 * in the last interval before exit). null where /proc does not exist.
 */
function runWithPeakRss(argv: string[], env: NodeJS.ProcessEnv, cwd: string) {
  return new Promise<{
    code: number | null;
    stdout: string;
    stderr: string;
    ms: number;
    peakRssMB: number | null;
  }>((resolve, reject) => {
    const t = Date.now();
    const child = spawn(process.execPath, argv, { env, cwd });
    let stdout = '';
    let stderr = '';
    let hwmKb: number | null = null;
    const poll = () => {
      try {
        const m = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) hwmKb = Math.max(hwmKb ?? 0, Number(m[1]));
      } catch {
        // Gone (or no /proc): keep the last reading.
      }
    };
    poll();
    const timer = setInterval(poll, 50);
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('error', (e) => {
      clearInterval(timer);
      reject(e);
    });
    child.on('exit', () => {
      clearInterval(timer);
    });
    child.on('close', (code) =>
      resolve({
        code,
        stdout,
        stderr,
        ms: Date.now() - t,
        peakRssMB: hwmKb === null ? null : Math.round(hwmKb / 1024)
      })
    );
  });
}

/**
 * 4: a large CSV (default 1 GB) imported as users import it: `outside-in
 * import --mapping` in its own process, against a local org found through
 * its state file; that process's peak RSS, and rows per second.
 */
export async function bigImport(work: string, mb: number) {
  const file = path.join(work, 'big.csv');
  // Rows for the size: measure a sample's bytes per row first.
  await generateFile(file, { count: 2000, seed: 9, config });
  const perRow = fs.statSync(file).size / 2000;
  const rows = Math.ceil((mb * 1024 * 1024) / perRow);
  await generateFile(file, { count: rows, seed: 9, config });
  const size = fs.statSync(file).size;
  const orgDir = path.join(work, 'big-org');
  const org = await startLocalOrg({ dir: orgDir, schema: loadProjectSchema(ROOT) });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OUTSIDE_IN_LOCAL_ORG_DIR: orgDir,
    OUTSIDE_IN_STORE_DIR: path.join(work, 'big-store')
  };
  try {
    const mappingFile = await writeMapping(work, 'big-mapping', env);
    const r = await runWithPeakRss(
      [BIN, 'import', file, '--mapping', mappingFile, '--json'],
      env,
      work
    );
    const body = JSON.parse(r.stdout || '{}') as {
      ok?: boolean;
      result?: { read: number; stored: number; quarantined: number };
      error?: { message: string };
    };
    const read = body.result?.read ?? 0;
    return {
      fileMB: Math.round(size / 1024 / 1024),
      rows,
      exitCode: r.code,
      ...(body.ok ? {} : { error: (body.error?.message ?? r.stderr).slice(0, 500) }),
      read,
      stored: body.result?.stored ?? 0,
      quarantined: body.result?.quarantined ?? 0,
      importMs: r.ms,
      rowsPerSecond: Math.round(read / (r.ms / 1000)),
      peakRssMB: r.peakRssMB,
      goalPeakRssMB: 300
    };
  } finally {
    await org.close();
    fs.rmSync(file, { force: true });
    fs.rmSync(path.join(work, 'big-store'), { recursive: true, force: true });
  }
}

/** Randomized kill -9 soak: kill a CLI sync at random moments, rerun, compare with a clean org. */
async function soak(work: string, schema: ProjectSchema, times: number) {
  const file = path.join(work, 'soak.csv');
  await generateFile(file, { count: 3000, seed: 77, badRate: 0.02, config });
  const dir = path.join(work, 'soak-org');
  const { org, admin } = await freshOrg(schema, dir);
  const env = {
    ...process.env,
    OUTSIDE_IN_LOCAL_ORG_DIR: dir,
    OUTSIDE_IN_STORE_DIR: path.join(work, 'soak-store'),
    OUTSIDE_IN_POLL_MS: '50'
  };
  const mappingFile = await writeMapping(work, 'soak-mapping', env);
  let kills = 0;
  for (let i = 0; i < times; i++) {
    const child = spawn(
      process.execPath,
      [BIN, 'sync', file, '--mapping', mappingFile, '--bulk-threshold', '200'],
      { env, cwd: work }
    );
    const wait = 300 + Math.floor(Math.random() * 4000);
    const done = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    const timer = setTimeout(() => {
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        kills++;
      }
    }, wait);
    await done;
    clearTimeout(timer);
  }
  const final = await run(
    process.execPath,
    [BIN, 'sync', file, '--mapping', mappingFile, '--json'],
    env,
    work
  );
  const status = await run(process.execPath, [BIN, 'status', '--json'], env, work);
  const perceptions = await admin.query<{ Response_Id__c: string }>(
    'SELECT Response_Id__c FROM CX_Perception__c',
    { autoFetch: true, maxFetch: 1_000_000 }
  );
  const ids = perceptions.records.map((p) => p.Response_Id__c);
  const tasks = await admin.query<{ CX_Response_Id__c: string }>(
    'SELECT CX_Response_Id__c FROM Task',
    { autoFetch: true, maxFetch: 1_000_000 }
  );
  const taskIds = tasks.records.map((p) => p.CX_Response_Id__c);
  await org.close();
  const state = (JSON.parse(status.stdout) as { result: Record<string, unknown> }).result;
  return {
    runs: times,
    kills,
    finalExit: final.code,
    perceptions: ids.length,
    duplicatePerceptions: ids.length - new Set(ids).size,
    tasks: taskIds.length,
    duplicateTasks: taskIds.length - new Set(taskIds).size,
    matchedInStore: state.matched,
    pushedInStore: state.pushed,
    reconciled: state.reconciled,
    identical:
      ids.length === state.pushed &&
      ids.length === new Set(ids).size &&
      taskIds.length === new Set(taskIds).size
  };
}

/** The four sync figures (and the soak with `--soak N`); options default to the command line's. */
export async function runSyncBench(): Promise<Record<string, unknown>> {
  const work = fs.mkdtempSync(path.join(tmpdir(), 'oi-bench-sync-'));
  process.env.OUTSIDE_IN_POLL_MS = process.env.OUTSIDE_IN_POLL_MS ?? '100';
  const schema = loadProjectSchema(ROOT);
  try {
    const started = new Date().toISOString();
    const sync = await fullSync(work, schema, flag('count', 100_000), !args.includes('--no-sf'));
    const inc = await incremental(work, flag('store', 1_000_000));
    const big = await bigImport(work, flag('big-mb', 1024));
    const soakRuns = flag('soak', 0);
    const result = {
      benchmark: 'sync',
      started,
      machine: {
        cpus: cpus().length,
        model: cpus()[0]?.model ?? null,
        loadavg: loadavg(),
        node: process.version
      },
      fullSync: sync,
      incrementalScore: inc,
      largeImport: big,
      ...(soakRuns > 0 ? { killSoak: await soak(work, schema, soakRuns) } : {})
    };
    return result;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function main() {
  const result = await runSyncBench();
  const dir = path.join(ROOT, 'bench-results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'sync.json'), JSON.stringify(result, null, 2) + '\n');
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
}
