import { Command, CommanderError } from 'commander';
import { register as registerCheck } from './commands/check';
import { register as registerOrg } from './commands/org';

/**
 * Entry point of `outside-in`. Each command module only parses its flags and
 * calls the library; the commands register themselves here.
 */
export function buildProgram(): Command {
  const program = new Command('outside-in')
    .description('Outside-In: customer experience management for Salesforce')
    .exitOverride()
    .showHelpAfterError();
  registerCheck(program);
  registerOrg(program);
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
