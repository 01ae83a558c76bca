import { CHECKS, runChecks, type CheckResult } from './checks';
import { findProjectRoot } from './forceApp';

/**
 * The offline checks over the real project. One run (one source conversion) serves every
 * assertion; a failure lists the findings to fix in force-app or config.
 */
describe('the project passes the offline metadata checks', () => {
  let results: CheckResult[];
  beforeAll(async () => {
    results = await runChecks(findProjectRoot());
  }, 120_000);

  it.each(CHECKS.map((c) => [c.name]))('%s', (name) => {
    const result = results.find((r) => r.name === name);
    expect(result).toBeDefined();
    const findings = (result?.findings ?? []).map(
      (f) => `${f.file}${f.line ? `:${f.line}` : ''}: ${f.message}`
    );
    expect(findings).toEqual([]);
  });
});
