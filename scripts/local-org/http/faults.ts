/**
 * Faults on demand: the next N requests (or a seeded fraction of them)
 * answer REQUEST_LIMIT_EXCEEDED, 503, or answer slowly; or the next N DML
 * rows fail with UNABLE_TO_LOCK_ROW. Set through the server API or
 * POST /__local/faults with the admin token.
 */
import { z } from 'zod';
import { SfError } from '../errors';
import type { DmlOperation } from '../records';
import type { OrgObject } from '../schema';

export const FAULT_KINDS = [
  'REQUEST_LIMIT_EXCEEDED',
  'SERVICE_UNAVAILABLE',
  'UNABLE_TO_LOCK_ROW',
  'SLOW'
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const faultRuleSchema = z
  .object({
    kind: z.enum(FAULT_KINDS),
    /** Affect the next `count` matching requests (or DML rows). */
    count: z.number().int().positive().optional(),
    /** Or affect this fraction of them, drawn from a seeded generator. */
    rate: z.number().min(0).max(1).optional(),
    seed: z.number().int().optional(),
    /** For SLOW: the delay; default 2000 ms. */
    delayMs: z.number().int().min(0).max(600_000).optional(),
    /** Only requests whose path starts with this (e.g. `/services/data/v62.0/composite`). */
    pathPrefix: z.string().optional(),
    /** For UNABLE_TO_LOCK_ROW: only rows of this object (e.g. `CX_Perception__c`). */
    object: z.string().optional()
  })
  .refine((r) => r.count !== undefined || r.rate !== undefined, {
    message: 'A fault needs count or rate'
  });

export type FaultRule = z.infer<typeof faultRuleSchema>;

interface ActiveRule extends FaultRule {
  remaining: number;
  random: () => number;
}

/** mulberry32: a small seeded generator, so a fault run can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RequestFault {
  kind: Exclude<FaultKind, 'UNABLE_TO_LOCK_ROW'>;
  delayMs: number;
}

export class FaultInjector {
  private rules: ActiveRule[] = [];
  /** How many faults were injected, by kind. */
  readonly injected: Record<FaultKind, number> = {
    REQUEST_LIMIT_EXCEEDED: 0,
    SERVICE_UNAVAILABLE: 0,
    UNABLE_TO_LOCK_ROW: 0,
    SLOW: 0
  };

  add(rule: FaultRule): void {
    const parsed = faultRuleSchema.parse(rule);
    this.rules.push({
      ...parsed,
      remaining: parsed.count ?? Number.POSITIVE_INFINITY,
      random: seeded(parsed.seed ?? 1)
    });
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map(({ remaining, random: _r, ...rule }) => ({
      ...rule,
      ...(Number.isFinite(remaining) ? { count: remaining } : {})
    }));
  }

  private draw(rule: ActiveRule): boolean {
    if (rule.remaining <= 0) return false;
    if (rule.rate !== undefined && rule.random() >= rule.rate) return false;
    rule.remaining--;
    return true;
  }

  private prune(): void {
    this.rules = this.rules.filter((r) => r.remaining > 0);
  }

  /** The fault for an API request, if one is due. */
  onRequest(path: string): RequestFault | undefined {
    for (const rule of this.rules) {
      if (rule.kind === 'UNABLE_TO_LOCK_ROW') continue;
      if (rule.pathPrefix && !path.startsWith(rule.pathPrefix)) continue;
      if (this.draw(rule)) {
        this.injected[rule.kind]++;
        this.prune();
        return { kind: rule.kind, delayMs: rule.delayMs ?? 2000 };
      }
    }
    return undefined;
  }

  /** The lock error for one DML row, if one is due. */
  onRow(_op: DmlOperation, obj: OrgObject): SfError | undefined {
    for (const rule of this.rules) {
      if (rule.kind !== 'UNABLE_TO_LOCK_ROW') continue;
      if (rule.object && rule.object.toLowerCase() !== obj.name.toLowerCase()) continue;
      if (this.draw(rule)) {
        this.injected.UNABLE_TO_LOCK_ROW++;
        this.prune();
        return new SfError(
          'UNABLE_TO_LOCK_ROW',
          'unable to obtain exclusive access to this record',
          []
        );
      }
    }
    return undefined;
  }
}
