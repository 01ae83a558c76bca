/**
 * sObject Collections (/composite/sobjects) and sObject Tree
 * (/composite/tree/{Type}, what `sf data import tree` sends). Collections
 * report per-record errors with `statusCode`; a tree is all or nothing.
 */
import { SfError } from '../errors';
import type { ApiRequest, Router } from '../http/router';
import type { BatchItem, RecordInput } from '../records';
import { toSfError } from '../records';
import { flag, jsonObject, pathObject } from './common';

const P = '/services/data/:version/composite';
const MAX_RECORDS = 200;

function collectionBody(req: ApiRequest): { allOrNone: boolean; records: RecordInput[] } {
  const body = jsonObject(req);
  const records = body.records;
  if (!Array.isArray(records)) {
    throw new SfError(
      'INVALID_FIELD',
      'Expecting a records array in the request body',
      undefined,
      400
    );
  }
  checkSize(records.length);
  return { allOrNone: flag(body.allOrNone), records: records as RecordInput[] };
}

function checkSize(n: number): void {
  if (n > MAX_RECORDS) {
    throw new SfError(
      'EXCEEDED_ID_LIMIT',
      `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`,
      undefined,
      400
    );
  }
}

function recordType(rec: RecordInput): string {
  const attrs = rec.attributes as { type?: unknown } | undefined;
  if (typeof attrs?.type !== 'string') {
    throw new SfError('INVALID_TYPE', 'Must send a concrete entity type.', []);
  }
  return attrs.type;
}

function results<T>(
  items: BatchItem<T>[],
  ok: (value: T) => Record<string, unknown>,
  ids?: (string | undefined)[]
) {
  return items.map((item, i) =>
    item.ok
      ? ok(item.value)
      : {
          ...(ids?.[i] ? { id: ids[i] } : {}),
          success: false,
          errors: [item.error.toRecordError()]
        }
  );
}

export function register(router: Router): void {
  router.post(`${P}/sobjects`, (req) => {
    const { allOrNone, records } = collectionBody(req);
    const out = req.core.records.batch(records, allOrNone, (rec) =>
      req.core.records.create(req.user, recordType(rec), rec)
    );
    return { status: 200, body: results(out, (id) => ({ id, success: true, errors: [] })) };
  });

  router.patch(`${P}/sobjects`, (req) => {
    const { allOrNone, records } = collectionBody(req);
    // jsforce sends `id`, other clients `Id`.
    const ids = records.map((r) => {
      const v = r.id ?? r.Id;
      return typeof v === 'string' ? v : undefined;
    });
    const out = req.core.records.batch(records, allOrNone, (rec, i) => {
      const { id: _lower, Id: _upper, ...fields } = rec;
      if (!ids[i])
        throw new SfError('MISSING_ARGUMENT', 'Id not specified in an update call', ['Id']);
      return req.core.records.update(req.user, recordType(rec), ids[i], fields);
    });
    return { status: 200, body: results(out, (id) => ({ id, success: true, errors: [] }), ids) };
  });

  router.delete(`${P}/sobjects`, (req) => {
    const ids = (req.url.searchParams.get('ids') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (ids.length === 0)
      throw new SfError('MISSING_ARGUMENT', 'ids parameter is required', undefined, 400);
    checkSize(ids.length);
    const allOrNone = flag(req.url.searchParams.get('allOrNone'));
    const out = req.core.records.batch(ids, allOrNone, (id) =>
      req.core.records.delete(req.user, id)
    );
    return { status: 200, body: results(out, (id) => ({ id, success: true, errors: [] }), ids) };
  });

  const retrieve = (req: ApiRequest, ids: unknown, fields: unknown) => {
    const obj = pathObject(req, req.params.type);
    if (!Array.isArray(ids) || !Array.isArray(fields) || fields.length === 0) {
      throw new SfError('INVALID_FIELD', 'ids and fields are required', undefined, 400);
    }
    checkSize(ids.length);
    const body = ids.map((id) => {
      try {
        return req.core.records.retrieve(req.user, obj.name, id, fields.map(String), req.version);
      } catch (err) {
        const e = toSfError(err);
        if (e.errorCode === 'INVALID_FIELD')
          throw new SfError(e.errorCode, e.message, undefined, 400);
        return null;
      }
    });
    return { status: 200, body };
  };
  router.post(`${P}/sobjects/:type`, (req) => {
    const body = jsonObject(req);
    return retrieve(req, body.ids, body.fields);
  });
  router.get(`${P}/sobjects/:type`, (req) =>
    retrieve(
      req,
      (req.url.searchParams.get('ids') ?? '').split(',').filter(Boolean),
      (req.url.searchParams.get('fields') ?? '').split(',').filter(Boolean)
    )
  );

  router.patch(`${P}/sobjects/:type/:field`, (req) => {
    const obj = pathObject(req, req.params.type);
    const { allOrNone, records } = collectionBody(req);
    const out = req.core.records.batch(records, allOrNone, (rec) =>
      req.core.records.upsert(req.user, obj.name, req.params.field ?? '', undefined, rec)
    );
    const body = out.map((item) =>
      item.ok
        ? { id: item.value.id, success: true, errors: [], created: item.value.created }
        : {
            success: false,
            errors: [item.error.toRecordError()],
            // An org still reports what a rolled-back upsert would have done.
            ...(item.rolledBack ? { created: item.rolledBack.created } : {})
          }
    );
    return { status: 200, body };
  });

  router.post(`${P}/tree/:type`, (req) => {
    const root = pathObject(req, req.params.type);
    const body = jsonObject(req);
    if (!Array.isArray(body.records)) {
      throw new SfError(
        'INVALID_FIELD',
        'Expecting a records array in the request body',
        undefined,
        400
      );
    }
    const created: { referenceId: string; id: string }[] = [];
    let failure:
      { referenceId: string; errors: ReturnType<SfError['toRecordError']>[] } | undefined;
    let total = 0;
    const insert = (typeName: string, rec: RecordInput, parent?: { field: string; id: string }) => {
      total++;
      checkSize(total);
      const attrs = (rec.attributes ?? {}) as { type?: string; referenceId?: string };
      const referenceId = attrs.referenceId ?? `ref${total}`;
      const obj = req.core.schema.get(attrs.type ?? typeName);
      const fields: RecordInput = {};
      const nested: [string, unknown][] = [];
      for (const [k, v] of Object.entries(rec)) {
        if (k === 'attributes') continue;
        const rel = obj?.childMap.get(k.toLowerCase());
        if (rel && v && typeof v === 'object' && !Array.isArray(v) && 'records' in v)
          nested.push([k, v]);
        else fields[k] = v;
      }
      if (parent) fields[parent.field] = parent.id;
      let id: string;
      try {
        if (!obj)
          throw new SfError(
            'INVALID_TYPE',
            `sObject type '${attrs.type ?? typeName}' is not supported.`,
            []
          );
        id = req.core.records.create(req.user, obj.name, fields);
      } catch (err) {
        failure = { referenceId, errors: [toSfError(err).toRecordError()] };
        throw err;
      }
      created.push({ referenceId, id });
      for (const [k, v] of nested) {
        const rel = obj.childMap.get(k.toLowerCase())!;
        for (const child of (v as { records: unknown[] }).records) {
          insert(rel.childObject, child as RecordInput, { field: rel.field, id });
        }
      }
    };
    try {
      req.core.records.transaction(() => {
        for (const rec of body.records as RecordInput[]) insert(root.name, rec);
      });
    } catch (err) {
      if (!failure) throw err;
      return { status: 400, body: { hasErrors: true, results: [failure] } };
    }
    return { status: 201, body: { hasErrors: false, results: created } };
  });
}
