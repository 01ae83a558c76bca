/**
 * The local org's router. Endpoint modules (rest/*.ts, later bulk/*.ts,
 * uiapi/*.ts) export `register(router)` and add routes with path patterns:
 * `:name` captures one segment, `:version` captures `vNN.N` (checked against
 * the supported API versions), and a final `*rest` captures the remainder.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { LocalOrgCore } from '../core';
import { SfError } from '../errors';
import type { UserContext } from '../permissions';
import type { LocalOrgServices } from './services';

export interface ApiRequest {
  method: string;
  /** Path without the query string, percent-decoding left to each segment. */
  path: string;
  url: URL;
  headers: IncomingHttpHeaders;
  params: Record<string, string>;
  /** API version without the `v` (e.g. `62.0`) when the route has `:version`. */
  version: string;
  /** The calling user (routes with auth: false have none). */
  user: UserContext;
  core: LocalOrgCore;
  services: LocalOrgServices;
  rawBody: Buffer;
  /** The body as JSON; a malformed body is JSON_PARSER_ERROR. */
  json(): unknown;
  text(): string;
}

export interface ApiResponse {
  status: number;
  /** Serialised as JSON unless `raw` is set. */
  body?: unknown;
  raw?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

export type Handler = (req: ApiRequest) => ApiResponse | Promise<ApiResponse>;

export interface RouteOptions {
  /** Requests need a bearer token (default true). */
  auth?: boolean;
  /** Counted against DailyApiRequests and subject to injected faults (default: same as auth). */
  api?: boolean;
}

interface Route {
  method: string;
  segments: string[];
  handler: Handler;
  auth: boolean;
  api: boolean;
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/** API versions the local org lists; older ones (the CLI's hard-coded 51.0) are served too. */
export const LISTED_VERSIONS = ['58.0', '59.0', '60.0', '61.0', '62.0', '63.0', '64.0'];
const RELEASES: Record<string, string> = {
  '58.0': "Summer '23",
  '59.0': "Winter '24",
  '60.0': "Spring '24",
  '61.0': "Summer '24",
  '62.0': "Winter '25",
  '63.0': "Spring '25",
  '64.0': "Summer '25"
};
export function releaseLabel(version: string): string {
  return RELEASES[version] ?? `v${version}`;
}
const MIN_VERSION = 31;
const MAX_VERSION = 64;

export function supportedVersion(segment: string): string | undefined {
  const m = /^v(\d{2})\.0$/.exec(segment);
  if (!m) return undefined;
  const n = Number(m[1]);
  return n >= MIN_VERSION && n <= MAX_VERSION ? `${n}.0` : undefined;
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler, opts: RouteOptions = {}): this {
    const auth = opts.auth ?? true;
    this.routes.push({
      method: method.toUpperCase(),
      segments: pattern.split('/').filter(Boolean),
      handler,
      auth,
      api: opts.api ?? auth
    });
    return this;
  }

  get(pattern: string, handler: Handler, opts?: RouteOptions): this {
    return this.add('GET', pattern, handler, opts);
  }
  post(pattern: string, handler: Handler, opts?: RouteOptions): this {
    return this.add('POST', pattern, handler, opts);
  }
  patch(pattern: string, handler: Handler, opts?: RouteOptions): this {
    return this.add('PATCH', pattern, handler, opts);
  }
  put(pattern: string, handler: Handler, opts?: RouteOptions): this {
    return this.add('PUT', pattern, handler, opts);
  }
  delete(pattern: string, handler: Handler, opts?: RouteOptions): this {
    return this.add('DELETE', pattern, handler, opts);
  }

  /**
   * The route for a request. A path that matches with another method is 405;
   * no match at all is 404 NOT_FOUND.
   */
  match(method: string, path: string): RouteMatch {
    const parts = path.split('/').filter(Boolean);
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      pathMatched = true;
      if (route.method === method.toUpperCase()) return { route, params };
    }
    if (pathMatched) {
      throw new SfError(
        'METHOD_NOT_ALLOWED',
        `HTTP Method '${method}' not allowed. Allowed are ${this.allowed(parts).join(',')}`,
        undefined,
        405
      );
    }
    throw new SfError('NOT_FOUND', 'The requested resource does not exist', undefined, 404);
  }

  private allowed(parts: string[]): string[] {
    return this.routes.filter((r) => matchSegments(r.segments, parts)).map((r) => r.method);
  }
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (p.startsWith('*')) {
      if (i >= parts.length) return undefined;
      params[p.slice(1)] = parts.slice(i).map(decodeURIComponent).join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (p === ':version') {
      const v = supportedVersion(part);
      if (!v) return undefined;
      params.version = v;
    } else if (p.startsWith(':')) {
      params[p.slice(1)] = decodeURIComponent(part);
    } else if (p !== part) {
      return undefined;
    }
  }
  return parts.length === pattern.length ? params : undefined;
}
