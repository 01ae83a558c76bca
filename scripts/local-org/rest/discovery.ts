/**
 * Versions, resources, identity, userinfo and limits: what clients ask
 * before anything else (reference §1.1 and §5).
 */
import { DAILY_API_LIMIT } from '../http/services';
import { LISTED_VERSIONS, releaseLabel, type ApiRequest, type Router } from '../http/router';

function identity(req: ApiRequest) {
  const { core, user } = req;
  const base = req.services.instanceUrl;
  const userRow = core.storage.get(core.schema.get('User')!, user.userId) ?? {};
  const name = typeof userRow.Name === 'string' ? userRow.Name : user.username;
  const v = LISTED_VERSIONS[LISTED_VERSIONS.length - 1];
  return {
    sub: `${base}/id/${core.orgId}/${user.userId}`,
    user_id: user.userId,
    organization_id: core.orgId,
    preferred_username: user.username,
    nickname: user.persona,
    name,
    email: user.username,
    email_verified: true,
    given_name: typeof userRow.FirstName === 'string' ? userRow.FirstName : '',
    family_name: typeof userRow.LastName === 'string' ? userRow.LastName : name,
    zoneinfo: core.timeZone,
    locale: 'en_US',
    language: 'en_US',
    user_type: 'STANDARD',
    active: true,
    is_app_installed: true,
    updated_at: new Date(0).toISOString().replace('Z', '+0000'),
    urls: {
      enterprise: `${base}/services/Soap/c/{version}/${core.orgId}`,
      rest: `${base}/services/data/v{version}/`,
      sobjects: `${base}/services/data/v{version}/sobjects/`,
      query: `${base}/services/data/v{version}/query/`,
      profile: `${base}/${user.userId}`,
      custom_domain: base,
      metadata: `${base}/services/Soap/m/${v}/${core.orgId}`
    }
  };
}

export function register(router: Router): void {
  router.get(
    '/services/data',
    () => ({
      status: 200,
      body: LISTED_VERSIONS.map((v) => ({
        label: releaseLabel(v),
        url: `/services/data/v${v}`,
        version: v
      }))
    }),
    { auth: false }
  );

  router.get('/services/data/:version', (req) => {
    const p = `/services/data/v${req.version}`;
    const names = [
      'sobjects',
      'query',
      'queryAll',
      'limits',
      'composite',
      'tooling',
      'jobs',
      'ui-api',
      'graphql'
    ];
    const body: Record<string, string> = {};
    for (const n of names) body[n] = `${p}/${n}`;
    body.identity = `${req.services.instanceUrl}/id/${req.core.orgId}/${req.user.userId}`;
    return { status: 200, body };
  });

  router.get('/services/oauth2/userinfo', (req) => ({ status: 200, body: identity(req) }));

  router.get('/id/:org/:user', (req) => {
    if (req.params.org !== req.core.orgId || req.params.user !== req.user.userId) {
      return { status: 403, body: 'Bad_Id', raw: 'Bad_Id', contentType: 'text/plain' };
    }
    const info = identity(req);
    return {
      status: 200,
      body: {
        id: info.sub,
        asserted_user: true,
        user_id: info.user_id,
        organization_id: info.organization_id,
        username: req.user.username,
        nick_name: info.nickname,
        display_name: info.name,
        email: info.email,
        email_verified: true,
        first_name: info.given_name,
        last_name: info.family_name,
        timezone: info.zoneinfo,
        active: true,
        user_type: 'STANDARD',
        language: 'en_US',
        locale: 'en_US',
        utcOffset: 3600000,
        last_modified_date: info.updated_at,
        is_app_installed: true,
        urls: info.urls
      }
    };
  });

  router.get('/services/data/:version/limits', (req) => {
    const remaining = Math.max(0, DAILY_API_LIMIT - req.services.apiRequests);
    const limit = (max: number, used = 0) => ({ Max: max, Remaining: max - used });
    return {
      status: 200,
      body: {
        DailyApiRequests: { Max: DAILY_API_LIMIT, Remaining: remaining },
        DailyBulkApiBatches: limit(15000),
        DailyBulkV2QueryFileStorageMB: limit(976562),
        DailyBulkV2QueryJobs: limit(10000),
        DataStorageMB: limit(5),
        FileStorageMB: limit(20),
        HourlyPublishedPlatformEvents: limit(50000),
        SingleEmail: limit(15)
      }
    };
  });
}
