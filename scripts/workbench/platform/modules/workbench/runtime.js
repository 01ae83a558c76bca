// Shared runtime of the workbench's platform modules: the page configuration
// the server writes into the page, and the local org's REST calls.

/** The global the page sets before it loads the bundle. */
export const CONFIG_KEY = '__OUTSIDE_IN_WORKBENCH__';

export const API_VERSION = 'v62.0';

export function pageConfig() {
  return globalThis[CONFIG_KEY] || {};
}

/**
 * The page calls its own server, which forwards /services/* to the local org
 * with the signed-in persona's token; tests outside a page set apiBase.
 */
export function dataUrl(path) {
  return `${pageConfig().apiBase || ''}/services/data/${API_VERSION}${path}`;
}

function parseBody(text) {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Calls the local org and resolves to the parsed JSON. Rejects the way LDS
 * does: a fetch-response-like object {status, statusText, ok:false, body},
 * which is what reduceErrors in the components reads.
 */
export async function request(method, path, body) {
  let response;
  try {
    response = await fetch(dataUrl(path), {
      method,
      headers: {
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' })
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin'
    });
  } catch (err) {
    const error = {
      status: 0,
      statusText: 'Network error',
      ok: false,
      body: { message: err && err.message ? err.message : String(err) }
    };
    throw error;
  }
  const parsed = parseBody(await response.text());
  if (!response.ok) {
    const error = {
      status: response.status,
      statusText: response.statusText,
      ok: false,
      body: typeof parsed === 'string' ? { message: parsed } : parsed
    };
    throw error;
  }
  return parsed;
}

/** LDS hands out read-only data; freezing it catches components that mutate it. */
export function deepFreeze(value) {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze(value[key]);
  }
  return value;
}

/** Accepts a schema import ({objectApiName, fieldApiName}) or a string. */
export function qualifiedFieldName(field) {
  if (typeof field === 'string') return field;
  if (field && field.objectApiName && field.fieldApiName) {
    return `${field.objectApiName}.${field.fieldApiName}`;
  }
  throw new Error(`Not a field: ${JSON.stringify(field)}`);
}

export function objectApiNameOf(object) {
  if (typeof object === 'string') return object;
  if (object && object.objectApiName) return object.objectApiName;
  return undefined;
}

export function fieldApiNameOf(field) {
  if (typeof field === 'string') return field.split('.').slice(1).join('.');
  return field && field.fieldApiName;
}
