/**
 * query, queryAll and queryMore (reference §2): results are paged from a
 * cursor, `totalSize` on every page, locators `01g...-2000` served on both
 * /query/ and /queryAll/, `columns=true` for the Salesforce CLI.
 */
import { SfError } from '../errors';
import type { ApiRequest, ApiResponse, Router } from '../http/router';

const P = '/services/data/:version';
const DEFAULT_BATCH = 2000;

function batchSize(req: ApiRequest): number {
  const header = req.headers['sforce-query-options'];
  const m = /batchSize\s*=\s*(\d+)/i.exec(
    Array.isArray(header) ? header.join(',') : (header ?? '')
  );
  if (!m) return DEFAULT_BATCH;
  return Math.min(2000, Math.max(200, Number(m[1])));
}

function page(req: ApiRequest, cursorId: string, offset: number): ApiResponse {
  const cursor = req.services.cursors.get(cursorId);
  if (!cursor || offset > cursor.records.length) {
    throw new SfError('INVALID_QUERY_LOCATOR', 'invalid query locator', undefined, 400);
  }
  const end = Math.min(offset + cursor.batchSize, cursor.records.length);
  const done = end >= cursor.records.length;
  if (done) req.services.cursors.close(cursorId);
  return {
    status: 200,
    body: {
      totalSize: cursor.totalSize,
      done,
      ...(done
        ? {}
        : { nextRecordsUrl: `/services/data/v${req.version}/query/${cursorId}-${end}` }),
      records: cursor.records.slice(offset, end)
    }
  };
}

function run(req: ApiRequest, all: boolean): ApiResponse {
  const q = req.url.searchParams.get('q');
  if (q === null || q.trim() === '') {
    throw new SfError('MALFORMED_QUERY', 'A query string has to be specified', undefined, 400);
  }
  const result = req.core.query(req.user, q, { version: req.version, all });
  if (req.url.searchParams.get('columns') === 'true') {
    const { columnMetadata, entityName, groupBy, idSelected, keyPrefix } = result;
    return { status: 200, body: { columnMetadata, entityName, groupBy, idSelected, keyPrefix } };
  }
  const size = batchSize(req);
  if (result.records.length <= size) {
    return {
      status: 200,
      body: { totalSize: result.totalSize, done: true, records: result.records }
    };
  }
  const cursor = req.services.cursors.open(result, size, all);
  return page(req, cursor.id, 0);
}

function more(req: ApiRequest): ApiResponse {
  const m = /^(01g[A-Za-z0-9]{15})-(\d+)$/.exec(req.params.locator ?? '');
  if (!m) throw new SfError('INVALID_QUERY_LOCATOR', 'invalid query locator', undefined, 400);
  return page(req, m[1]!, Number(m[2]));
}

export function register(router: Router): void {
  router.get(`${P}/query`, (req) => run(req, false));
  router.get(`${P}/queryAll`, (req) => run(req, true));
  router.get(`${P}/query/:locator`, more);
  router.get(`${P}/queryAll/:locator`, more);
}
