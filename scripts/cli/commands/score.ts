import { Command, InvalidArgumentError } from 'commander';
import { loadTouchpoints, scoreCsvFile, type ScoreFileResult } from '../../scoring/file';
import { lines, runCommand } from '../../sync/cli';
import { scoreWithOrg } from '../../sync/sync';
import type { Estimate } from '../../../force-app/main/default/lwc/experienceScoring/experienceScoring';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError('must be a whole number of 1 or more');
  return n;
}

function confidence(value: string): number {
  const n = Number(value);
  // 95 and 0.95 both mean 95%.
  const c = n > 1 ? n / 100 : n;
  if (!(c > 0 && c < 1)) throw new InvalidArgumentError('must be a level such as 95 or 0.95');
  return c;
}

function show(e: Estimate, digits = 1): string {
  if (e.value === null) return `low sample (n=${e.n})`;
  const interval =
    e.lower === null || e.upper === null
      ? ''
      : ` [${e.lower.toFixed(digits)}, ${e.upper.toFixed(digits)}]`;
  return `${e.value.toFixed(digits)}${interval} (n=${e.n})`;
}

function text(r: ScoreFileResult): string {
  const pct = Math.round(r.settings.confidence * 100);
  const lines = [
    `${r.file}${r.period ? ` ${r.period}` : ''}: ${r.responses} responses (intervals ${pct}%, minimum n ${r.settings.minimumSample})`,
    `  experience index ${show(r.overall.experienceIndex)}`,
    `  gap (weighted)   ${show(r.overall.weightedGap)}`,
    `  NPS              ${show(r.overall.nps)}`,
    `  CSAT %           ${show(r.overall.csat)}`,
    `  CES              ${show(r.overall.ces, 2)}`,
    `  promise gap      ${show(r.overall.promiseGap)}`
  ];
  if (r.byDimension.length > 0) lines.push('by dimension (gap P-E)');
  for (const d of r.byDimension) lines.push(`  ${d.dimension.padEnd(16)} ${show(d.gap)}`);
  if (r.byTouchpoint.length > 0) lines.push('by touchpoint (experience index)');
  for (const t of r.byTouchpoint) lines.push(`  ${t.key.padEnd(16)} ${show(t.experienceIndex)}`);
  if (r.byChannel.length > 0) lines.push('by channel (experience index)');
  for (const c of r.byChannel) lines.push(`  ${c.key.padEnd(16)} ${show(c.experienceIndex)}`);
  return `${lines.join('\n')}\n`;
}

/** `outside-in score <file>`: scores a response file without a store or org. */
export function register(program: Command): void {
  program
    .command('score')
    .description(
      'Score a responses file with a mapping (no store or org needed); without a file, score the sync store'
    )
    .argument('[responses]', 'responses CSV file')
    .option('--mapping <file>', 'mapping file (columns, questions, dimensions and scales)')
    .option(
      '--min-sample <n>',
      'minimum n below which a score is low-sample (default 5)',
      positiveInt
    )
    .option(
      '--confidence <level>',
      'confidence level of the intervals, e.g. 95 (default 95)',
      confidence
    )
    .option(
      '--touchpoints <file>',
      'touchpoint promises, believed expectations and importance as JSON ({"ONB": {"promise": 80}})'
    )
    .option('--period <YYYY-MM>', 'score only the responses of this calendar month')
    .option('--time-zone <zone>', 'time zone of the periods (default Europe/Amsterdam)')
    .option('--json', 'print the scores as JSON')
    .option(
      '--target-org <org>',
      'without a file: alias or username of a Salesforce CLI login (default: the local org)'
    )
    .option(
      '--store-dir <dir>',
      'without a file: folder of the sync stores (default .outside-in/store)'
    )
    .action(
      async (
        file: string | undefined,
        opts: {
          mapping?: string;
          minSample?: number;
          confidence?: number;
          touchpoints?: string;
          period?: string;
          timeZone?: string;
          json?: boolean;
          targetOrg?: string;
          storeDir?: string;
        }
      ) => {
        if (file === undefined) {
          // The sync's step: add the store's new responses and the org's rep captures.
          await runCommand('score', opts, async ({ store, target }) => {
            const result = await scoreWithOrg(store, target);
            const text = lines([
              ['added', result.added],
              ['changed', result.changed],
              ['recomputed scope-months', result.recomputed],
              ['scope-months written', result.scopesWritten],
              ['awaiting match', result.awaitingMatch],
              ['rep captures read', result.repCaptures.read],
              ['includes through', result.includesThrough ?? '-']
            ]);
            return { result, text, exitCode: result.failures.length > 0 ? 2 : 0 };
          });
          return;
        }
        if (!opts.mapping) throw new Error('score <file> needs --mapping <mapping.json>');
        const result = await scoreCsvFile(file, opts.mapping, {
          touchpoints: opts.touchpoints ? await loadTouchpoints(opts.touchpoints) : undefined,
          period: opts.period,
          settings: {
            ...(opts.timeZone !== undefined ? { timeZone: opts.timeZone } : {}),
            ...(opts.minSample !== undefined ? { minimumSample: opts.minSample } : {}),
            ...(opts.confidence !== undefined ? { confidence: opts.confidence } : {})
          }
        });
        process.stdout.write(opts.json ? `${JSON.stringify(result, null, 2)}\n` : text(result));
      }
    );
}
