import type { Command } from 'commander';
import { addCommonOptions, lines, runCommand, type CommonOptions } from '../../sync/cli';
import { storeStatus } from '../../sync/status';

/** `outside-in status`: counts per stage and the reconciliation read = stored + quarantined. */
export function register(program: Command): void {
  addCommonOptions(
    program.command('status').description('Counts per stage of the sync store of the target org')
  ).action(async (opts: CommonOptions) => {
    await runCommand('status', opts, async ({ store }) => {
      const s = storeStatus(store);
      const text = lines([
        ['org', s.orgId],
        ['store', s.store],
        ['read', s.read],
        ['stored', s.stored],
        ['quarantined', s.quarantined],
        ['reconciled', s.reconciled ? `yes (${s.read} = ${s.stored} + ${s.quarantined})` : 'NO'],
        ['matched', s.matched],
        ['unmatched', s.unmatched],
        ['awaiting match', s.matchPending],
        ['rep captures', s.responses.repCaptures],
        ['awaiting score', s.scorePending],
        ['pushed', s.pushed],
        ['awaiting push', s.pushPending],
        ['failed', s.failed],
        ['follow-up tasks', s.tasks],
        ['last run', s.lastRun ? `${s.lastRun.runId} ${s.lastRun.status}` : 'none']
      ]);
      return { result: s, text, exitCode: s.reconciled ? 0 : 1 };
    });
  });
}
