import { Command, InvalidArgumentError } from 'commander';
import { PERSONAS } from '../../local-org/core';
import { defaultOrgDir, startLocalOrg } from '../../local-org/org';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new InvalidArgumentError('a port number from 0 to 65535');
  }
  return n;
}

interface StartFlags {
  port?: number;
  dir?: string;
  json?: boolean;
  personAccounts?: boolean;
}

/** `outside-in org start`: runs the local org until interrupted. */
export function register(program: Command): void {
  const org = program
    .command('org')
    .description('The local org: a Salesforce API server on this machine');
  org
    .command('start')
    .description('Start the local org and print its instance URL and access tokens')
    .option('--port <port>', 'TCP port on 127.0.0.1 (default: a free one)', port)
    .option('--dir <dir>', 'folder for the data and the state file (default: .outside-in/org)')
    .option('--json', 'print the instance URL and users as JSON')
    .option(
      '--person-accounts',
      'behave like an org with Person Accounts enabled (it stays on for this folder, as in an org)'
    )
    .action(async (opts: StartFlags) => {
      const running = await startLocalOrg({
        ...(opts.port !== undefined ? { port: opts.port } : {}),
        dir: opts.dir ?? defaultOrgDir(),
        ...(opts.personAccounts ? { personAccounts: true } : {})
      });
      if (opts.json) {
        const users = Object.fromEntries(
          PERSONAS.map((p) => [
            p,
            {
              username: running.users[p].username,
              userId: running.users[p].userId,
              accessToken: running.users[p].accessToken
            }
          ])
        );
        const out = {
          instanceUrl: running.instanceUrl,
          orgId: running.orgId,
          stateFile: running.stateFile,
          users
        };
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      } else {
        const lines = [
          `Local org ${running.orgId} running at ${running.instanceUrl}`,
          `State file: ${running.stateFile ?? '(memory)'}`,
          ...PERSONAS.map(
            (p) =>
              `  ${p.padEnd(8)} ${running.users[p].username.padEnd(26)} ${running.users[p].accessToken}`
          ),
          'Press Ctrl+C to stop.'
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void running.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
