/**
 * Every `gql` query in the project's Lightning web components, run against
 * a local org with the real force-app schema, as each persona that uses
 * them: none may fail validation, and seeded records come back.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalOrg, type LocalOrg } from '../org';

const LWC = join(__dirname, '..', '..', '..', 'force-app', 'main', 'default', 'lwc');

interface Extracted {
  file: string;
  name: string;
  query: string;
}

function componentQueries(): Extracted[] {
  const out: Extracted[] = [];
  for (const dir of readdirSync(LWC)) {
    const path = join(LWC, dir);
    if (!statSync(path).isDirectory()) continue;
    for (const file of readdirSync(path)) {
      if (!file.endsWith('.js')) continue;
      const text = readFileSync(join(path, file), 'utf8');
      const re = /(?:const|let|var)\s+(\w+)\s*=\s*gql`([^`]*)`/g;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        if (m[2]!.includes('${')) throw new Error(`${dir}/${file}: ${m[1]} interpolates into gql`);
        out.push({ file: `${dir}/${file}`, name: m[1]!, query: m[2]! });
      }
    }
  }
  return out;
}

/** Values for the variables a query declares: the page's record and early cut-offs. */
function variablesFor(query: string, ids: Record<string, string>): Record<string, unknown> {
  const operation = /query\s+(\w+)/.exec(query)?.[1] ?? '';
  const vars: Record<string, unknown> = {};
  for (const m of query.matchAll(/\$(\w+)\s*:\s*(\w+)/g)) {
    const name = m[1]!;
    const type = m[2]!;
    if (type === 'ID') {
      vars[name] =
        /touchpoint/i.test(name) || /touchpoint/i.test(operation) ? ids.touchpoint : ids.account;
    } else if (type === 'DateTime') vars[name] = '2000-01-01T00:00:00Z';
    else if (type === 'Date') vars[name] = '2000-01-01';
    else if (type === 'Int') vars[name] = 10;
    else if (type === 'Boolean') vars[name] = true;
    else if (/period/i.test(name)) vars[name] = '2000-01';
    else throw new Error(`No test value for $${name}: ${type} in ${operation}`);
  }
  return vars;
}

const queries = componentQueries();

describe('component GraphQL queries against the local org', () => {
  let org: LocalOrg;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    org = await startLocalOrg({ memory: true });
    const admin = org.core.context('admin');
    const r = org.core.records;
    ids.account = r.create(admin, 'Account', {
      Name: 'Bakkerij de Vries',
      OwnerId: org.users.rep.userId
    });
    ids.journey = r.create(admin, 'CX_Journey__c', { Name: 'Onboarding', Key__c: 'ONB' });
    ids.touchpoint = r.create(admin, 'CX_Touchpoint__c', {
      Name: 'Welcome call',
      Key__c: 'ONB-WELCOME',
      Journey__c: ids.journey,
      Stage__c: 'Onboarding',
      Channels__c: 'Phone;Email',
      Applies_To__c: 'Account;Contact;Case;Opportunity;Order'
    });
    ids.survey = r.create(admin, 'CX_Survey__c', {
      Name: 'Onboarding survey',
      Key__c: 'ONB-2026',
      Touchpoint__c: ids.touchpoint
    });
    ids.question = r.create(admin, 'CX_Survey_Question__c', {
      Survey__c: ids.survey,
      Question_Text__c: 'How reliable was the welcome call?',
      Item_Key__c: 'ONB-REL-1',
      Dimension__c: 'Reliability',
      Kind__c: 'Perception',
      Scale_Min__c: 1,
      Scale_Max__c: 7,
      Key__c: 'ONB-2026:Q1-P'
    });
    ids.perception = r.create(admin, 'CX_Perception__c', {
      Account__c: ids.account,
      Touchpoint__c: ids.touchpoint,
      Channel__c: 'Phone',
      Occurred_At__c: '2026-11-02T10:00:00Z',
      Source__c: 'Rep_Capture',
      Response_Id__c: 'rep-components-1',
      NPS__c: 8,
      Perception__c: 70,
      Expectation__c: 75
    });
  });
  afterAll(() => org.close());

  it('finds the components\u2019 queries', () => {
    expect(queries.length).toBeGreaterThan(0);
  });

  it('creates a rep capture with every field perceptionCapture sends, through the UI API', async () => {
    const admin = org.core.context('admin');
    const contact = org.core.records.create(admin, 'Contact', {
      LastName: 'de Vries',
      AccountId: ids.account
    });
    const res = await fetch(`${org.instanceUrl}/services/data/v62.0/ui-api/records`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${org.users.rep.accessToken}`,
        'Content-Type': 'application/json'
      },
      body: JSON.stringify({
        apiName: 'CX_Perception__c',
        fields: {
          Account__c: ids.account,
          Contact__c: contact,
          Touchpoint__c: ids.touchpoint,
          Channel__c: 'Phone',
          Occurred_At__c: '2026-11-20T09:30:00.000Z',
          Source__c: 'Rep_Capture',
          Response_Id__c: 'rep-components-2',
          Answers__c:
            '{"v":1,"a":[{"k":"ONB-REL-1","d":"Reliability","e":6,"p":5,"min":1,"max":7}]}',
          Expectation__c: 83.33,
          Perception__c: 66.67,
          Self_Rating__c: 75,
          NPS__c: 8,
          CSAT__c: 4,
          CES__c: 2,
          Comment__c: 'Prompt and friendly.'
        }
      })
    });
    const body = (await res.json()) as { id?: string; fields?: Record<string, { value: unknown }> };
    expect({ status: res.status, body: res.status === 201 ? 'created' : body }).toEqual({
      status: 201,
      body: 'created'
    });
    const saved = org.core.query(
      org.core.context('admin'),
      `SELECT Gap__c, Source__c, CreatedById FROM CX_Perception__c WHERE Id = '${String(body.id)}'`
    ).records[0]!;
    expect(saved).toMatchObject({
      Gap__c: -16.66,
      Source__c: 'Rep_Capture',
      CreatedById: org.users.rep.userId
    });
  });

  const personas = ['rep', 'manager', 'admin'] as const;
  for (const q of queries) {
    for (const persona of personas) {
      it(`${q.file} ${q.name} runs for the ${persona}`, async () => {
        const res = await fetch(`${org.instanceUrl}/services/data/v62.0/graphql`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${org.users[persona].accessToken}`,
            'Content-Type': 'application/json'
          },
          body: JSON.stringify({ query: q.query, variables: variablesFor(q.query, ids) })
        });
        const body = (await res.json()) as {
          data: { uiapi: { query?: Record<string, { edges: unknown[] }> } } | null;
          errors: { message: string }[];
        };
        expect(body.errors).toEqual([]);
        const connections = Object.values(body.data?.uiapi.query ?? {});
        expect(connections.length).toBeGreaterThan(0);
        // The seeded records come back through at least one connection of each query.
        expect(connections.some((c) => Array.isArray(c.edges) && c.edges.length > 0)).toBe(true);
      });
    }
  }
});
