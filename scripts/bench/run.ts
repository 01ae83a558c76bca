/**
 * `npm run bench`: runs every benchmark in one process, one after another (so
 * they do not compete for the two cores), and writes one JSON result with the
 * machine it ran on. Each benchmark also runs alone (`npx tsx scripts/bench/<name>.ts`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { runLocalOrgBench } from './local-org';
import { runLocalOrgBulkBench } from './local-org-bulk';
import { runScoringBench } from './scoring';
import { runSyncBench } from './sync';

export type BenchName = 'scoring' | 'local-org' | 'local-org-bulk' | 'sync';

type BenchRunner = () => Promise<Record<string, unknown>>;

const BENCHES: Record<BenchName, BenchRunner> = {
  scoring: runScoringBench,
  'local-org': runLocalOrgBench,
  'local-org-bulk': runLocalOrgBulkBench,
  sync: runSyncBench
};

export const BENCH_NAMES = Object.keys(BENCHES) as BenchName[];

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  machine: {
    node: string;
    cpus: number;
    cpuModel: string;
    memoryGiB: number;
    loadAverage: number[];
  };
  results: Partial<Record<BenchName, Record<string, unknown> | { error: string }>>;
}

export async function runBenches(
  names: BenchName[] = BENCH_NAMES,
  options: { outDir?: string; log?: (line: string) => void } = {}
): Promise<{ report: BenchReport; file: string }> {
  const log = options.log ?? (() => undefined);
  const report: BenchReport = {
    startedAt: new Date().toISOString(),
    finishedAt: '',
    machine: {
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
      loadAverage: loadavg()
    },
    results: {}
  };
  for (const name of names) {
    log(`bench ${name}: running`);
    const started = performance.now();
    try {
      report.results[name] = await BENCHES[name]();
      log(`bench ${name}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } catch (err) {
      // One failing benchmark must not hide the others' figures.
      const message = err instanceof Error ? err.message : String(err);
      report.results[name] = { error: message };
      log(`bench ${name}: failed: ${message}`);
    }
  }
  report.finishedAt = new Date().toISOString();
  const dir = options.outDir ?? join(__dirname, '..', '..', 'bench-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'bench.json');
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return { report, file };
}
