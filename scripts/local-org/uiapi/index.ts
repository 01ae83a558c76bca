/**
 * UI API routes for Lightning Data Service (reference §7.2):
 * /services/data/vXX.X/ui-api/records[/{id}], records/batch, object-info and
 * picklist values. Reads fail with `[{errorCode, message}]`; creates and
 * updates with the "Error with Output" shape LDS reports field by field.
 */
import { SfError } from '../errors';
import type { ApiRequest, ApiResponse, Router } from '../http/router';
import { jsonObject } from '../rest/common';
import { field } from '../schema';
import { toSfError } from '../records';
import { objectInfo, picklistValues, picklistValuesByRecordType, uiObject } from './objectInfo';
import { fieldTree, layoutFields, objectOfId, readUiRecord, type UiRecord } from './records';

const P = '/services/data/:version/ui-api';

function listParam(req: ApiRequest, name: string): string[] {
  return req.url.searchParams
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}

function getRecord(req: ApiRequest, rawId: string | undefined): UiRecord {
  const { obj, id } = objectOfId(req.core, req.user, rawId);
  const fields = listParam(req, 'fields');
  const optional = [
    ...listParam(req, 'optionalFields'),
    ...layoutFields(req.user, obj, listParam(req, 'layoutTypes'))
  ];
  if (fields.length === 0 && optional.length === 0) {
    throw new SfError(
      'INVALID_INPUT',
      'One of fields, optionalFields or layoutTypes is required',
      undefined,
      400
    );
  }
  return readUiRecord(
    req.core,
    req.user,
    obj,
    id,
    fieldTree(req.core, req.user, obj, fields, optional),
    req.version
  );
}

/** "Error with Output": record-level errors and field errors keyed by field. */
export function errorWithOutput(err: SfError, objectName?: string, req?: ApiRequest): ApiResponse {
  const obj = objectName && req ? req.core.schema.get(objectName) : undefined;
  const item = (fieldName: string | null) => ({
    constituentField: null,
    duplicateRecordError: null,
    errorCode: err.errorCode,
    field: fieldName,
    fieldLabel: fieldName && obj ? (field(obj, fieldName)?.label ?? fieldName) : null,
    message: err.message
  });
  const fields = err.fields ?? [];
  const fieldErrors: Record<string, unknown[]> = {};
  for (const f of fields) fieldErrors[f] = [item(f)];
  return {
    status: err.status >= 400 && err.status !== 500 ? err.status : 400,
    body: {
      message: err.message,
      errorCode: err.errorCode,
      enhancedErrorType: 'RecordError',
      output: { errors: fields.length ? [] : [item(null)], fieldErrors }
    }
  };
}

function written(req: ApiRequest, id: string, fieldNames: string[], status: number): ApiResponse {
  const { obj } = objectOfId(req.core, req.user, id);
  const optional = new Set([`${obj.name}.Id`, ...fieldNames.map((n) => `${obj.name}.${n}`)]);
  if (field(obj, 'Name')) optional.add(`${obj.name}.Name`);
  const tree = fieldTree(req.core, req.user, obj, [], [...optional]);
  return { status, body: readUiRecord(req.core, req.user, obj, id, tree, req.version) };
}

function inputFields(body: Record<string, unknown>): Record<string, unknown> {
  const fields = body.fields;
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
    throw new SfError('INVALID_INPUT', 'The request needs a fields object', undefined, 400);
  }
  return fields as Record<string, unknown>;
}

export function register(router: Router): void {
  router.get(`${P}/records/batch/:ids`, (req) => {
    const results = (req.params.ids ?? '').split(',').map((id) => {
      try {
        return { statusCode: 200, result: getRecord(req, id.trim()) };
      } catch (err) {
        const e = toSfError(err);
        return { statusCode: e.status, result: [e.toJSON()] };
      }
    });
    return { status: 200, body: { results } };
  });

  router.get(`${P}/records/:id`, (req) => ({ status: 200, body: getRecord(req, req.params.id) }));

  router.post(`${P}/records`, (req) => {
    const body = jsonObject(req);
    const apiName = typeof body.apiName === 'string' ? body.apiName : '';
    try {
      const fields = inputFields(body);
      const id = req.core.records.create(req.user, apiName, fields);
      return written(req, id, Object.keys(fields), 201);
    } catch (err) {
      return errorWithOutput(toSfError(err), apiName, req);
    }
  });

  router.patch(`${P}/records/:id`, (req) => {
    const { obj, id } = objectOfId(req.core, req.user, req.params.id);
    const body = jsonObject(req);
    try {
      const fields = { ...inputFields(body) };
      delete fields.Id;
      req.core.records.update(req.user, obj.name, id, fields);
      return written(req, id, Object.keys(fields), 200);
    } catch (err) {
      const e = toSfError(err);
      if (e.status === 404) throw e;
      return errorWithOutput(e, obj.name, req);
    }
  });

  router.delete(`${P}/records/:id`, (req) => {
    const { obj, id } = objectOfId(req.core, req.user, req.params.id);
    req.core.records.delete(req.user, id, obj.name);
    return { status: 204 };
  });

  router.get(`${P}/object-info/batch/:names`, (req) => {
    const results = (req.params.names ?? '').split(',').map((name) => {
      try {
        return {
          result: objectInfo(req.core, req.user, uiObject(req.core, req.user, name.trim())),
          statusCode: 200
        };
      } catch (err) {
        const e = toSfError(err);
        return { result: [e.toJSON()], statusCode: e.status };
      }
    });
    return { status: 200, body: { results } };
  });

  router.get(`${P}/object-info/:object`, (req) => ({
    status: 200,
    body: objectInfo(req.core, req.user, uiObject(req.core, req.user, req.params.object))
  }));

  router.get(`${P}/object-info/:object/picklist-values/:recordType/:field`, (req) => ({
    status: 200,
    body: picklistValues(
      req.user,
      uiObject(req.core, req.user, req.params.object),
      req.params.recordType,
      req.params.field,
      req.version
    )
  }));

  router.get(`${P}/object-info/:object/picklist-values/:recordType`, (req) => ({
    status: 200,
    body: picklistValuesByRecordType(
      req.user,
      uiObject(req.core, req.user, req.params.object),
      req.params.recordType,
      req.version
    )
  }));
}
