/* eslint-disable @typescript-eslint/no-require-imports */
import { Command, CommanderError } from 'commander';

/**
 * Entry point of `outside-in`. Each command module only parses its flags and
 * calls the library; the commands register themselves here.
 *
 * Command modules load lazily: a run loads only the module of the command it
 * names, so `import` or `sync` do not pay for the benchmarks, the metadata
 * checks or the local org's server (seconds of start-up and tens of MB).
 * `require` rather than `import()`: tsx's CommonJS hook resolves local
 * TypeScript files for `require` only.
 */
type Register = (program: Command) => void;

/** Command name → its module's `register`, in the order help lists them. */
const COMMANDS: ReadonlyArray<readonly [string, () => Register]> = [
  ['bench', () => (require('./commands/bench') as typeof import('./commands/bench')).register],
  ['check', () => (require('./commands/check') as typeof import('./commands/check')).register],
  ['org', () => (require('./commands/org') as typeof import('./commands/org')).register],
  ['score', () => (require('./commands/score') as typeof import('./commands/score')).register],
  ['import', () => (require('./commands/import') as typeof import('./commands/import')).register],
  ['match', () => (require('./commands/match') as typeof import('./commands/match')).register],
  ['push', () => (require('./commands/push') as typeof import('./commands/push')).register],
  ['sync', () => (require('./commands/sync') as typeof import('./commands/sync')).register],
  ['status', () => (require('./commands/status') as typeof import('./commands/status')).register],
  [
    'quarantine',
    () => (require('./commands/quarantine') as typeof import('./commands/quarantine')).register
  ],
  ['forget', () => (require('./commands/forget') as typeof import('./commands/forget')).register],
  [
    'generate',
    () => (require('./commands/generate') as typeof import('./commands/generate')).register
  ],
  [
    'workbench',
    () => (require('./commands/workbench') as typeof import('./commands/workbench')).register
  ],
  ['start', () => (require('./commands/start') as typeof import('./commands/start')).register]
];

/** The names of every command, in help order. */
export const COMMAND_NAMES: readonly string[] = COMMANDS.map(([name]) => name);

/**
 * The program with every command, or, when `argv` starts with a command's
 * name, with that command only. Anything else (no command, `help`, `--help`,
 * an unknown name) gets every command, so help and "unknown command" errors
 * read as before.
 */
export function buildProgram(argv?: readonly string[]): Command {
  const program = new Command('outside-in')
    .description('Outside-In: customer experience management for Salesforce')
    .exitOverride()
    .showHelpAfterError();
  const named = argv?.[0];
  const only = COMMANDS.find(([name]) => name === named);
  for (const [, load] of only ? [only] : COMMANDS) load()(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram(argv);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
