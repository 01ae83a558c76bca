/* eslint-disable @typescript-eslint/no-explicit-any -- the tests walk GraphQL responses by their shape */
import type { Persona } from '../core';
import { startFixtureOrg, type HttpFixture } from '../testing/httpFixture';
import { seedFixtureData } from '../uiapi/fixtureData';

interface Gql {
  data: Record<string, any> | null;
  errors: {
    message: string;
    locations?: unknown[];
    path?: unknown[];
    extensions?: Record<string, unknown>;
  }[];
}

describe('UI API GraphQL on the local org', () => {
  let fx: HttpFixture;
  let ids: Record<string, string>;

  const gql = async (
    persona: Persona,
    query: string,
    variables?: unknown,
    operationName?: string
  ) => {
    const res = await fetch(`${fx.org.instanceUrl}/services/data/v62.0/graphql`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${fx.org.users[persona].accessToken}`,
        'Content-Type': 'application/json'
      },
      body: JSON.stringify({ query, variables, ...(operationName ? { operationName } : {}) })
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    return (await res.json()) as Gql;
  };

  beforeAll(async () => {
    fx = await startFixtureOrg();
    ids = seedFixtureData(fx.org.core);
  });
  afterAll(() => fx.org.close());

  it('answers the documented connection shape with where, orderBy, first and totalCount', async () => {
    const res = await gql(
      'admin',
      `query {
        uiapi { query {
          CX_Touchpoint__c(where: { Stage__c: { eq: "onboarding" } }, orderBy: { Stage_Order__c: { order: DESC } }, first: 1) {
            edges { node { Id Name { value displayValue } Stage__c { value displayValue } Journey__r { Name { value } } } }
            totalCount
            pageInfo { hasNextPage hasPreviousPage endCursor }
          }
        } }
      }`
    );
    expect(res.errors).toEqual([]);
    const conn = res.data!.uiapi.query.CX_Touchpoint__c;
    expect(conn.totalCount).toBe(2);
    expect(conn.edges).toEqual([
      {
        node: {
          Id: ids.portal,
          Name: { value: 'Portal sign-up', displayValue: null },
          Stage__c: { value: 'Onboarding', displayValue: 'Onboarding' },
          Journey__r: { Name: { value: 'Onboarding' } }
        }
      }
    ]);
    expect(conn.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      endCursor: expect.any(String)
    });
  });

  it('pages with after and endCursor', async () => {
    const page = (after?: string) =>
      gql(
        'admin',
        `query page($after: String) { uiapi { query { CX_Touchpoint__c(first: 2, after: $after, orderBy: { Key__c: { order: ASC } }) {
          edges { cursor node { Key__c { value } } } pageInfo { hasNextPage endCursor } } } } }`,
        { after }
      );
    const first = await page();
    const keys = first.data!.uiapi.query.CX_Touchpoint__c.edges.map(
      (e: any) => e.node.Key__c.value
    );
    expect(keys).toEqual(['BUY-STORE', 'ONB-PORTAL']);
    const second = await page(first.data!.uiapi.query.CX_Touchpoint__c.pageInfo.endCursor);
    const conn = second.data!.uiapi.query.CX_Touchpoint__c;
    expect(conn.edges.map((e: any) => e.node.Key__c.value)).toEqual(['ONB-WELCOME']);
    expect(conn.pageInfo.hasNextPage).toBe(false);
  });

  it('filters with operators, boolean combinations, relationships and dates', async () => {
    const count = async (object: string, where: string, persona: Persona = 'admin') => {
      const res = await gql(
        persona,
        `{ uiapi { query { ${object}(where: ${where}) { totalCount } } } }`
      );
      expect(res.errors).toEqual([]);
      return res.data!.uiapi.query[object].totalCount as number;
    };
    expect(await count('CX_Touchpoint__c', '{ Channels__c: { includes: ["Web"] } }')).toBe(2);
    expect(await count('CX_Touchpoint__c', '{ Channels__c: { excludes: ["Web", "Store"] } }')).toBe(
      1
    );
    expect(
      await count('CX_Touchpoint__c', '{ Key__c: { in: ["ONB-WELCOME", "BUY-STORE"] } }')
    ).toBe(2);
    expect(await count('CX_Touchpoint__c', '{ Key__c: { nin: ["ONB-WELCOME"] } }')).toBe(2);
    expect(await count('CX_Touchpoint__c', '{ Name: { like: "%call" } }')).toBe(1);
    expect(await count('CX_Touchpoint__c', '{ Stage_Order__c: { gte: 1, lt: 2 } }')).toBe(1);
    expect(await count('CX_Touchpoint__c', '{ Journey__c: { eq: null } }')).toBe(1);
    expect(
      await count(
        'CX_Touchpoint__c',
        '{ or: [{ Key__c: { eq: "BUY-STORE" } }, { and: [{ Stage__c: { eq: "Onboarding" } }, { not: { Channels__c: { includes: ["Phone"] } } }] }] }'
      )
    ).toBe(2);
    expect(await count('CX_Touchpoint__c', '{ Journey__r: { Key__c: { eq: "ONB" } } }')).toBe(2);
    expect(
      await count('CX_Perception__c', '{ Touchpoint__r: { Key__c: { eq: "ONB-WELCOME" } } }')
    ).toBe(2);
    expect(await count('CX_Perception__c', '{ Account__r: { Name: { eq: "acme" } } }')).toBe(2);
    expect(
      await count(
        'CX_Perception__c',
        '{ Occurred_At__c: { gte: { value: "2026-11-01T00:00:00Z" } } }'
      )
    ).toBe(2);
    // Date literals and ranges count from the org's clock (the fixture's 2026-11-15).
    expect(
      await count('CX_Perception__c', '{ Occurred_At__c: { eq: { literal: THIS_MONTH } } }')
    ).toBe(2);
    expect(
      await count('CX_Perception__c', '{ Occurred_At__c: { gte: { range: { last_n_days: 60 } } } }')
    ).toBe(3);
    expect(
      await count('CX_Perception__c', '{ Occurred_At__c: { lt: { literal: LAST_MONTH } } }')
    ).toBe(0);
    // Sharing holds: the rep sees only perceptions on the accounts they own.
    expect(await count('CX_Perception__c', '{}', 'rep')).toBe(2);
    expect(await count('CX_Perception__c', '{}', 'manager')).toBe(3);
  });

  it('reads child relationships, aliases, several objects and variables with operationName', async () => {
    const res = await gql(
      'admin',
      `query other { uiapi { query { Account { totalCount } } } }
       query journeys($key: String) { uiapi { query {
         j: CX_Journey__c(where: { Key__c: { eq: $key } }) { edges { node {
           Id title: Name { value }
           Touchpoints__r(first: 1, orderBy: { Key__c: { order: DESC } }) { edges { node { Key__c { value } } } totalCount }
         } } }
         CX_Perception__c(first: 1, orderBy: { Occurred_At__c: { order: DESC } }) { edges { node { Occurred_At__c { value } } } }
       } } }`,
      { key: 'ONB' },
      'journeys'
    );
    expect(res.errors).toEqual([]);
    const node = res.data!.uiapi.query.j.edges[0].node;
    expect(node).toEqual({
      Id: ids.journey,
      title: { value: 'Onboarding' },
      Touchpoints__r: { edges: [{ node: { Key__c: { value: 'ONB-WELCOME' } } }], totalCount: 2 }
    });
    expect(res.data!.uiapi.query.CX_Perception__c.edges[0].node.Occurred_At__c.value).toBe(
      '2026-11-15T08:00:00.000Z'
    );
    expect(res.data!.uiapi.query.Account).toBeUndefined();
  });

  it('aggregates with groupBy', async () => {
    const res = await gql(
      'rep',
      `{ uiapi { aggregate { CX_Perception__c(groupBy: { Channel__c: { group: true } }) {
        edges { node { aggregate { Channel__c { value } NPS__c { sum { value } avg { value } } Id { count { value } } } } }
        totalCount } } } }`
    );
    expect(res.errors).toEqual([]);
    const rows = res.data!.uiapi.aggregate.CX_Perception__c.edges.map((e: any) => e.node.aggregate);
    expect(rows).toEqual([
      {
        Channel__c: { value: 'Phone' },
        NPS__c: { sum: { value: 1 }, avg: { value: 1 } },
        Id: { count: { value: 1 } }
      },
      {
        Channel__c: { value: 'Web' },
        NPS__c: { sum: { value: 2 }, avg: { value: 2 } },
        Id: { count: { value: 1 } }
      }
    ]);
  });

  it('reports invisible objects and fields as validation errors', async () => {
    const res = await gql(
      'rep',
      `{ uiapi { query {
        CX_Touchpoint__c { edges { node { Brand_Promise__c { value } } } }
        CX_Sync_Run__c { totalCount }
      } } }`
    );
    expect(res.data).toBeNull();
    expect(res.errors.map((e) => e.message)).toEqual([
      "Validation error (FieldUndefined@[uiapi/query/CX_Touchpoint__c/edges/node/Brand_Promise__c]) : Field 'Brand_Promise__c' in type 'CX_Touchpoint__c' is undefined",
      "Validation error (FieldUndefined@[uiapi/query/CX_Sync_Run__c]) : Field 'CX_Sync_Run__c' in type 'RecordQuery' is undefined"
    ]);
    expect(res.errors[0]!.locations).toEqual([{ line: 2, column: 43 }]);
    const filter = await gql(
      'rep',
      '{ uiapi { query { CX_Touchpoint__c(where: { Brand_Promise__c: { gt: 1 } }) { totalCount } } } }'
    );
    expect(filter.errors[0]!.message).toBe(
      "Field 'Brand_Promise__c' in filter of type 'CX_Touchpoint__c' is undefined"
    );
    const admin = await gql(
      'admin',
      '{ uiapi { query { CX_Touchpoint__c(first: 1, where: { Brand_Promise__c: { gt: 1 } }) { edges { node { Brand_Promise__c { value } } } } } } }'
    );
    expect(admin.data!.uiapi.query.CX_Touchpoint__c.edges[0].node.Brand_Promise__c.value).toBe(80);
  });

  it('creates, updates and deletes records with mutations, all or none by default', async () => {
    const created = await gql(
      'admin',
      `mutation make($key: String) { uiapi {
        CX_Journey__cCreate(input: { CX_Journey__c: { Name: "Renewal", Key__c: $key } }) {
          Record { Id Name { value } Active__c { value } }
        }
      } }`,
      { key: 'REN' }
    );
    expect(created.errors).toEqual([]);
    const record = created.data!.uiapi.CX_Journey__cCreate.Record;
    expect(record).toEqual({
      Id: expect.any(String),
      Name: { value: 'Renewal' },
      Active__c: { value: true }
    });

    const updated = await gql(
      'admin',
      `mutation { uiapi { CX_Journey__cUpdate(input: { Id: "${record.Id}", CX_Journey__c: { Name: "Renewals" } }) {
        Record { Name { value } } } } }`
    );
    expect(updated.data!.uiapi.CX_Journey__cUpdate.Record.Name.value).toBe('Renewals');

    // One bad write rolls back the good one.
    const rolledBack = await gql(
      'admin',
      `mutation { uiapi {
        ok: CX_Journey__cCreate(input: { CX_Journey__c: { Name: "Kept?", Key__c: "KEPT" } }) { Record { Id } }
        bad: CX_Journey__cCreate(input: { CX_Journey__c: { Name: "Duplicate", Key__c: "REN" } }) { Record { Id } }
      } }`
    );
    expect(rolledBack.data!.uiapi).toEqual({ ok: null, bad: null });
    expect(rolledBack.errors.map((e) => e.extensions?.errorCode)).toEqual([
      'ALL_OR_NONE_OPERATION_ROLLED_BACK',
      'DUPLICATE_VALUE'
    ]);
    const kept = await gql(
      'admin',
      '{ uiapi { query { CX_Journey__c(where: { Key__c: { eq: "KEPT" } }) { totalCount } } } }'
    );
    expect(kept.data!.uiapi.query.CX_Journey__c.totalCount).toBe(0);
    const partial = await gql(
      'admin',
      `mutation { uiapi(input: { allOrNone: false }) {
        ok: CX_Journey__cCreate(input: { CX_Journey__c: { Name: "Kept", Key__c: "KEPT" } }) { Record { Id } }
        bad: CX_Journey__cCreate(input: { CX_Journey__c: { Name: "Duplicate", Key__c: "REN" } }) { Record { Id } }
      } }`
    );
    expect(partial.data!.uiapi.ok.Record.Id).toEqual(expect.any(String));
    expect(partial.data!.uiapi.bad).toBeNull();

    // Reps may not create journeys.
    const rep = await gql(
      'rep',
      'mutation { uiapi { CX_Journey__cCreate(input: { CX_Journey__c: { Name: "x", Key__c: "X" } }) { Record { Id } } } }'
    );
    expect(rep.errors[0]!.extensions?.errorCode).toBe('INSUFFICIENT_ACCESS_OR_READONLY');

    const deleted = await gql(
      'admin',
      `mutation { uiapi { CX_Journey__cDelete(input: { Id: "${record.Id}" }) { Id } } }`
    );
    expect(deleted.data!.uiapi.CX_Journey__cDelete).toEqual({ Id: record.Id });
  });

  it('answers syntax errors, bad arguments and missing operations per the GraphQL spec', async () => {
    const syntax = await gql('admin', '{ uiapi { query { Account( } } }');
    expect(syntax.data).toBeNull();
    expect(syntax.errors[0]!.extensions).toEqual({ classification: 'InvalidSyntax' });
    expect(syntax.errors[0]!.locations).toEqual([{ line: 1, column: 28 }]);
    const tooMany = await gql(
      'admin',
      '{ uiapi { query { Account(first: 2001) { totalCount } } } }'
    );
    expect(tooMany.errors[0]!.message).toMatch(/first must be an integer from 0 to 2000/);
    const two = await gql(
      'admin',
      'query a { uiapi { query { Account { totalCount } } } } query b { uiapi { query { Account { totalCount } } } }'
    );
    expect(two.errors[0]!.message).toBe(
      'Must provide operation name if query contains multiple operations.'
    );
  });
});
