import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small stand-in for the local org, for the workbench's own tests until
 * scripts/local-org serves the UI API: the REST and UI API calls the
 * workbench makes, in Salesforce's shapes, with one user per token. A rep
 * sees only the records they own, which is enough to tell personas apart.
 */
export interface FixtureRecord {
  Id: string;
  OwnerId: string;
  [field: string]: unknown;
}

export interface FixtureOrg {
  instanceUrl: string;
  tokens: Record<string, string>;
  userIds: Record<string, string>;
  records: Map<string, { objectApiName: string; fields: FixtureRecord }>;
  /** Requests received, "METHOD path", for assertions. */
  requests: string[];
  close(): Promise<void>;
}

const ORG_ID = '00D000000000001AAA';
const PREFIXES: Record<string, string> = {
  Account: '001',
  Case: '500',
  Opportunity: '006',
  User: '005'
};

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8' });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

export async function startFixtureOrg(): Promise<FixtureOrg> {
  const userIds = { manager: '005000000000001AAA', rep: '005000000000002AAA' };
  const tokens = { manager: `${ORG_ID}!fixture.manager`, rep: `${ORG_ID}!fixture.rep` };
  const personaByToken = new Map(
    Object.entries(tokens).map(([persona, token]) => [token, persona])
  );
  const records = new Map<string, { objectApiName: string; fields: FixtureRecord }>();
  const add = (objectApiName: string, fields: FixtureRecord) =>
    records.set(fields.Id, { objectApiName, fields });
  add('Account', { Id: '001000000000001AAA', Name: 'Bakkerij de Vries', OwnerId: userIds.rep });
  add('Account', { Id: '001000000000002AAA', Name: 'Hollandse Bouw BV', OwnerId: userIds.manager });
  add('Case', {
    Id: '500000000000001AAA',
    CaseNumber: '00001001',
    Subject: 'Late delivery',
    OwnerId: userIds.rep
  });
  add('Opportunity', {
    Id: '006000000000001AAA',
    Name: 'Ovens 2027',
    OwnerId: userIds.manager
  });
  const requests: string[] = [];

  function visible(userId: string, id: string) {
    const record = records.get(id);
    if (!record) return undefined;
    if (userId !== userIds.manager && record.fields.OwnerId !== userId) return undefined;
    return record;
  }

  function uiRecord(objectApiName: string, fields: FixtureRecord, names: string[]) {
    const out: Record<string, { value: unknown; displayValue: null }> = {};
    for (const name of names) out[name] = { value: fields[name] ?? null, displayValue: null };
    return {
      apiName: objectApiName,
      childRelationships: {},
      eTag: `etag-${fields.Id}`,
      fields: out,
      id: fields.Id,
      lastModifiedById: fields.OwnerId,
      lastModifiedDate: '2026-11-01T10:00:00.000Z',
      recordTypeId: null,
      recordTypeInfo: null,
      systemModstamp: '2026-11-01T10:00:00.000Z',
      weakEtag: 1
    };
  }

  const notFound = [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }];

  /** GET of one UI API record: fields must exist; optionalFields are left out when they do not. */
  function readRecord(userId: string, id: string, url: URL): { status: number; body: unknown } {
    const record = visible(userId, id);
    if (!record) return { status: 404, body: notFound };
    const { objectApiName, fields } = record;
    const names: string[] = [];
    for (const param of ['fields', 'optionalFields']) {
      for (const qualified of (url.searchParams.get(param) ?? '').split(',').filter(Boolean)) {
        const [object, name] = qualified.split('.');
        if (object !== objectApiName || !name) continue;
        if (!(name in fields)) {
          if (param === 'optionalFields') continue;
          const message = `No such column '${name}' on entity '${objectApiName}'`;
          return { status: 400, body: [{ errorCode: 'INVALID_FIELD', message }] };
        }
        names.push(name);
      }
    }
    return { status: 200, body: uiRecord(objectApiName, fields, names) };
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fixture');
    requests.push(`${req.method} ${url.pathname}`);
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const persona = personByTokenOrUndefined(token);
    if (!persona) {
      return send(res, 401, [
        { errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }
      ]);
    }
    const userId = userIds[persona as keyof typeof userIds];
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = chunks.length
      ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>)
      : {};
    const p = url.pathname;
    if (p === '/services/oauth2/userinfo') {
      return send(res, 200, {
        user_id: userId,
        organization_id: ORG_ID,
        preferred_username: `${persona}@fixture.org`
      });
    }
    if (p === '/services/data/v62.0/sobjects') {
      return send(res, 200, {
        encoding: 'UTF-8',
        maxBatchSize: 200,
        sobjects: Object.entries(PREFIXES).map(([name, keyPrefix]) => ({
          name,
          keyPrefix,
          label: name
        }))
      });
    }
    let m = /^\/services\/data\/v62\.0\/sobjects\/(\w+)\/describe$/.exec(p);
    if (m)
      return PREFIXES[m[1] as string]
        ? send(res, 200, { name: m[1], label: m[1] })
        : send(res, 404, notFound);
    m = /^\/services\/data\/v62\.0\/sobjects\/(\w+)\/(\w+)$/.exec(p);
    if (m) {
      const record = visible(userId, m[2] as string);
      if (!record || record.objectApiName !== m[1]) return send(res, 404, notFound);
      const names = (url.searchParams.get('fields') ?? 'Id').split(',');
      const out: Record<string, unknown> = { attributes: { type: m[1], url: p } };
      for (const name of names) out[name] = record.fields[name] ?? null;
      return send(res, 200, out);
    }
    if (p === '/services/data/v62.0/query') {
      const soql = url.searchParams.get('q') ?? '';
      const from = /FROM\s+(\w+)/i.exec(soql)?.[1] ?? '';
      const select = (/SELECT\s+(.*?)\s+FROM/i.exec(soql)?.[1] ?? 'Id')
        .split(',')
        .map((s) => s.trim());
      const rows = [...records.values()]
        .filter((r) => r.objectApiName === from && visible(userId, r.fields.Id))
        .map((r) => {
          const out: Record<string, unknown> = { attributes: { type: from } };
          for (const name of select) out[name] = r.fields[name] ?? null;
          return out;
        });
      return send(res, 200, { totalSize: rows.length, done: true, records: rows });
    }
    if (p === '/services/data/v62.0/ui-api/records' && req.method === 'POST') {
      const objectApiName = String(body.apiName ?? '');
      const fields = (body.fields ?? {}) as Record<string, unknown>;
      if (!PREFIXES[objectApiName]) return send(res, 404, notFound);
      if (objectApiName === 'Account' && !fields.Name) {
        return send(res, 400, {
          message: 'Required fields are missing: [Name]',
          errorCode: 'REQUIRED_FIELD_MISSING',
          enhancedErrorType: 'RecordError',
          output: {
            errors: [],
            fieldErrors: {
              Name: [
                {
                  constituentField: null,
                  duplicateRecordError: null,
                  errorCode: 'REQUIRED_FIELD_MISSING',
                  field: 'Name',
                  fieldLabel: 'Account Name',
                  message: 'Required fields are missing: [Name]'
                }
              ]
            }
          }
        });
      }
      const id = `${PREFIXES[objectApiName]}0000000000${String(records.size + 1).padStart(2, '0')}AAA`;
      const created: FixtureRecord = { ...fields, Id: id, OwnerId: userId };
      add(objectApiName, created);
      return send(res, 201, uiRecord(objectApiName, created, Object.keys(created)));
    }
    m = /^\/services\/data\/v62\.0\/ui-api\/object-info\/(\w+)$/.exec(p);
    if (m) {
      if (!PREFIXES[m[1] as string]) return send(res, 404, notFound);
      return send(res, 200, {
        apiName: m[1],
        label: m[1],
        keyPrefix: PREFIXES[m[1] as string],
        fields: { Name: { apiName: 'Name', dataType: 'String', label: 'Name' } },
        defaultRecordTypeId: '012000000000000AAA'
      });
    }
    if (p === '/services/data/v62.0/graphql' && req.method === 'POST') {
      // Enough GraphQL for the adapters' plumbing: the Accounts the user sees, or a validation error.
      const query = String(body.query ?? '');
      if (!/uiapi\s*{\s*query\s*{\s*Account\b/.test(query)) {
        return send(res, 200, {
          data: null,
          errors: [
            { message: 'Validation error: unsupported query', locations: [], extensions: {} }
          ]
        });
      }
      const edges = [...records.values()]
        .filter((r) => r.objectApiName === 'Account' && visible(userId, r.fields.Id))
        .map((r) => ({ node: { Id: r.fields.Id, Name: { value: r.fields.Name } } }));
      return send(res, 200, {
        data: { uiapi: { query: { Account: { edges, totalCount: edges.length } } } },
        errors: []
      });
    }
    m = /^\/services\/data\/v62\.0\/ui-api\/records\/batch\/([\w,]+)$/.exec(p);
    if (m) {
      const results = (m[1] as string).split(',').map((id) => {
        const read = readRecord(userId, id, url);
        return { statusCode: read.status, result: read.body };
      });
      return send(res, 200, { results });
    }
    m = /^\/services\/data\/v62\.0\/ui-api\/records\/(\w+)$/.exec(p);
    if (m) {
      const record = visible(userId, m[1] as string);
      if (!record) return send(res, 404, notFound);
      const { objectApiName, fields } = record;
      if (req.method === 'DELETE') {
        records.delete(fields.Id);
        res.writeHead(204).end();
        return;
      }
      if (req.method === 'PATCH') {
        Object.assign(fields, (body.fields ?? {}) as Record<string, unknown>);
        return send(res, 200, uiRecord(objectApiName, fields, Object.keys(fields)));
      }
      const read = readRecord(userId, m[1] as string, url);
      return send(res, read.status, read.body);
    }
    return send(res, 404, notFound);
  }

  function personByTokenOrUndefined(token: string): string | undefined {
    return personaByToken.get(token);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) =>
      send(res, 500, [{ errorCode: 'UNKNOWN_EXCEPTION', message: String(err) }])
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    instanceUrl: `http://127.0.0.1:${port}`,
    tokens,
    userIds,
    records,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      })
  };
}
