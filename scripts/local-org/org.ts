/**
 * Starting a local org: the programmatic API used by tests, the sync, the
 * workbench and `outside-in org start`. It writes the state file (state.ts)
 * through which the rest of the CLI finds a running local org when no
 * --target-org is given.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ProjectSchema } from '../metadata/types';
import { LocalOrgCore, PERSONAS, type LocalUser, type Persona } from './core';
import { FaultInjector, type FaultRule } from './http/faults';
import { startServer, type RouteModule } from './http/server';
import type { LocalOrgServices } from './http/services';
import { register as bulk } from './bulk';
import { register as graphql } from './graphql';
import { register as admin } from './rest/admin';
import { register as composite } from './rest/composite';
import { register as discovery } from './rest/discovery';
import { register as query } from './rest/query';
import { register as sobjects } from './rest/sobjects';
import { register as uiapi } from './uiapi';
import {
  defaultOrgDir,
  readLocalOrgState,
  writeLocalOrgState,
  type LocalOrgState,
  type LocalOrgUserState
} from './state';

export {
  DEFAULT_ORG_DIR,
  STATE_FILE,
  defaultOrgDir,
  readLocalOrgState,
  writeLocalOrgState
} from './state';
export type { LocalOrgState, LocalOrgUserState } from './state';

/** The endpoint modules every local org serves; more can be passed to startLocalOrg. */
export const CORE_MODULES: RouteModule[] = [
  discovery,
  sobjects,
  composite,
  query,
  admin,
  bulk,
  uiapi,
  graphql
];

const DB_FILE = 'org.sqlite';

export interface StartLocalOrgOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Directory for the SQLite file and the state file. Ignored with memory: true. */
  dir?: string;
  /** Keep data in memory only (tests); no state file is written. */
  memory?: boolean;
  /** The schema; by default read from the project's force-app and config. */
  schema?: ProjectSchema;
  /** Extra endpoint modules (Bulk API, UI API, GraphQL) added to the core ones. */
  modules?: RouteModule[];
  /** Clock for system fields and date literals (tests). */
  now?: () => Date;
  /** Faults active from the first request. */
  faults?: FaultRule[];
  /** Called with unexpected errors (the client only sees UNKNOWN_EXCEPTION). */
  onError?: (err: unknown) => void;
  /** Behave like an org with Person Accounts enabled; an org keeps them once enabled (README). */
  personAccounts?: boolean;
}

export interface LocalOrg {
  instanceUrl: string;
  orgId: string;
  apiVersion: string;
  users: Record<Persona, LocalUser>;
  core: LocalOrgCore;
  services: LocalOrgServices;
  faults: FaultInjector;
  /** Path of the state file (undefined in memory). */
  stateFile?: string;
  close(): Promise<void>;
}

export const API_VERSION = '62.0';

function defaultSchema(): ProjectSchema {
  // Loaded lazily so tests that pass a schema never read force-app.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadProjectSchema } = require('../metadata/forceApp') as {
    loadProjectSchema: () => ProjectSchema;
  };
  return loadProjectSchema();
}

export async function startLocalOrg(options: StartLocalOrgOptions = {}): Promise<LocalOrg> {
  const dir = options.memory ? undefined : resolve(options.dir ?? defaultOrgDir());
  if (dir) {
    mkdirSync(dir, { recursive: true });
    const previous = safeState(dir);
    // One server per folder: two would write the same SQLite file and state file.
    if (previous && previous.pid !== process.pid && isAlive(previous.pid)) {
      throw new Error(
        `A local org already runs from ${dir} (process ${previous.pid}, ${previous.instanceUrl}); stop it first or use another --dir`
      );
    }
  }
  const faults = new FaultInjector();
  for (const f of options.faults ?? []) faults.add(f);
  const core = new LocalOrgCore({
    file: dir ? join(dir, DB_FILE) : ':memory:',
    schema: options.schema ?? defaultSchema(),
    ...(options.now ? { now: options.now } : {}),
    ...(options.personAccounts ? { personAccounts: true } : {}),
    rowFault: (op, obj) => faults.onRow(op, obj)
  });
  let running;
  try {
    running = await startServer({
      core,
      faults,
      modules: [...CORE_MODULES, ...(options.modules ?? [])],
      ...(options.port !== undefined ? { port: options.port } : {}),
      ...(options.onError ? { onError: options.onError } : {})
    });
  } catch (err) {
    core.close();
    throw err;
  }
  const users = Object.fromEntries(PERSONAS.map((p) => [p, core.users.get(p)!])) as Record<
    Persona,
    LocalUser
  >;
  let stateFile: string | undefined;
  if (dir) {
    const state: LocalOrgState = {
      instanceUrl: running.instanceUrl,
      orgId: core.orgId,
      apiVersion: API_VERSION,
      defaultPersona: 'admin',
      users: Object.fromEntries(
        PERSONAS.map((p) => [
          p,
          {
            username: users[p].username,
            userId: users[p].userId,
            accessToken: users[p].accessToken
          }
        ])
      ) as Record<Persona, LocalOrgUserState>,
      pid: process.pid,
      startedAt: new Date().toISOString()
    };
    stateFile = writeLocalOrgState(dir, state);
  }
  let closed = false;
  return {
    instanceUrl: running.instanceUrl,
    orgId: core.orgId,
    apiVersion: API_VERSION,
    users,
    core,
    services: running.services,
    faults,
    ...(stateFile ? { stateFile } : {}),
    close: async () => {
      if (closed) return;
      closed = true;
      await running.close();
      core.close();
      // A stopped org leaves no state file, so the CLI says "start it" rather than failing to connect.
      if (stateFile && dir && safeState(dir)?.instanceUrl === running.instanceUrl)
        rmSync(stateFile, { force: true });
    }
  };
}

function safeState(dir: string): LocalOrgState | undefined {
  try {
    return readLocalOrgState(dir);
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
