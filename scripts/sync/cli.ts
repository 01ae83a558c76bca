import { CommanderError, Option, type Command } from 'commander';
import { FORMATS, type Delimiter, type Encoding, type Format } from './detect';
import type { ImportOptions } from './importer';
import { loadMapping, toImportMapping } from './mapping';
import { redact, resolveTarget, type OrgTarget } from './org';
import { Store } from './store';

/**
 * What the sync commands share: the common flags, opening the target org
 * and its store, progress on a terminal, the --json envelope and errors
 * with the access token removed.
 *
 * --json prints one object: `{"ok":true,"command":"<name>","result":{...}}`,
 * or `{"ok":false,"command":"<name>","error":{"name","message"}}` with a
 * non-zero exit code.
 */

export interface CommonOptions {
  targetOrg?: string;
  json?: boolean;
  storeDir?: string;
}

export function addCommonOptions(cmd: Command): Command {
  return cmd
    .option(
      '--target-org <org>',
      'alias or username of a Salesforce CLI login (default: the local org)'
    )
    .option('--store-dir <dir>', 'folder of the sync stores (default .outside-in/store)')
    .option('--json', 'print the result as JSON');
}

export function addImportOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--format <format>', 'file format (default: detected)').choices([...FORMATS])
    )
    .option('--mapping <file>', 'mapping file: columns, questions, dimensions and scales')
    .addOption(
      new Option('--encoding <encoding>', 'text encoding (default: detected)').choices([
        'utf-8',
        'utf-8-bom',
        'windows-1252',
        'utf-16le',
        'utf-16be'
      ])
    );
}

export interface ImportFlags {
  format?: Format;
  mapping?: string;
  encoding?: Encoding;
}

export async function importOptions(
  flags: ImportFlags,
  progress: Progress
): Promise<ImportOptions> {
  const out: ImportOptions = {
    onProgress: (p) => progress.update(`import ${p.file}: ${p.rows} rows`)
  };
  if (flags.format) out.format = flags.format;
  if (flags.encoding) out.encoding = flags.encoding;
  if (flags.mapping) {
    const file = await loadMapping(flags.mapping);
    out.mapping = toImportMapping(file);
    if (file.delimiter !== 'auto') out.delimiter = file.delimiter as Delimiter;
  }
  return out;
}

/** A one-line progress indicator on a terminal; silent under --json or without a TTY. */
export class Progress {
  private last = 0;
  private shown = false;
  constructor(private readonly enabled: boolean) {}
  update(text: string): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    this.shown = true;
    process.stderr.write(`\r\x1b[K${text.slice(0, (process.stderr.columns ?? 100) - 1)}`);
  }
  done(): void {
    if (this.enabled && this.shown) process.stderr.write('\r\x1b[K');
  }
}

export interface CommandContext {
  target: OrgTarget;
  store: Store;
  progress: Progress;
}

/**
 * Runs a sync command: opens the org and store, calls `fn`, prints the result
 * (JSON or text) and maps failures to a clear message and exit code.
 * `fn` returns the result and the exit code (0 ok, 2 partial).
 */
export async function runCommand<T>(
  name: string,
  opts: CommonOptions,
  fn: (ctx: CommandContext) => Promise<{ result: T; text: string; exitCode?: number }>
): Promise<void> {
  const progress = new Progress(!opts.json && process.stderr.isTTY === true);
  let target: OrgTarget | undefined;
  let store: Store | undefined;
  try {
    target = await resolveTarget(opts.targetOrg);
    store = new Store(target.orgId, opts.storeDir ? { dir: opts.storeDir } : {});
    const out = await fn({ target, store, progress });
    progress.done();
    process.stdout.write(
      opts.json
        ? `${redact(JSON.stringify({ ok: true, command: name, result: out.result }, null, 2), token(target))}\n`
        : redact(out.text, token(target))
    );
    if (out.exitCode)
      throw new CommanderError(
        out.exitCode,
        `outside-in.${name}.partial`,
        `${name} finished with failures`
      );
  } catch (e) {
    progress.done();
    if (e instanceof CommanderError) throw e;
    const err = e as Error;
    const message = redact(err.message ?? String(e), token(target));
    if (opts.json) {
      process.stdout.write(
        `${JSON.stringify({ ok: false, command: name, error: { name: err.name ?? 'Error', message } }, null, 2)}\n`
      );
    } else {
      process.stderr.write(`outside-in ${name}: ${message}\n`);
    }
    throw new CommanderError(1, `outside-in.${name}.failed`, message);
  } finally {
    store?.close();
  }
}

function token(target: OrgTarget | undefined): string | undefined {
  return (target?.conn as { accessToken?: string } | undefined)?.accessToken ?? undefined;
}

/** Right-aligned `label  value` lines for the text output. */
export function lines(rows: [string, string | number][]): string {
  const width = Math.max(...rows.map(([l]) => l.length));
  return rows.map(([l, v]) => `${l.padEnd(width)}  ${v}`).join('\n') + '\n';
}
