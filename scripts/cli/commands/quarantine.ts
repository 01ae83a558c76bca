import { Option, type Command } from 'commander';
import { addCommonOptions, runCommand, type CommonOptions } from '../../sync/cli';
import { exportQuarantine, listQuarantine } from '../../sync/quarantine';

/** `outside-in quarantine export <file>` and `quarantine list`: the rejected rows with their reasons. */
export function register(program: Command): void {
  const q = program
    .command('quarantine')
    .description('Rejected rows and unplaceable responses, with their reasons');
  const stage = new Option('--stage <stage>', 'only rows rejected at this stage').choices([
    'import',
    'match'
  ]);
  addCommonOptions(
    q
      .command('export')
      .description(
        'Write the quarantine as CSV (reasons first, then the original columns), ready to fix and import again'
      )
      .argument('<file>', 'CSV file to write')
      .addOption(stage)
  ).action(async (file: string, opts: CommonOptions & { stage?: 'import' | 'match' }) => {
    await runCommand('quarantine export', opts, async ({ store }) => {
      const result = await exportQuarantine(store, file, opts.stage ? { stage: opts.stage } : {});
      return { result, text: `${result.rows} rows written to ${result.file}\n` };
    });
  });
  addCommonOptions(
    q
      .command('list')
      .description('List quarantined rows with file, row, field and reason')
      .addOption(
        new Option('--stage <stage>', 'only rows rejected at this stage').choices([
          'import',
          'match'
        ])
      )
  ).action(async (opts: CommonOptions & { stage?: 'import' | 'match' }) => {
    await runCommand('quarantine list', opts, async ({ store }) => {
      const rows = listQuarantine(store, opts.stage);
      const text = rows
        .map(
          (r) =>
            `${r.file ?? ''}:${r.row ?? ''}${r.line ? ` (line ${r.line})` : ''} ${r.field ?? ''}: ${r.reason}`
        )
        .join('\n');
      return { result: { rows }, text: text ? `${text}\n` : 'The quarantine is empty.\n' };
    });
  });
}
