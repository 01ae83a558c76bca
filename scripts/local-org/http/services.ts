/**
 * Server-side state shared by endpoint modules: the API request counter
 * behind /limits, query cursors for queryMore, and the fault injector.
 */
import { randomInt } from 'node:crypto';
import type { QueryResult } from '../soql/engine';
import { makeId } from '../ids';
import type { FaultInjector } from './faults';

export const DAILY_API_LIMIT = 15000;

export interface Cursor {
  id: string;
  records: Record<string, unknown>[];
  totalSize: number;
  batchSize: number;
  all: boolean;
  touched: number;
}

export class QueryCursors {
  private readonly cursors = new Map<string, Cursor>();
  private counter = randomInt(1, 1_000_000);

  constructor(
    private readonly maxOpen = 50,
    private readonly ttlMs = 15 * 60_000
  ) {}

  open(result: QueryResult, batchSize: number, all: boolean): Cursor {
    this.expire();
    const cursor: Cursor = {
      id: makeId('01g', this.counter++),
      records: result.records,
      totalSize: result.totalSize,
      batchSize,
      all,
      touched: Date.now()
    };
    this.cursors.set(cursor.id, cursor);
    while (this.cursors.size > this.maxOpen) {
      const oldest = this.cursors.keys().next().value;
      if (oldest === undefined) break;
      this.cursors.delete(oldest);
    }
    return cursor;
  }

  get(id: string): Cursor | undefined {
    const c = this.cursors.get(id);
    if (c) c.touched = Date.now();
    return c;
  }

  close(id: string): void {
    this.cursors.delete(id);
  }

  private expire(): void {
    const limit = Date.now() - this.ttlMs;
    for (const [id, c] of this.cursors) if (c.touched < limit) this.cursors.delete(id);
  }
}

export interface LocalOrgServices {
  /** API requests served (what /limits and Sforce-Limit-Info report). */
  apiRequests: number;
  cursors: QueryCursors;
  faults: FaultInjector;
  /** The instance URL clients use (set once the server listens). */
  instanceUrl: string;
}
