import type { Command } from 'commander';
import {
  addCommonOptions,
  addImportOptions,
  importOptions,
  lines,
  runCommand,
  type CommonOptions,
  type ImportFlags
} from '../../sync/cli';
import { importFiles } from '../../sync/importer';

/** `outside-in import <file...>`: streams survey exports into the store; bad rows go to quarantine. */
export function register(program: Command): void {
  const cmd = program
    .command('import')
    .description(
      'Import survey responses (CSV, Qualtrics, SurveyMonkey, JSON lines) into the sync store'
    )
    .argument('<file...>', 'response files');
  addImportOptions(addCommonOptions(cmd)).action(
    async (files: string[], opts: CommonOptions & ImportFlags) => {
      await runCommand('import', opts, async ({ store, progress }) => {
        const result = await importFiles(store, files, await importOptions(opts, progress));
        const text =
          result.files
            .map((f) =>
              f.status === 'failed'
                ? `${f.file}: FAILED: ${f.error}`
                : `${f.file}: ${f.status} (${f.format}, ${f.encoding}${f.delimiter ? `, ${JSON.stringify(f.delimiter)}` : ''}): read ${f.read} = stored ${f.stored} + quarantined ${f.quarantined}; new ${f.created}, edited ${f.edited}, unchanged ${f.unchanged}${f.warnings.length ? `; ${f.warnings.join('; ')}` : ''}`
            )
            .join('\n') +
          '\n' +
          lines([
            ['read', result.read],
            ['stored', result.stored],
            ['quarantined', result.quarantined]
          ]) +
          (result.quarantined > 0
            ? 'See the rejected rows with: outside-in quarantine export quarantine.csv\n'
            : '');
        return { result, text, exitCode: result.failedFiles > 0 ? 1 : 0 };
      });
    }
  );
}
