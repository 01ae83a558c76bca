/**
 * The HTTP face of the local org (node:http, bound to 127.0.0.1): bearer
 * authentication, API usage counting, injected faults, and Salesforce's
 * JSON error shapes; never a stack trace.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalOrgCore } from '../core';
import { SfError, asSfError } from '../errors';
import { DAILY_API_LIMIT, QueryCursors, type LocalOrgServices } from './services';
import { FaultInjector } from './faults';
import { Router, type ApiRequest, type ApiResponse } from './router';

export const JSON_TYPE = 'application/json;charset=UTF-8';
const MAX_BODY = 160 * 1024 * 1024;

export type RouteModule = (router: Router) => void;

export interface ServerOptions {
  core: LocalOrgCore;
  faults: FaultInjector;
  modules: RouteModule[];
  port?: number;
  /** Unexpected errors are reported here (the client only sees UNKNOWN_EXCEPTION). */
  onError?: (err: unknown) => void;
}

export interface RunningServer {
  server: Server;
  instanceUrl: string;
  services: LocalOrgServices;
  close(): Promise<void>;
}

function send(res: ServerResponse, reply: ApiResponse, extra: Record<string, string>): void {
  const headers: Record<string, string> = { ...extra, ...reply.headers };
  let payload: string | Buffer | undefined;
  if (reply.raw !== undefined) {
    payload = reply.raw;
    headers['Content-Type'] = reply.contentType ?? 'text/plain;charset=UTF-8';
  } else if (reply.body !== undefined && reply.status !== 204) {
    payload = JSON.stringify(reply.body);
    headers['Content-Type'] = reply.contentType ?? JSON_TYPE;
  }
  if (payload !== undefined) headers['Content-Length'] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status, headers);
  res.end(payload);
}

export function errorReply(err: SfError): ApiResponse {
  return { status: err.status, body: [err.toJSON()] };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new SfError('REQUEST_TOO_LARGE', 'The request body is too large', undefined, 413));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const router = new Router();
  for (const register of opts.modules) register(router);
  const services: LocalOrgServices = {
    apiRequests: 0,
    cursors: new QueryCursors(),
    faults: opts.faults,
    instanceUrl: ''
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const extra: Record<string, string> = {};
    try {
      // Clients whose instance URL ends in a slash send `//services/...`; a
      // relative URL parser would read `services` as a host name.
      const url = new URL(`http://127.0.0.1${(req.url ?? '/').replace(/^\/+/, '/')}`);
      const method = (req.method ?? 'GET').toUpperCase();
      const { route, params } = router.match(method, url.pathname);
      let user;
      if (route.auth) {
        const auth = req.headers.authorization ?? '';
        const m = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(auth);
        user = m ? opts.core.contextForToken(m[1]!) : undefined;
        if (!user) {
          throw new SfError('INVALID_SESSION_ID', 'Session expired or invalid', undefined, 401);
        }
      }
      if (route.api) {
        services.apiRequests++;
        extra['Sforce-Limit-Info'] = `api-usage=${services.apiRequests}/${DAILY_API_LIMIT}`;
        const fault = opts.faults.onRequest(url.pathname);
        if (fault?.kind === 'SLOW') await new Promise((r) => setTimeout(r, fault.delayMs));
        if (fault?.kind === 'REQUEST_LIMIT_EXCEEDED') {
          throw new SfError(
            'REQUEST_LIMIT_EXCEEDED',
            'TotalRequests Limit exceeded.',
            undefined,
            403
          );
        }
        if (fault?.kind === 'SERVICE_UNAVAILABLE') {
          throw new SfError(
            'SERVER_UNAVAILABLE',
            'The server is temporarily unable to handle the request. Try again later.',
            undefined,
            503
          );
        }
      }
      const rawBody = await readBody(req);
      const apiReq: ApiRequest = {
        method,
        path: url.pathname,
        url,
        headers: req.headers,
        params,
        version: params.version ?? '62.0',
        user: user!,
        core: opts.core,
        services,
        rawBody,
        json() {
          if (rawBody.length === 0) return undefined;
          try {
            return JSON.parse(rawBody.toString('utf8')) as unknown;
          } catch (err) {
            throw new SfError(
              'JSON_PARSER_ERROR',
              `Unexpected character in the request body: ${err instanceof Error ? err.message : 'invalid JSON'}`,
              undefined,
              400
            );
          }
        },
        text() {
          return rawBody.toString('utf8');
        }
      };
      send(res, await route.handler(apiReq), extra);
    } catch (err) {
      if (!(err instanceof SfError)) {
        try {
          opts.onError?.(err);
        } catch {
          // A failing error reporter must not keep the client from its answer.
        }
      }
      try {
        send(res, errorReply(asSfError(err)), extra);
      } catch {
        res.destroy();
      }
    }
  };

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(
              `Port ${opts.port} on 127.0.0.1 is in use: choose another --port, or leave it out for a free one`
            )
          : err
      )
    );
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  services.instanceUrl = `http://127.0.0.1:${port}`;
  return {
    server,
    instanceUrl: services.instanceUrl,
    services,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      })
  };
}
