/**
 * Local org Bulk API 2.0 benchmark: an upsert of 100k CX_Perception__c rows
 * (external Id Response_Id__c, master-detail to Account) through jsforce's
 * bulk2 client as the sync user, first creating every record, then updating
 * them all; rows per second from job creation to the last result row.
 * Run alone with `npx tsx scripts/bench/local-org-bulk.ts`
 * (writes bench-results/local-org-bulk.json).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@jsforce/jsforce-node';
import { startLocalOrg } from '../local-org';
import { jobsOf } from '../local-org/bulk/jobs';

const ROWS = 100_000;
const ACCOUNTS = 200;

/**
 * The second pass leaves Account__c out: the master-detail is not
 * reparentable, so an org refuses it on the update path of an upsert.
 */
function csv(accountIds: string[], pass: number): string {
  const withAccount = pass === 0;
  const lines = [
    `Response_Id__c,${withAccount ? 'Account__c,' : ''}Occurred_At__c,Source__c,NPS__c,Perception__c,Expectation__c`
  ];
  for (let i = 0; i < ROWS; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    lines.push(
      [
        `bench-${i}`,
        ...(withAccount ? [accountIds[i % accountIds.length]] : []),
        `2026-10-${day}T09:00:00Z`,
        'Import',
        String((i + pass) % 11),
        String((i * 7 + pass) % 101),
        String((i * 3) % 101)
      ].join(',')
    );
  }
  return `${lines.join('\n')}\n`;
}

export async function runLocalOrgBulkBench(): Promise<Record<string, unknown>> {
  const org = await startLocalOrg({ memory: true });
  try {
    const admin = new Connection({
      instanceUrl: org.instanceUrl,
      accessToken: org.users.admin.accessToken,
      version: '62.0'
    });
    const sync = new Connection({
      instanceUrl: org.instanceUrl,
      accessToken: org.users.sync.accessToken,
      version: '62.0'
    });
    const accounts = (await admin.sobject('Account').create(
      Array.from({ length: ACCOUNTS }, (_, i) => ({ Name: `Bench account ${i}` })),
      { allowRecursive: true }
    )) as { id: string; success: boolean }[];
    const accountIds = accounts.filter((a) => a.success).map((a) => a.id);
    if (accountIds.length !== ACCOUNTS) throw new Error('Could not create the bench accounts');

    const pass = async (n: number) => {
      const input = csv(accountIds, n);
      const started = process.hrtime.bigint();
      const cpuBefore = process.cpuUsage();
      const res = await sync.bulk2.loadAndWaitForResults({
        object: 'CX_Perception__c',
        operation: 'upsert',
        externalIdFieldName: 'Response_Id__c',
        input,
        pollInterval: 50,
        pollTimeout: 600_000
      });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // CPU time of this process (org and client): a figure less at the mercy of other load.
      const cpu = process.cpuUsage(cpuBefore);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      if (res.failedResults.length > 0) {
        throw new Error(
          `${res.failedResults.length} rows failed: ${JSON.stringify(res.failedResults[0])}`
        );
      }
      const created = res.successfulResults.filter((r) => r.sf__Created === 'true').length;
      const job = [...jobsOf(org.services, org.core).ingest.values()].pop();
      const processingSeconds = (job?.totalProcessingTime ?? 0) / 1000;
      return {
        rows: ROWS,
        created,
        updated: ROWS - created,
        seconds: Number(seconds.toFixed(3)),
        rowsPerSecond: Math.round(ROWS / seconds),
        // The org's own processing time (job totalProcessingTime), without upload and results.
        cpuSeconds: Number(cpuSeconds.toFixed(3)),
        rowsPerCpuSecond: Math.round(ROWS / cpuSeconds),
        processingSeconds,
        processingRowsPerSecond:
          processingSeconds > 0 ? Math.round(ROWS / processingSeconds) : null,
        uploadBytes: Buffer.byteLength(input)
      };
    };
    const insertPass = await pass(0);
    const updatePass = await pass(1);
    return {
      benchmark: 'local-org-bulk',
      description:
        'Bulk API 2.0 upsert of 100k CX_Perception__c rows through jsforce bulk2 as the sync user (job create, upload, close, poll, results)',
      insertPass,
      updatePass,
      node: process.version,
      cpus: cpus().length,
      loadAverage: loadavg()[0],
      at: new Date().toISOString()
    };
  } finally {
    await org.close();
  }
}

if (require.main === module) {
  runLocalOrgBulkBench().then(
    (result) => {
      const dir = join(__dirname, '..', '..', 'bench-results');
      mkdirSync(dir, { recursive: true });
      const text = `${JSON.stringify(result, null, 2)}\n`;
      writeFileSync(join(dir, 'local-org-bulk.json'), text);
      process.stdout.write(text);
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    }
  );
}
