import { reduceErrors } from 'c/ldsUtils';

describe('reduceErrors', () => {
  it('reads UI API read errors, record errors, GraphQL errors, Errors and strings', () => {
    expect(reduceErrors({ body: [{ message: 'A' }, { message: 'B' }] })).toEqual(['A', 'B']);
    expect(
      reduceErrors({
        status: 400,
        body: {
          message: 'An error occurred while trying to update the record.',
          output: {
            errors: [{ message: 'Account is required' }],
            fieldErrors: { NPS__c: [{ message: 'NPS must be 0 to 10' }] }
          }
        }
      })
    ).toEqual(['Account is required', 'NPS must be 0 to 10']);
    expect(reduceErrors({ body: { message: 'Record not found' } })).toEqual(['Record not found']);
    expect(reduceErrors({ body: { errors: [{ message: 'Bad query' }] } })).toEqual(['Bad query']);
    expect(reduceErrors([{ message: 'Field X is not accessible', path: ['uiapi'] }])).toEqual([
      'Field X is not accessible'
    ]);
    expect(reduceErrors(new Error('boom'))).toEqual(['boom']);
    expect(reduceErrors('plain')).toEqual(['plain']);
    expect(reduceErrors({ statusText: 'Service Unavailable' })).toEqual(['Service Unavailable']);
    expect(reduceErrors(42)).toEqual(['42']);
  });

  it('drops empty and repeated messages', () => {
    expect(reduceErrors([null, undefined, { message: '' }, 'x', 'x', {}])).toEqual(['x']);
  });
});
