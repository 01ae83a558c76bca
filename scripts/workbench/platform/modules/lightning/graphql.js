// lightning/graphql on the local org's GraphQL endpoint
// (POST /services/data/v62.0/graphql).
import { FetchingAdapter } from 'workbench/lds';
import { deepFreeze, request } from 'workbench/runtime';

/** On the platform gql parses at compile time; here the query text is enough. */
export function gql(strings, ...values) {
  let text = '';
  strings.forEach((part, index) => {
    text += part;
    if (index < values.length) text += String(values[index]);
  });
  return text;
}

function errorsFrom(failure) {
  const body = failure && failure.body;
  if (body && Array.isArray(body.errors) && body.errors.length) return body.errors;
  if (Array.isArray(body)) {
    return body.map((item) => ({ message: item.message, extensions: item }));
  }
  const message = (body && body.message) || (failure && failure.statusText) || 'Request failed';
  return [{ message, extensions: { status: failure && failure.status } }];
}

export function runGraphQL(config) {
  const body = { query: config.query, variables: config.variables || {} };
  if (config.operationName) body.operationName = config.operationName;
  return request('POST', '/graphql', body).then(
    (response) => {
      const errors =
        response && Array.isArray(response.errors) && response.errors.length
          ? deepFreeze(response.errors)
          : undefined;
      return { data: deepFreeze((response && response.data) || undefined), errors };
    },
    (failure) => ({ data: undefined, errors: deepFreeze(errorsFrom(failure)) })
  );
}

/** @wire(graphql, {query, variables, operationName}) -> {data, errors, refresh} */
export class graphql extends FetchingAdapter {
  constructor(dataCallback) {
    super(dataCallback);
    this.isQuery = true;
  }

  isReady(config) {
    return Boolean(config && config.query);
  }

  load(config) {
    return runGraphQL(config).then((result) => ({
      ...result,
      refresh: () => this.refresh().then(() => undefined)
    }));
  }
}

/** executeMutation({query, variables, operationName}) -> Promise<{data, errors}> */
export function executeMutation(config) {
  return runGraphQL(config || {});
}
