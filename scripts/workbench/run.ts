import { readLocalOrgState, startLocalOrg, type LocalOrg } from '../local-org';
import { defaultOrgDir } from '../local-org/org';
import type { BuildOptions } from './build';
import { startWorkbench, type Workbench } from './server';

/** The personas the page can sign in as, in the order of its switch. */
export const WORKBENCH_PERSONAS = ['manager', 'rep'] as const;

export interface RunWorkbenchOptions {
  /** The local org's folder (default .outside-in/org). */
  orgDir?: string;
  /** The page's port; 0 or absent: any free port. */
  port?: number;
  buildOptions?: BuildOptions;
  log?: (message: string) => void;
}

export interface RunningWorkbench {
  workbench: Workbench;
  orgInstanceUrl: string;
  /** True when this call started the local org (and close() stops it). */
  startedOrg: boolean;
  close(): Promise<void>;
}

async function answers(instanceUrl: string): Promise<boolean> {
  try {
    return (await fetch(`${instanceUrl}/services/data`)).ok;
  } catch {
    return false;
  }
}

/**
 * The workbench on the local org of a folder: joins the local org that is
 * already running there (`outside-in org start`), or starts it, then serves
 * the page with the manager and rep personas.
 */
export async function runWorkbench(options: RunWorkbenchOptions = {}): Promise<RunningWorkbench> {
  const log = options.log ?? (() => undefined);
  const dir = options.orgDir ?? defaultOrgDir();
  const state = readLocalOrgState(dir);
  let org: LocalOrg | undefined;
  let instanceUrl: string;
  let tokens: Record<string, string>;
  if (state && (await answers(state.instanceUrl))) {
    log(`Using the local org running at ${state.instanceUrl}`);
    instanceUrl = state.instanceUrl;
    tokens = Object.fromEntries(WORKBENCH_PERSONAS.map((p) => [p, state.users[p].accessToken]));
  } else {
    log(`Starting the local org in ${dir}`);
    org = await startLocalOrg({ dir });
    const started = org;
    instanceUrl = started.instanceUrl;
    tokens = Object.fromEntries(WORKBENCH_PERSONAS.map((p) => [p, started.users[p].accessToken]));
  }
  let workbench: Workbench;
  try {
    workbench = await startWorkbench({
      orgInstanceUrl: instanceUrl,
      tokens,
      ...(options.port !== undefined ? { port: options.port } : {}),
      ...(options.buildOptions ? { buildOptions: options.buildOptions } : {}),
      log
    });
  } catch (err) {
    await org?.close();
    throw err;
  }
  return {
    workbench,
    orgInstanceUrl: instanceUrl,
    startedOrg: org !== undefined,
    close: async () => {
      await workbench.close();
      await org?.close();
    }
  };
}
