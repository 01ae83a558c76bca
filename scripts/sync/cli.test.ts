import { Connection } from '@jsforce/jsforce-node';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../cli/main';
import { startLocalOrg, type LocalOrg } from '../local-org';
import { loadProjectSchema } from '../metadata/forceApp';
import { generateFile, sampleConfig } from './generate';
import { loadSampleData } from './testing';

/**
 * The sync commands through the CLI entry against a running local org (found
 * through its state file, as users run it): the --json shapes, exit codes,
 * the access token kept out of every output, and a real kill -9 mid-push.
 */

jest.setTimeout(180_000);

/** Runs the CLI in a child process (async: the local org serves from this process). */
function cli(
  args: string[],
  env: NodeJS.ProcessEnv
): Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, cwd: dir });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout }));
  });
}

let org: LocalOrg;
let dir: string;
let csv: string;
let mappingFile: string;
const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'scripts', 'bin', 'outside-in.js');

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oi-cli-'));
  org = await startLocalOrg({ dir: path.join(dir, 'org'), schema: loadProjectSchema() });
  const admin = new Connection({
    instanceUrl: org.instanceUrl,
    accessToken: org.users.admin.accessToken,
    version: '62.0'
  });
  await loadSampleData(admin, undefined, { skip: ['CX_Perception__c'] });
  process.env.OUTSIDE_IN_LOCAL_ORG_DIR = path.join(dir, 'org');
  process.env.OUTSIDE_IN_STORE_DIR = path.join(dir, 'store');
  process.env.OUTSIDE_IN_POLL_MS = '20';
  csv = path.join(dir, 'r.csv');
  mappingFile = path.join(dir, 'm.json');
  expect(
    await run([
      'generate',
      '--count',
      '300',
      '--seed',
      '5',
      '--bad-rate',
      '0.05',
      '--out',
      csv,
      '--mapping-out',
      mappingFile
    ])
  ).toMatchObject({ code: 0 });
});
afterAll(async () => {
  await org.close();
  fs.rmSync(dir, { recursive: true, force: true });
  for (const k of ['OUTSIDE_IN_LOCAL_ORG_DIR', 'OUTSIDE_IN_STORE_DIR', 'OUTSIDE_IN_POLL_MS'])
    delete process.env[k];
});

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = jest
    .spyOn(process.stdout, 'write')
    .mockImplementation((s) => ((out += String(s)), true));
  const e = jest
    .spyOn(process.stderr, 'write')
    .mockImplementation((s) => ((err += String(s)), true));
  try {
    const code = await main(argv);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const json = async (argv: string[]) => {
  const r = await run([...argv, '--json']);
  return {
    ...r,
    body: JSON.parse(r.out) as {
      ok: boolean;
      command: string;
      result?: Record<string, unknown>;
      error?: { name: string; message: string };
    }
  };
};

const tokens = () => Object.values(org.users).map((u) => u.accessToken);
const keys = (o: unknown) => Object.keys(o as object).sort();

describe('sync commands through the CLI', () => {
  it('import --json: a stable shape', async () => {
    const r = await json(['import', csv, '--mapping', mappingFile]);
    expect(r.code).toBe(0);
    expect(r.body).toMatchObject({ ok: true, command: 'import' });
    expect(keys(r.body.result)).toEqual([
      'created',
      'edited',
      'failedFiles',
      'files',
      'quarantined',
      'read',
      'stored',
      'unchanged'
    ]);
    const file = (r.body.result!.files as Record<string, unknown>[])[0];
    expect(keys(file)).toEqual([
      'created',
      'delimiter',
      'edited',
      'encoding',
      'error',
      'file',
      'format',
      'importId',
      'quarantined',
      'read',
      'status',
      'stored',
      'unchanged',
      'unusedColumns',
      'warnings'
    ]);
    expect(r.body.result!.read).toBe(300);
  });

  it('match, then score without a file: the store step adds the new responses only', async () => {
    expect((await json(['match'])).code).toBe(0);
    const first = await json(['score']);
    expect(first.code).toBe(0);
    expect(first.body).toMatchObject({ ok: true, command: 'score' });
    expect(keys(first.body.result)).toEqual([
      'added',
      'awaitingMatch',
      'changed',
      'failures',
      'includesThrough',
      'recomputed',
      'repCaptures',
      'scopesWritten'
    ]);
    expect(first.body.result!.added).toBeGreaterThan(0);
    const again = await json(['score']);
    expect(again.body.result).toMatchObject({ added: 0, changed: 0 });
  });

  it('sync --json and status --json: stable shapes, counts reconcile, no token anywhere', async () => {
    const r = await json(['sync', '--bulk-threshold', '50']);
    expect(r.code).toBe(0);
    expect(keys(r.body.result)).toEqual([
      'apiCalls',
      'counts',
      'durationsMs',
      'error',
      'finishedAt',
      'import',
      'match',
      'push',
      'runId',
      'score',
      'startedAt',
      'status'
    ]);
    expect(keys((r.body.result as { counts: object }).counts)).toEqual([
      'failed',
      'matched',
      'pushed',
      'quarantined',
      'read',
      'stored',
      'unmatched'
    ]);
    const s = await json(['status']);
    expect(s.code).toBe(0);
    expect(keys(s.body.result)).toEqual([
      'failed',
      'imports',
      'lastRun',
      'matchPending',
      'matched',
      'orgId',
      'pushPending',
      'pushed',
      'quarantined',
      'read',
      'reconciled',
      'responses',
      'schemaVersion',
      'scopes',
      'scorePending',
      'store',
      'stored',
      'tasks',
      'unmatched',
      'unmatchedReasons'
    ]);
    expect(s.body.result).toMatchObject({ read: 300, reconciled: true, pushPending: 0 });
    for (const t of tokens()) expect(r.out + s.out + r.err + s.err).not.toContain(t);
  });

  it('quarantine export writes the rejected rows; bad input gives a clear error and a non-zero exit', async () => {
    const out = path.join(dir, 'q.csv');
    const r = await json(['quarantine', 'export', out]);
    expect(r.code).toBe(0);
    expect(r.body.result).toMatchObject({ file: out });
    expect(fs.readFileSync(out, 'utf8').split('\r\n')[0]).toMatch(
      /^Quarantine Stage,Quarantine File,Quarantine Row/
    );
    const missing = await run(['import', path.join(dir, 'nope.csv')]);
    expect(missing.code).toBe(1);
    expect(missing.out + missing.err).toMatch(/nope\.csv: file not found/);
    const badMapping = path.join(dir, 'bad-mapping.json');
    fs.writeFileSync(badMapping, '{"version": 1, "columns": {"Email": "mail"}}');
    const bad = await json(['import', csv, '--mapping', badMapping]);
    expect(bad.code).toBe(1);
    expect(bad.body).toMatchObject({ ok: false, command: 'import' });
    expect(bad.body.error?.message).toMatch(/bad-mapping\.json: columns\.Email: must be one of/);
  });

  it('an unknown --target-org fails clearly without leaking a token', async () => {
    const r = await json(['status', '--target-org', 'no-such-alias@example.com']);
    expect(r.code).toBe(1);
    expect(r.body.error?.message).toMatch(/no-such-alias@example\.com/);
    for (const t of tokens()) expect(r.out + r.err).not.toContain(t);
  });

  it('kill -9 inside a bulk job, then rerun: nothing lost, nothing duplicated', async () => {
    const more = path.join(dir, 'more.csv');
    await generateFile(more, { count: 400, seed: 6, offset: 10_000, config: sampleConfig() });
    const env = { ...process.env, OUTSIDE_IN_CRASH_AT: 'push:job1:uploaded' };
    const killed = await cli(
      ['sync', more, '--mapping', mappingFile, '--bulk-threshold', '50'],
      env
    );
    expect(killed.signal).toBe('SIGKILL');
    const rerun = await cli(['sync', '--bulk-threshold', '50', '--json'], process.env);
    expect(rerun.status).toBe(0);
    const body = JSON.parse(rerun.stdout) as { result: { push: { resumedJobs: number } } };
    expect(body.result.push.resumedJobs).toBeGreaterThan(0);
    const admin = new Connection({
      instanceUrl: org.instanceUrl,
      accessToken: org.users.admin.accessToken,
      version: '62.0'
    });
    const perceptions = await admin.query<{ Response_Id__c: string }>(
      'SELECT Response_Id__c FROM CX_Perception__c',
      { autoFetch: true, maxFetch: 100000 }
    );
    const ids = perceptions.records.map((p) => p.Response_Id__c);
    expect(new Set(ids).size).toBe(ids.length);
    const status = await json(['status']);
    expect(status.body.result).toMatchObject({ pushPending: 0, failed: 0, reconciled: true });
    expect(ids.length).toBe((status.body.result as { pushed: number }).pushed);
    const tasks = await admin.query<{ CX_Response_Id__c: string }>(
      'SELECT CX_Response_Id__c FROM Task',
      { autoFetch: true, maxFetch: 100000 }
    );
    const taskIds = tasks.records.map((t) => t.CX_Response_Id__c);
    expect(new Set(taskIds).size).toBe(taskIds.length);
  });
});
