import { Command, InvalidArgumentError } from 'commander';
import { BENCH_NAMES, type BenchName, runBenches } from '../../bench/run';

function parseNames(value: string): BenchName[] {
  const names = value.split(',').map((s) => s.trim());
  for (const name of names) {
    if (!(BENCH_NAMES as string[]).includes(name)) {
      throw new InvalidArgumentError(
        `unknown benchmark "${name}" (known: ${BENCH_NAMES.join(', ')})`
      );
    }
  }
  return names as BenchName[];
}

export function register(program: Command): void {
  program
    .command('bench')
    .description('Run the benchmarks and write bench-results/bench.json')
    .option('--only <names>', `comma-separated subset of: ${BENCH_NAMES.join(', ')}`, parseNames)
    .option('--out-dir <dir>', 'where to write bench.json')
    .action(async (opts: { only?: BenchName[]; outDir?: string }) => {
      const { report, file } = await runBenches(opts.only, {
        outDir: opts.outDir,
        log: (line) => process.stderr.write(`${line}\n`)
      });
      process.stdout.write(`${JSON.stringify(report.results, null, 2)}\n`);
      process.stderr.write(`wrote ${file}\n`);
      const failed = Object.values(report.results).some((r) => r && 'error' in r);
      if (failed) process.exitCode = 1;
    });
}
