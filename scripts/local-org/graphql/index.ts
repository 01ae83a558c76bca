/**
 * POST /services/data/vXX.X/graphql: the UI API GraphQL endpoint. Answers
 * 200 with `{data, errors}` as the platform does, errors per the GraphQL
 * spec (message, locations, path, extensions).
 */
import type { Router } from '../http/router';
import { jsonObject } from '../rest/common';
import { executeGraphQL } from './execute';

export function register(router: Router): void {
  router.post('/services/data/:version/graphql', (req) => ({
    status: 200,
    body: executeGraphQL(req.core, req.user, jsonObject(req), req.version)
  }));
}
