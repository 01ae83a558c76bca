'use strict';
// Jest stand-in for lightning/graphql, the same shape as the platform module:
// the wire value is {data, errors, refresh}; tests drive it with emit/emitErrors.
const { createTestWireAdapter } = require('@salesforce/wire-service-jest-util');

class graphql extends createTestWireAdapter() {
  static emit(value, filterFn, refreshFn) {
    super.emit({ data: value, errors: undefined, refresh: refreshFn || graphql.refresh }, filterFn);
  }

  static emitErrors(errors, filterFn, refreshFn) {
    super.emit({ data: undefined, errors, refresh: refreshFn || graphql.refresh }, filterFn);
  }

  constructor(dataCallback) {
    super(dataCallback);
    // The platform delivers an empty value before the first response.
    dataCallback({ data: undefined, errors: undefined });
  }
}

/** Shared refresh mock so tests can assert a component asked for fresh data. */
graphql.refresh = jest.fn(() => Promise.resolve());

/** On the platform gql parses at compile time; here the query text is kept for assertions. */
function gql(strings, ...values) {
  let text = '';
  strings.forEach((part, index) => {
    text += part;
    if (index < values.length) text += String(values[index]);
  });
  return text;
}

const executeMutation = jest.fn(() => Promise.resolve({ data: undefined, errors: undefined }));

module.exports = { graphql, gql, executeMutation };
