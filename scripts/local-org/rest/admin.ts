/**
 * Local-only administration: faults on demand. Needs the admin persona's
 * token; not counted as API usage and never faulted itself.
 */
import { SfError } from '../errors';
import { faultRuleSchema } from '../http/faults';
import type { ApiRequest, Router } from '../http/router';

function requireAdmin(req: ApiRequest): void {
  if (req.user.persona !== 'admin') {
    throw new SfError(
      'INSUFFICIENT_ACCESS',
      'Only the admin user may change faults',
      undefined,
      403
    );
  }
}

export function register(router: Router): void {
  router.get(
    '/__local/faults',
    (req) => {
      requireAdmin(req);
      return {
        status: 200,
        body: { faults: req.services.faults.list(), injected: req.services.faults.injected }
      };
    },
    { api: false }
  );

  router.post(
    '/__local/faults',
    (req) => {
      requireAdmin(req);
      const body = req.json() as { faults?: unknown } | undefined;
      const list = Array.isArray(body?.faults) ? body.faults : [body];
      for (const item of list) {
        const parsed = faultRuleSchema.safeParse(item);
        if (!parsed.success) {
          throw new SfError(
            'INVALID_INPUT',
            `Bad fault: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'fault'}: ${i.message}`).join('; ')}`,
            undefined,
            400
          );
        }
        req.services.faults.add(parsed.data);
      }
      return { status: 200, body: { faults: req.services.faults.list() } };
    },
    { api: false }
  );

  router.delete(
    '/__local/faults',
    (req) => {
      requireAdmin(req);
      req.services.faults.clear();
      return { status: 204 };
    },
    { api: false }
  );
}
