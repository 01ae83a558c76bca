import { InvalidArgumentError, Option, type Command } from 'commander';
import * as fs from 'node:fs';
import { generateFile, generatedMapping, sampleConfig, type GenFormat } from '../../sync/generate';

function int(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number');
  return n;
}
function share(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError('must be between 0 and 1');
  return n;
}

/** `outside-in generate`: seeded, realistic survey responses for tests, benchmarks and demos. */
export function register(program: Command): void {
  program
    .command('generate')
    .description('Write seeded, realistic survey responses (keys and e-mails from data/)')
    .requiredOption('--out <file>', 'file to write')
    .option('--count <n>', 'number of responses', int, 1000)
    .option('--seed <n>', 'random seed (same seed, same file)', int, 1)
    .option('--bad-rate <share>', 'share of bad rows, 0-1', share, 0)
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['csv', 'csv-nl', 'qualtrics', 'jsonl'])
        .default('csv')
    )
    .option('--mapping-out <file>', 'also write the mapping file (version 1) that reads the output')
    .option('--data <dir>', 'sample data folder whose keys to use (default: the project data/)')
    .option('--json', 'print the result as JSON')
    .action(
      async (opts: {
        out: string;
        count: number;
        seed: number;
        badRate: number;
        format: GenFormat;
        mappingOut?: string;
        data: string;
        json?: boolean;
      }) => {
        const config = opts.data ? sampleConfig(opts.data) : sampleConfig();
        const rows = await generateFile(opts.out, {
          count: opts.count,
          seed: opts.seed,
          badRate: opts.badRate,
          format: opts.format,
          config
        });
        if (opts.mappingOut) {
          const m = generatedMapping(config);
          const file = {
            version: 1,
            columns: Object.fromEntries(
              Object.entries(m.fields).map(([role, column]) => [column, role])
            ),
            questions: Object.fromEntries(
              m.questions.map((q) => [
                q.column,
                { item: q.item, dimension: q.dimension, kind: q.kind, min: q.min, max: q.max }
              ])
            ),
            selfRatingScale: m.selfRatingScale
          };
          fs.writeFileSync(opts.mappingOut, `${JSON.stringify(file, null, 2)}\n`);
        }
        const result = {
          ok: true,
          command: 'generate',
          result: { file: opts.out, rows, seed: opts.seed, format: opts.format }
        };
        process.stdout.write(
          opts.json
            ? `${JSON.stringify(result, null, 2)}\n`
            : `${rows} responses written to ${opts.out}\n`
        );
      }
    );
}
