/**
 * Named crash points for the reliability tests. With
 * OUTSIDE_IN_CRASH_AT=push:batch2 the process dies at that point as if
 * killed (SIGKILL: no cleanup, no flush). With OUTSIDE_IN_CRASH_MODE=throw it
 * throws instead, so in-process tests can stop a run at the same place.
 * Points are `<stage>:<name>`; several may be listed, comma separated.
 */

export class SimulatedCrash extends Error {
  constructor(readonly point: string) {
    super(`simulated crash at ${point}`);
    this.name = 'SimulatedCrash';
  }
}

const hits = new Map<string, number>();

/** Crashes when `point` is armed. A point may carry `#N` to fire at its Nth hit only. */
export function crashPoint(point: string): void {
  const armed = process.env.OUTSIDE_IN_CRASH_AT;
  if (!armed) return;
  const count = (hits.get(point) ?? 0) + 1;
  hits.set(point, count);
  for (const spec of armed.split(',').map((s) => s.trim())) {
    const [name, nth] = spec.split('#');
    if (name !== point) continue;
    if (nth !== undefined && Number(nth) !== count) continue;
    if (process.env.OUTSIDE_IN_CRASH_MODE === 'throw') throw new SimulatedCrash(point);
    process.kill(process.pid, 'SIGKILL');
  }
}

/** Forget hit counts (tests that run several syncs in one process). */
export function resetCrashPoints(): void {
  hits.clear();
}
