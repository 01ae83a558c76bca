import type { Command } from 'commander';
import { addCommonOptions, lines, runCommand, type CommonOptions } from '../../sync/cli';
import { forgetPerson } from '../../sync/forget';
import { pushStore } from '../../sync/push';
import { scoreWithOrg } from '../../sync/sync';

/** `outside-in forget --email <address>`: erases a person from the store and the org, then rescores. */
export function register(program: Command): void {
  addCommonOptions(
    program
      .command('forget')
      .description(
        'Erase a person from the store and the org for good (hard delete), and recompute the scores they fed'
      )
      .requiredOption('--email <address>', 'the e-mail address of the person')
  ).action(async (opts: CommonOptions & { email: string }) => {
    await runCommand('forget', opts, async ({ store, target }) => {
      const forgotten = await forgetPerson(store, target.conn, opts.email);
      const score = await scoreWithOrg(store, target);
      const push = await pushStore(store, target.conn);
      const result = {
        ...forgotten,
        recomputed: score.recomputed,
        snapshotsPushed: push.snapshots.pushed
      };
      const text =
        lines([
          ['e-mail', forgotten.email],
          ['responses erased', forgotten.responses],
          ['perceptions deleted', forgotten.perceptionsDeleted],
          ['tasks deleted', forgotten.tasksDeleted],
          ['hard deleted', forgotten.hardDeleted ? 'yes' : 'NO (in the recycle bin)'],
          ['scopes recomputed', score.recomputed]
        ]) + forgotten.warnings.map((w) => `warning: ${w}\n`).join('');
      const failed = forgotten.failures.length + push.failures.length > 0 || !forgotten.hardDeleted;
      return { result, text, exitCode: failed ? 2 : 0 };
    });
  });
}
