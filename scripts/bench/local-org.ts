/**
 * Local org benchmark: a 10,000-record query with a parent field, read with
 * jsforce and autoFetch over HTTP (five pages of 2,000), as the sync and the
 * Salesforce CLI read an org. Run alone with `npx tsx scripts/bench/local-org.ts`
 * (writes bench-results/local-org.json).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@jsforce/jsforce-node';
import { startLocalOrg } from '../local-org/org';

const RECORDS = 10_000;
const ACCOUNTS = 500;
const RUNS = 5;
const SOQL =
  'SELECT Id, Response_Id__c, Perception__c, Expectation__c, Gap__c, Occurred_At__c, Account__r.Name FROM CX_Perception__c';

async function fetchAll(conn: Connection): Promise<number> {
  let n = 0;
  await new Promise<void>((resolve, reject) => {
    conn
      .query(SOQL, { autoFetch: true, maxFetch: RECORDS * 2 })
      .on('record', () => n++)
      .on('end', () => resolve())
      .on('error', reject)
      .run({ autoFetch: true, maxFetch: RECORDS * 2 });
  });
  return n;
}

export async function runLocalOrgBench(): Promise<Record<string, unknown>> {
  const org = await startLocalOrg({ memory: true });
  try {
    const { core } = org;
    const sync = core.context('sync');
    const seedStart = performance.now();
    core.records.transaction(() => {
      const accounts: string[] = [];
      for (let i = 0; i < ACCOUNTS; i++) {
        accounts.push(core.records.create(sync, 'Account', { Name: `Bench Account ${i}` }));
      }
      for (let i = 0; i < RECORDS; i++) {
        core.records.create(sync, 'CX_Perception__c', {
          Account__c: accounts[i % ACCOUNTS],
          Occurred_At__c: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
          Source__c: 'Import',
          Response_Id__c: `bench-${i}`,
          Perception__c: (i * 37) % 100,
          Expectation__c: (i * 11) % 100
        });
      }
    });
    const seedMs = performance.now() - seedStart;
    const conn = new Connection({
      instanceUrl: org.instanceUrl,
      accessToken: org.users.sync.accessToken,
      version: '62.0'
    });
    await fetchAll(conn); // warm-up: JIT and statement cache
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      rows = await fetchAll(conn);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    return {
      name: 'local-org',
      node: process.version,
      cpus: cpus().length,
      loadavg: loadavg().map((l) => Number(l.toFixed(2))),
      query: {
        soql: SOQL,
        records: rows,
        pages: Math.ceil(rows / 2000),
        runs: RUNS,
        medianMs: Number(median.toFixed(1)),
        minMs: Number(times[0]!.toFixed(1)),
        recordsPerSecond: Math.round((rows / median) * 1000)
      },
      seed: {
        records: RECORDS + ACCOUNTS,
        ms: Number(seedMs.toFixed(1)),
        recordsPerSecond: Math.round(((RECORDS + ACCOUNTS) / seedMs) * 1000)
      }
    };
  } finally {
    await org.close();
  }
}

if (require.main === module) {
  runLocalOrgBench()
    .then((result) => {
      const dir = join(__dirname, '../../bench-results');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'local-org.json'), `${JSON.stringify(result, null, 2)}\n`);
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    })
    .catch((err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exitCode = 1;
    });
}
