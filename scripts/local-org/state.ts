/**
 * The state file (`<dir>/org.json`) through which the CLI finds a running
 * local org when no --target-org is given. Kept apart from `org.ts` so that a
 * command that only reads the state (import, match, push) does not load the
 * whole local org (HTTP server, SOQL, formulas, GraphQL).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Persona } from './core';

/** The org directory relative to the project (or working) folder. */
export const DEFAULT_ORG_DIR = join('.outside-in', 'org');
export const STATE_FILE = 'org.json';

export interface LocalOrgUserState {
  username: string;
  userId: string;
  accessToken: string;
}

/** Contents of `<dir>/org.json`. */
export interface LocalOrgState {
  instanceUrl: string;
  orgId: string;
  apiVersion: string;
  /** The persona the CLI uses by default. */
  defaultPersona: Persona;
  users: Record<Persona, LocalOrgUserState>;
  pid: number;
  startedAt: string;
}

/**
 * OUTSIDE_IN_LOCAL_ORG_DIR when set; else `.outside-in/org` under the
 * Salesforce DX project that contains `from` (the folder with
 * sfdx-project.json), or under `from` itself outside one.
 */
export function defaultOrgDir(from: string = process.cwd()): string {
  const override = process.env.OUTSIDE_IN_LOCAL_ORG_DIR;
  if (override) return resolve(override);
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'sfdx-project.json'))) return join(dir, DEFAULT_ORG_DIR);
    const parent = dirname(dir);
    if (parent === dir) return join(resolve(from), DEFAULT_ORG_DIR);
    dir = parent;
  }
}

/** Writes the state file of the org running from `dir`; only its owner may read it (tokens). */
export function writeLocalOrgState(dir: string, state: LocalOrgState): string {
  const file = join(resolve(dir), STATE_FILE);
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  return file;
}

/**
 * The state of the local org running from `dir`, or undefined when none
 * runs there (a stopped org removes its state file; one that crashed may
 * leave it behind, so a caller that cannot connect should say so).
 */
export function readLocalOrgState(dir: string = defaultOrgDir()): LocalOrgState | undefined {
  const file = join(resolve(dir), STATE_FILE);
  if (!existsSync(file)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(
      `${file}: not valid JSON (${err instanceof Error ? err.message : String(err)})`
    );
  }
  const s = parsed as Partial<LocalOrgState>;
  if (typeof s.instanceUrl !== 'string' || typeof s.orgId !== 'string' || !s.users) {
    throw new Error(
      `${file}: not a local org state file (instanceUrl, orgId and users are required)`
    );
  }
  return s as LocalOrgState;
}
