/** A local org with the fixture data, served over HTTP on a free port, with jsforce connections per persona. */
import { Connection } from '@jsforce/jsforce-node';
import type { Persona } from '../core';
import type { RouteModule } from '../http/server';
import { startLocalOrg, type LocalOrg } from '../org';
import { fixtureSchema } from './fixtureSchema';
import { FIXED_NOW } from './orgFixture';

export interface HttpFixture {
  org: LocalOrg;
  /** Unexpected errors the server met (a test expects none unless it provokes one). */
  errors: unknown[];
  conn(persona?: Persona): Connection;
}

export async function startFixtureOrg(
  now: () => Date = () => FIXED_NOW,
  modules: RouteModule[] = []
): Promise<HttpFixture> {
  const errors: unknown[] = [];
  const org = await startLocalOrg({
    memory: true,
    schema: fixtureSchema(),
    now,
    modules,
    onError: (err) => errors.push(err)
  });
  return {
    org,
    errors,
    conn: (persona: Persona = 'admin') =>
      new Connection({
        instanceUrl: org.instanceUrl,
        accessToken: org.users[persona].accessToken,
        version: '62.0'
      })
  };
}
