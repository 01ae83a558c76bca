import { InvalidArgumentError, type Command } from 'commander';
import {
  addCommonOptions,
  addImportOptions,
  importOptions,
  lines,
  runCommand,
  type CommonOptions,
  type ImportFlags
} from '../../sync/cli';
import { runSync } from '../../sync/sync';

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError('must be a whole number above 0');
  return n;
}

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number');
  return n;
}

/** `outside-in sync [file...]`: import, match, score and push, recorded as a CX_Sync_Run__c. */
export function register(program: Command): void {
  const cmd = program
    .command('sync')
    .description('Import (when files are given), match, score and push; records the run in the org')
    .argument('[file...]', 'response files to import first')
    .option(
      '--bulk-threshold <rows>',
      'use Bulk API 2.0 above this many rows per object (default 2000)',
      count
    )
    .option(
      '--round-size <responses>',
      'match, score and push this many responses a round; the org takes one round while the next is scored (default 40000)',
      positive
    );
  addImportOptions(addCommonOptions(cmd)).action(
    async (
      files: string[],
      opts: CommonOptions & ImportFlags & { bulkThreshold?: number; roundSize?: number }
    ) => {
      await runCommand('sync', opts, async ({ store, target, progress }) => {
        const result = await runSync(store, target, {
          files,
          import: await importOptions(opts, progress),
          onStage: (s) => progress.update(s),
          ...(opts.bulkThreshold !== undefined ? { bulkThreshold: opts.bulkThreshold } : {}),
          ...(opts.roundSize !== undefined ? { roundSize: opts.roundSize } : {})
        });
        const c = result.counts;
        const text =
          lines([
            ['run', `${result.runId} ${result.status}`],
            ['read', c.read],
            ['stored', c.stored],
            ['quarantined', c.quarantined],
            ['matched', c.matched],
            ['unmatched', c.unmatched],
            ['pushed', c.pushed],
            ['failed', c.failed],
            ['API calls', result.apiCalls.total]
          ]) + (result.error ? `error: ${result.error}\n` : '');
        return {
          result,
          text,
          exitCode: result.status === 'Failed' ? 1 : result.status === 'Partial' ? 2 : 0
        };
      });
    }
  );
}
