import { Command, CommanderError } from 'commander';
import { register, type StartDeps } from '../cli/commands/start';
import type { DemoOptions, RunningDemo } from './demo';

/** The start command with every outside effect replaced: what it asked runDemo for, and what it printed. */
function harness(overrides: Partial<StartDeps> = {}) {
  const calls: DemoOptions[] = [];
  const opened: string[] = [];
  const out: string[] = [];
  const err: string[] = [];
  const close = jest.fn(async () => undefined);
  const fake = {
    url: 'http://127.0.0.1:4321',
    links: {
      account: 'http://127.0.0.1:4321/lightning/r/Account/001000000000001AAA/view',
      case: 'http://127.0.0.1:4321/lightning/r/Case/500000000000001AAA/view',
      opportunity: null
    },
    timings: { total: 12.34 },
    close
  } as unknown as RunningDemo;
  const program = new Command('outside-in')
    .exitOverride()
    .configureOutput({ writeOut: (t) => out.push(t), writeErr: (t) => err.push(t) });
  register(program, {
    run: async (options) => {
      calls.push(options);
      options.log?.('a progress line');
      return fake;
    },
    // Stopped a moment after the demo is up (a stop during the start is its own test).
    untilStopped: () => new Promise((resolve) => setTimeout(resolve, 20)),
    openUrl: (url) => opened.push(url),
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    ...overrides
  });
  const parse = (...argv: string[]) => program.parseAsync(['start', ...argv], { from: 'user' });
  return { calls, opened, out, err, close, parse };
}

test('no flags: the default demo, the page opened, and closed when stopped', async () => {
  const h = harness();
  await h.parse();
  expect(h.calls).toHaveLength(1);
  const { log, ...options } = h.calls[0] as DemoOptions;
  expect(options).toEqual({});
  expect(typeof log).toBe('function');
  expect(h.err).toContain('a progress line\n');
  const printed = h.out.join('');
  expect(printed).toContain('Outside-In is running at http://127.0.0.1:4321 (ready in 12.3 s)');
  expect(printed).toContain('Account:     http://127.0.0.1:4321/lightning/r/Account/');
  expect(printed).toContain('Case:        http://127.0.0.1:4321/lightning/r/Case/');
  expect(printed).not.toContain('Opportunity:');
  expect(h.opened).toEqual(['http://127.0.0.1:4321/lightning/r/Account/001000000000001AAA/view']);
  expect(h.close).toHaveBeenCalledTimes(1);
});

test('--port, --dir, --responses and --no-open reach the demo', async () => {
  const h = harness();
  await h.parse('--port', '8123', '--dir', '/tmp/oi-demo', '--responses', '500', '--no-open');
  const { log: _log, ...options } = h.calls[0] as DemoOptions;
  expect(options).toEqual({ port: 8123, dir: '/tmp/oi-demo', responses: 500 });
  expect(h.opened).toEqual([]);
  expect(h.close).toHaveBeenCalledTimes(1);
});

test('--port 0 asks for any free port; --responses 0 for none', async () => {
  const h = harness();
  await h.parse('--port', '0', '--responses', '0', '--no-open');
  const { log: _log, ...options } = h.calls[0] as DemoOptions;
  expect(options).toEqual({ port: 0, responses: 0 });
});

test.each([
  [['--port', '70000'], 'a port number from 0 to 65535'],
  [['--port', 'http'], 'a port number from 0 to 65535'],
  [['--responses', '-5'], 'a whole number of responses'],
  [['--responses', '2.5'], 'a whole number of responses'],
  [['--responses', 'many'], 'a whole number of responses'],
  [['--colour'], "unknown option '--colour'"]
])('%j is refused with a message, and no demo starts', async (argv, message) => {
  const h = harness();
  await expect(h.parse(...argv)).rejects.toBeInstanceOf(CommanderError);
  expect(h.err.join('')).toContain(message);
  expect(h.calls).toEqual([]);
});

test('a stop while the demo starts closes it once it is up, without printing the page', async () => {
  let stop: () => void = () => undefined;
  const stopRequested = new Promise<void>((resolve) => (stop = resolve));
  const h = harness({
    untilStopped: () => stopRequested,
    run: async (options) => {
      stop();
      await new Promise((resolve) => setTimeout(resolve, 20));
      options.log?.('still starting');
      return {
        url: 'http://127.0.0.1:1',
        links: { account: 'http://127.0.0.1:1/a', case: null, opportunity: null },
        timings: {},
        close: h.close
      } as unknown as RunningDemo;
    }
  });
  await h.parse();
  expect(h.err.join('')).toMatch(/Stopping\.\.\.\n(.|\n)*Stopped\./);
  expect(h.out.join('')).not.toContain('Outside-In is running');
  expect(h.opened).toEqual([]);
  expect(h.close).toHaveBeenCalledTimes(1);
});

test('a demo that cannot start fails the command with its reason', async () => {
  const h = harness({
    run: async () => {
      throw new Error('A local org already runs from /tmp/x');
    }
  });
  await expect(h.parse('--no-open')).rejects.toThrow('A local org already runs from /tmp/x');
});
