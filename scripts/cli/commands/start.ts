import { Command, InvalidArgumentError } from 'commander';
import { execFile } from 'node:child_process';
import { runDemo, DEFAULT_RESPONSES, type DemoOptions, type RunningDemo } from '../../demo';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new InvalidArgumentError('a port number from 0 to 65535');
  }
  return n;
}

function count(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
    throw new InvalidArgumentError('a whole number of responses (0 or more)');
  }
  return n;
}

export interface StartFlags {
  port?: number;
  dir?: string;
  responses?: number;
  /** commander's --no-open: false when given. */
  open: boolean;
}

/** The demo options the flags ask for. */
export function demoOptions(flags: StartFlags, log: (line: string) => void): DemoOptions {
  return {
    ...(flags.port !== undefined ? { port: flags.port } : {}),
    ...(flags.dir !== undefined ? { dir: flags.dir } : {}),
    ...(flags.responses !== undefined ? { responses: flags.responses } : {}),
    log
  };
}

/** Opens a URL in the desktop's browser, when there is one; a failure only means no browser. */
function openBrowser(url: string): void {
  const command =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return;
  const child = execFile(command, [url], () => undefined);
  child.on('error', () => undefined);
  child.unref();
}

/** Resolves on Ctrl+C or SIGTERM. */
function untilSignalled(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** What the command calls; tests replace them. */
export interface StartDeps {
  run?: (options: DemoOptions) => Promise<RunningDemo>;
  untilStopped?: () => Promise<void>;
  openUrl?: (url: string) => void;
  out?: (text: string) => void;
  err?: (text: string) => void;
}

/** `outside-in start` (`npm start`): the demo end to end, until Ctrl+C. */
export function register(program: Command, deps: StartDeps = {}): void {
  const run = deps.run ?? runDemo;
  const untilStopped = deps.untilStopped ?? untilSignalled;
  const openUrl = deps.openUrl ?? openBrowser;
  const out = deps.out ?? ((text: string) => process.stdout.write(text));
  const err = deps.err ?? ((text: string) => process.stderr.write(text));
  program
    .command('start')
    .description(
      'Run the demo: the local org with sample data, generated survey responses through the sync, and the components in a browser'
    )
    .option('--port <port>', 'the page on 127.0.0.1 (default: a free port)', port)
    .option('--dir <dir>', 'folder for the org, the store and the responses (default: .outside-in)')
    .option(
      '--responses <n>',
      `survey responses to generate on the first start (default: ${DEFAULT_RESPONSES})`,
      count
    )
    .option('--no-open', 'do not open the page in a browser')
    .action(async (flags: StartFlags) => {
      const log = (line: string) => err(`${line}\n`);
      // Listening from the start: Ctrl+C while the demo starts stops it once the step at hand
      // is done, so the org closes and its state file goes (a second Ctrl+C ends at once).
      let stopping = false;
      const stopped = untilStopped().then(() => {
        stopping = true;
        log('Stopping...');
      });
      const demo = await run(demoOptions(flags, log));
      if (!stopping) {
        const lines = [
          '',
          `Outside-In is running at ${demo.url} (ready in ${(demo.timings.total ?? 0).toFixed(1)} s)`,
          `  Account:     ${demo.links.account}`,
          ...(demo.links.case ? [`  Case:        ${demo.links.case}`] : []),
          ...(demo.links.opportunity ? [`  Opportunity: ${demo.links.opportunity}`] : []),
          'Switch persona (manager, rep) and language (English, Nederlands) at the top of the page.',
          'Press Ctrl+C to stop.'
        ];
        out(`${lines.join('\n')}\n`);
        if (flags.open) openUrl(demo.links.account);
      }
      await stopped;
      // The org's state file goes with it, so the CLI no longer points at a stopped org.
      await demo.close();
      log('Stopped.');
    });
}
