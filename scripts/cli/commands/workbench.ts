import { Command, InvalidArgumentError } from 'commander';
import { runWorkbench } from '../../workbench/run';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new InvalidArgumentError('a port number from 0 to 65535');
  }
  return n;
}

/** `outside-in workbench`: the components on local pages, against the local org, until interrupted. */
export function register(program: Command): void {
  program
    .command('workbench')
    .description(
      "Serve force-app's Lightning web components on local record pages, reading the local org"
    )
    .option('--port <port>', 'TCP port on 127.0.0.1 (default: a free one)', port)
    .option('--dir <dir>', 'the local org folder (default: .outside-in/org)')
    .action(async (opts: { port?: number; dir?: string }) => {
      const log = (message: string) => process.stderr.write(`${message}\n`);
      const running = await runWorkbench({
        ...(opts.port !== undefined ? { port: opts.port } : {}),
        ...(opts.dir !== undefined ? { orgDir: opts.dir } : {}),
        log
      });
      process.stdout.write(
        `Workbench at ${running.workbench.url} (local org ${running.orgInstanceUrl}). Press Ctrl+C to stop.\n`
      );
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
