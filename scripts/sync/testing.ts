import type { Connection } from '@jsforce/jsforce-node';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Loads the sample data plan (data/sample-data-plan.json, the `sf data import
 * tree` format) into an org through sObject Collections, resolving @refs.
 * Used by the sync's tests, benchmark and demo.
 */
export async function loadSampleData(
  conn: Connection,
  dataDir = 'data',
  options: { skip?: string[] } = {}
): Promise<Map<string, string>> {
  const plan = JSON.parse(fs.readFileSync(path.join(dataDir, 'sample-data-plan.json'), 'utf8')) as {
    sobject: string;
    files: string[];
  }[];
  const refs = new Map<string, string>();
  for (const step of plan) {
    if (options.skip?.includes(step.sobject)) continue;
    for (const file of step.files) {
      const { records } = JSON.parse(fs.readFileSync(path.join(dataDir, file), 'utf8')) as {
        records: ({ attributes: { type: string; referenceId: string } } & Record<
          string,
          unknown
        >)[];
      };
      for (let i = 0; i < records.length; i += 200) {
        const chunk = records.slice(i, i + 200);
        const body = chunk.map((r) => {
          const out: Record<string, unknown> = {};
          for (const [k, v] of Object.entries(r)) {
            if (k === 'attributes') continue;
            out[k] = typeof v === 'string' && v.startsWith('@') ? refs.get(v.slice(1)) : v;
          }
          return out;
        });
        const results = (await conn
          .sobject(step.sobject)
          .create(body, { allOrNone: true })) as unknown as {
          id: string;
          success: boolean;
          errors: { message: string }[];
        }[];
        results.forEach((res, j) => {
          if (!res.success) {
            throw new Error(
              `${file} record ${i + j + 1}: ${res.errors.map((e) => e.message).join('; ')}`
            );
          }
          refs.set(chunk[j]!.attributes.referenceId, res.id);
        });
      }
    }
  }
  return refs;
}
