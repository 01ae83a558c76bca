/** A local org with the fixture data, served over HTTP on a free port, with jsforce connections per persona. */
import { Connection } from '@jsforce/jsforce-node';
import type { Persona } from '../core';
import { startLocalOrg, type LocalOrg } from '../org';
import { fixtureSchema } from './fixtureSchema';
import { FIXED_NOW } from './orgFixture';

export interface HttpFixture {
  org: LocalOrg;
  conn(persona?: Persona): Connection;
}

export async function startFixtureOrg(now: () => Date = () => FIXED_NOW): Promise<HttpFixture> {
  const org = await startLocalOrg({
    memory: true,
    schema: fixtureSchema(),
    now,
    onError: (err) => {
      throw err;
    }
  });
  return {
    org,
    conn: (persona: Persona = 'admin') =>
      new Connection({
        instanceUrl: org.instanceUrl,
        accessToken: org.users[persona].accessToken,
        version: '62.0'
      })
  };
}
