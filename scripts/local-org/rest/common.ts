/** Helpers shared by the REST endpoint modules. */
import { SfError, notFound } from '../errors';
import type { ApiRequest } from '../http/router';
import type { OrgObject } from '../schema';

/** The object named in a REST path, or 404 NOT_FOUND when it does not exist for this user. */
export function pathObject(req: ApiRequest, name: string | undefined): OrgObject {
  const obj = name ? req.core.schema.get(name) : undefined;
  if (!obj || !req.user.permissions.object(obj).read) throw notFound();
  return obj;
}

export function jsonObject(req: ApiRequest): Record<string, unknown> {
  const body = req.json();
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new SfError(
      'JSON_PARSER_ERROR',
      'The request body must be a JSON object',
      undefined,
      400
    );
  }
  return body as Record<string, unknown>;
}

export function flag(value: unknown): boolean {
  return value === true || value === 'true';
}

export function created(id: string, extra: Record<string, unknown> = {}) {
  return { id, success: true, errors: [], ...extra };
}
