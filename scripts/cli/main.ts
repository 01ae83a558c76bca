import { Command, CommanderError } from 'commander';
import { register as registerBench } from './commands/bench';
import { register as registerCheck } from './commands/check';
import { register as registerOrg } from './commands/org';
import { register as registerScore } from './commands/score';

import { register as registerImport } from './commands/import';
import { register as registerMatch } from './commands/match';
import { register as registerPush } from './commands/push';
import { register as registerSync } from './commands/sync';
import { register as registerStatus } from './commands/status';
import { register as registerQuarantine } from './commands/quarantine';
import { register as registerForget } from './commands/forget';
import { register as registerGenerate } from './commands/generate';
import { register as registerWorkbench } from './commands/workbench';
import { register as registerStart } from './commands/start';
/**
 * Entry point of `outside-in`. Each command module only parses its flags and
 * calls the library; the commands register themselves here.
 */
export function buildProgram(): Command {
  const program = new Command('outside-in')
    .description('Outside-In: customer experience management for Salesforce')
    .exitOverride()
    .showHelpAfterError();
  registerBench(program);
  registerCheck(program);
  registerOrg(program);
  registerScore(program);
  registerImport(program);
  registerMatch(program);
  registerPush(program);
  registerSync(program);
  registerStatus(program);
  registerQuarantine(program);
  registerForget(program);
  registerGenerate(program);
  registerWorkbench(program);
  registerStart(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
