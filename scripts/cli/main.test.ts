import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProgram, COMMAND_NAMES, main } from './main';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'scripts', 'bin', 'outside-in.js');

// Each factory records that its module was required, so the tests see which commands a run loads.
const mockLoaded: string[] = [];
jest.mock('./commands/bench', () => {
  mockLoaded.push('bench');
  return jest.requireActual('./commands/bench');
});
jest.mock('./commands/check', () => {
  mockLoaded.push('check');
  return jest.requireActual('./commands/check');
});
jest.mock('./commands/org', () => {
  mockLoaded.push('org');
  return jest.requireActual('./commands/org');
});
jest.mock('./commands/import', () => {
  mockLoaded.push('import');
  return jest.requireActual('./commands/import');
});
jest.mock('./commands/workbench', () => {
  mockLoaded.push('workbench');
  return jest.requireActual('./commands/workbench');
});

/** buildProgram from a fresh module registry, and the command modules that it required. */
function fresh(argv?: string[]) {
  jest.resetModules();
  mockLoaded.length = 0;
  const m = jest.requireActual<typeof import('./main')>('./main');
  const program = m.buildProgram(argv);
  return { program, loaded: [...mockLoaded].sort() };
}

describe('outside-in CLI', () => {
  it('exits non-zero on an unknown command', async () => {
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const code = await main(['no-such-command']);
    expect(code).not.toBe(0);
    expect(err.mock.calls.map((c) => String(c[0])).join('')).toContain(
      "unknown command 'no-such-command'"
    );
    err.mockRestore();
  });

  it('registers every command, in help order, when no command is named', () => {
    const { program, loaded } = fresh();
    expect(program.commands.map((c) => c.name())).toEqual([
      'bench',
      'check',
      'org',
      'score',
      'import',
      'match',
      'push',
      'sync',
      'status',
      'quarantine',
      'forget',
      'generate',
      'workbench',
      'start'
    ]);
    expect(COMMAND_NAMES).toEqual(program.commands.map((c) => c.name()));
    expect(loaded).toEqual(['bench', 'check', 'import', 'org', 'workbench']);
  });

  it('loads only the module of the command that argv names', () => {
    const { program, loaded } = fresh(['import', 'a.csv', '--mapping', 'm.json']);
    expect(program.commands.map((c) => c.name())).toEqual(['import']);
    expect(loaded).toEqual(['import']);
    // A subcommand's parent is the module: `org start` loads org only.
    expect(fresh(['org', 'start']).loaded).toEqual(['org']);
  });

  it('loads every command for help, an option first or an unknown name', () => {
    for (const argv of [[], ['--help'], ['help'], ['help', 'import'], ['nope'], ['-h']]) {
      const { program, loaded } = fresh(argv);
      expect(program.commands).toHaveLength(COMMAND_NAMES.length);
      expect(loaded).toHaveLength(5);
    }
  });

  it('prints the same help for a command whether it was loaded alone or with all', () => {
    const all = buildProgram();
    for (const name of COMMAND_NAMES) {
      const alone = buildProgram([name]);
      expect(alone.commands).toHaveLength(1);
      const a = alone.commands[0]!;
      const b = all.commands.find((c) => c.name() === name)!;
      expect(a.helpInformation()).toBe(b.helpInformation());
      for (const sub of b.commands) {
        const other = a.commands.find((c) => c.name() === sub.name());
        expect(other?.helpInformation()).toBe(sub.helpInformation());
      }
    }
    expect(buildProgram(['--help']).helpInformation()).toBe(all.helpInformation());
  });

  it('runs a command through the real entry without loading the local org server or the benchmarks', () => {
    // The entry registers tsx's CommonJS hook; the lazy `require` must resolve TypeScript there.
    const dir = mkdtempSync(join(tmpdir(), 'oi-main-'));
    try {
      const hook = join(dir, 'loaded.js');
      const out = join(dir, 'loaded.json');
      writeFileSync(
        hook,
        `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(Object.keys(require.cache))));\n`
      );
      const run = spawnSync(process.execPath, ['-r', hook, BIN, 'import', '--help'], {
        cwd: ROOT,
        encoding: 'utf8'
      });
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('Usage: outside-in import [options] <file...>');
      const loaded = (JSON.parse(readFileSync(out, 'utf8')) as string[]).map((f) =>
        f.split('\\').join('/')
      );
      expect(loaded.some((f) => f.endsWith('scripts/cli/commands/import.ts'))).toBe(true);
      expect(loaded.some((f) => f.endsWith('scripts/sync/importer.ts'))).toBe(true);
      for (const heavy of [
        'scripts/local-org/org.ts',
        'scripts/local-org/http/server.ts',
        'scripts/bench/run.ts',
        'scripts/metadata/checks.ts',
        'scripts/cli/commands/sync.ts',
        '/node_modules/formulon/',
        '/node_modules/graphql/',
        '/node_modules/soql-parser-js/',
        '/node_modules/@salesforce/source-deploy-retrieve/'
      ]) {
        expect(loaded.filter((f) => f.includes(heavy))).toEqual([]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
