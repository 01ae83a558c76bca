import { Command, CommanderError, Option } from 'commander';
import { CHECKS, formatFindings, runChecks } from '../../metadata/checks';
import { findProjectRoot } from '../../metadata/forceApp';

/** `outside-in check`: the offline metadata checks; exits non-zero when any finds something. */
export function register(program: Command): void {
  program
    .command('check')
    .description('Check the metadata offline: XML, conversion, fields, translations, permissions')
    .addOption(
      new Option('--only <checks...>', 'run only these checks').choices(CHECKS.map((c) => c.name))
    )
    .option('--root <dir>', 'project folder (default: this project)')
    .option('--json', 'print the findings as JSON')
    .action(async (opts: { only?: string[]; root?: string; json?: boolean }) => {
      const results = await runChecks(opts.root ?? findProjectRoot(), opts.only);
      const total = results.reduce((n, r) => n + r.findings.length, 0);
      process.stdout.write(
        opts.json
          ? `${JSON.stringify({ ok: total === 0, results }, null, 2)}\n`
          : `${formatFindings(results)}\n`
      );
      if (total > 0) {
        throw new CommanderError(1, 'outside-in.check.findings', `${total} finding(s)`);
      }
    });
}
