/**
 * sObject resources: describeGlobal, describe, record create, read, update,
 * delete and upsert on an external Id (reference §1.2-§1.4).
 */
import { SfError } from '../errors';
import { describeGlobal, describeObject, objectSummary } from '../describe';
import type { ApiRequest, ApiResponse, Router } from '../http/router';
import { recordUrl } from '../records';
import { created, jsonObject, pathObject } from './common';

const P = '/services/data/:version/sobjects';

function fieldsParam(req: ApiRequest): string[] | undefined {
  const f = req.url.searchParams.get('fields');
  return f
    ? f
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;
}

function upsertReply(req: ApiRequest, run: () => { id: string; created: boolean }): ApiResponse {
  try {
    const result = run();
    // API 45.0 and earlier answer an update with 204 and no body.
    if (!result.created && Number(req.version) < 46) return { status: 204 };
    return {
      status: result.created ? 201 : 200,
      body: created(result.id, { created: result.created })
    };
  } catch (err) {
    if (err instanceof SfError && err.errorCode === 'MULTIPLE_CHOICES') {
      const type = req.params.type ?? '';
      return {
        status: 300,
        body: (err.fields ?? []).map((id) => recordUrl(req.version, type, id))
      };
    }
    throw err;
  }
}

export function register(router: Router): void {
  router.get(P, (req) => ({
    status: 200,
    body: describeGlobal(req.user, req.core.schema, req.version)
  }));

  router.get(`${P}/:type/describe`, (req) => {
    const obj = pathObject(req, req.params.type);
    return { status: 200, body: describeObject(req.user, req.core.schema, obj, req.version) };
  });

  router.get(`${P}/:type`, (req) => {
    const obj = pathObject(req, req.params.type);
    return {
      status: 200,
      body: { objectDescribe: objectSummary(req.user, obj, req.version), recentItems: [] }
    };
  });

  router.post(`${P}/:type`, (req) => {
    const obj = pathObject(req, req.params.type);
    const id = req.core.records.create(req.user, obj.name, jsonObject(req));
    return { status: 201, body: created(id) };
  });

  router.get(`${P}/:type/:id`, (req) => {
    const obj = pathObject(req, req.params.type);
    return {
      status: 200,
      body: req.core.records.retrieve(
        req.user,
        obj.name,
        req.params.id,
        fieldsParam(req),
        req.version
      )
    };
  });

  router.patch(`${P}/:type/:id`, (req) => {
    const obj = pathObject(req, req.params.type);
    try {
      req.core.records.update(req.user, obj.name, req.params.id, jsonObject(req));
    } catch (err) {
      if (
        err instanceof SfError &&
        ['MALFORMED_ID', 'INVALID_CROSS_REFERENCE_KEY'].includes(err.errorCode) &&
        err.fields?.[0] === 'Id'
      ) {
        throw new SfError('NOT_FOUND', 'The requested resource does not exist', undefined, 404);
      }
      throw err;
    }
    return { status: 204 };
  });

  router.delete(`${P}/:type/:id`, (req) => {
    const obj = pathObject(req, req.params.type);
    try {
      req.core.records.delete(req.user, req.params.id, obj.name);
    } catch (err) {
      if (
        err instanceof SfError &&
        ['MALFORMED_ID', 'INVALID_CROSS_REFERENCE_KEY'].includes(err.errorCode)
      ) {
        throw new SfError('NOT_FOUND', 'The requested resource does not exist', undefined, 404);
      }
      throw err;
    }
    return { status: 204 };
  });

  // POST /sobjects/X/Id creates through the upsert path (v37+).
  router.post(`${P}/:type/:field`, (req) => {
    const obj = pathObject(req, req.params.type);
    if (req.params.field?.toLowerCase() !== 'id') {
      throw new SfError('NOT_FOUND', 'The requested resource does not exist', undefined, 404);
    }
    return upsertReply(req, () =>
      req.core.records.upsert(req.user, obj.name, 'Id', null, jsonObject(req))
    );
  });

  router.get(`${P}/:type/:field/:value`, (req) => {
    const obj = pathObject(req, req.params.type);
    const f = req.core.records.readableField(req.user, obj, req.params.field ?? '');
    if (!f || !f.externalId)
      throw new SfError('NOT_FOUND', 'The requested resource does not exist', undefined, 404);
    const rows = req.core.storage.findLive(obj, f.name, req.params.value ?? '', 100);
    const visible = rows.filter((r) => req.core.records.canSeeRow(req.user, obj, r));
    if (visible.length === 0)
      throw new SfError('NOT_FOUND', 'The requested resource does not exist', undefined, 404);
    if (visible.length > 1) {
      return { status: 300, body: visible.map((r) => recordUrl(req.version, obj, String(r.Id))) };
    }
    return {
      status: 200,
      body: req.core.records.retrieve(
        req.user,
        obj.name,
        visible[0]!.Id,
        fieldsParam(req),
        req.version
      )
    };
  });

  router.patch(`${P}/:type/:field/:value`, (req) => {
    const obj = pathObject(req, req.params.type);
    const field = req.params.field ?? '';
    const f = obj.fieldMap.get(field.toLowerCase());
    if (!f || !(f.externalId || f.name === 'Id')) {
      throw new SfError('NOT_FOUND', 'The requested resource does not exist', undefined, 404);
    }
    const body = jsonObject(req);
    const updateOnly = req.url.searchParams.get('updateOnly') === 'true';
    return upsertReply(req, () => {
      if (updateOnly) {
        const match = req.core.storage.findLive(obj, f.name, req.params.value ?? '');
        if (match.length === 0)
          throw new SfError('NOT_FOUND', 'The requested resource does not exist', undefined, 404);
      }
      return req.core.records.upsert(req.user, obj.name, f.name, req.params.value, body);
    });
  });
}
