import type { Command } from 'commander';
import { addCommonOptions, lines, runCommand, type CommonOptions } from '../../sync/cli';
import { matchStore } from '../../sync/match';

/** `outside-in match`: links responses to Contacts, Accounts, transactions and Touchpoints in the org. */
export function register(program: Command): void {
  addCommonOptions(
    program
      .command('match')
      .description(
        'Match stored responses to Contacts, Accounts, transactions and Touchpoints in the org'
      )
      .option('--all', 'match every response again, not only new and unmatched ones')
  ).action(async (opts: CommonOptions & { all?: boolean }) => {
    await runCommand('match', opts, async ({ store, target }) => {
      const result = await matchStore(store, target.conn, { all: opts.all === true });
      const text = lines([
        ['considered', result.considered],
        ['matched', result.matched],
        ['unmatched', result.unmatched],
        ...Object.entries(result.reasons).map(([r, n]): [string, number] => [`  ${r}`, n])
      ]);
      return { result, text };
    });
  });
}
