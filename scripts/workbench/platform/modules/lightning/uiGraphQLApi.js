// The deprecated lightning/uiGraphQLApi: the wire value is {data, errors},
// refreshed through refreshGraphQL(result).
import { FetchingAdapter } from 'workbench/lds';
import { gql as gqlTag, runGraphQL } from 'lightning/graphql';

const adapterByResult = new WeakMap();

export const gql = gqlTag;

export class graphql extends FetchingAdapter {
  constructor(dataCallback) {
    super(dataCallback);
    this.isQuery = true;
  }

  isReady(config) {
    return Boolean(config && config.query);
  }

  load(config) {
    return runGraphQL(config).then((result) => {
      adapterByResult.set(result, this);
      return result;
    });
  }
}

export function refreshGraphQL(result) {
  const adapter = result && adapterByResult.get(result);
  return adapter ? adapter.refresh().then(() => undefined) : Promise.resolve(undefined);
}
