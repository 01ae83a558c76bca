import { InvalidArgumentError, type Command } from 'commander';
import { addCommonOptions, lines, runCommand, type CommonOptions } from '../../sync/cli';
import { ApiCounter } from '../../sync/org';
import { pushStore } from '../../sync/push';

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number');
  return n;
}

/** `outside-in push`: snapshots, perceptions, summary fields and follow-up Tasks to the org. */
export function register(program: Command): void {
  addCommonOptions(
    program
      .command('push')
      .description(
        'Push score snapshots, perceptions, CX_ summary fields and follow-up Tasks to the org'
      )
      .option(
        '--bulk-threshold <rows>',
        'use Bulk API 2.0 above this many rows per object (default 2000)',
        count
      )
  ).action(async (opts: CommonOptions & { bulkThreshold?: number }) => {
    await runCommand('push', opts, async ({ store, target }) => {
      const counter = new ApiCounter();
      const result = await pushStore(store, target.conn, {
        counter,
        ...(opts.bulkThreshold !== undefined ? { bulkThreshold: opts.bulkThreshold } : {})
      });
      const text =
        lines([
          ['snapshots', `${result.snapshots.pushed} pushed, ${result.snapshots.failed} failed`],
          [
            'perceptions',
            `${result.perceptions.pushed} pushed, ${result.perceptions.failed} failed`
          ],
          [
            'summaries',
            `${result.summaries.accounts} accounts, ${result.summaries.contacts} contacts`
          ],
          [
            'tasks',
            `${result.tasks.created} created, ${result.tasks.existing} found, ${result.tasks.failed} failed`
          ],
          ['API calls', counter.total]
        ]) +
        result.failures
          .slice(0, 20)
          .map((f) => `failed ${f.object} ${f.key}: ${f.error}\n`)
          .join('');
      return { result, text, exitCode: result.failures.length > 0 ? 2 : 0 };
    });
  });
}
