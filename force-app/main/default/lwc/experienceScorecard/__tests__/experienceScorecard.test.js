// Wire adapters are driven by their test emitters and flushed with a macrotask, as sfdx-lwc-jest intends.
import { createElement } from 'lwc';
import ExperienceScorecard from 'c/experienceScorecard';
import { graphql } from 'lightning/graphql';
import { subscribe, unsubscribe } from 'lightning/messageService';
import {
  DEFAULT_SETTINGS,
  experienceIndex,
  npsEstimate,
  serializeSettings,
  serializeStatistics,
  statisticsOf
} from 'c/experienceScoring';
import { estimateText, lowSampleText } from 'c/cxView';

const RESPONSES = require('./data/accountResponses.json');
const CAPTURES = require('./data/captures.json');
const CAPTURE_RESPONSES = require('./data/captureResponses.json');
const CONTEXT = require('./data/accountContext.json');
const CASE_PAGE = require('./data/casePage.json');

const NOW = Date.parse('2026-03-15T12:00:00Z');
const SETTINGS = serializeSettings({ ...DEFAULT_SETTINGS, timeZone: 'Europe/Amsterdam' });
const MARCH_CUTOFF = '2026-03-10T00:00:00.000Z';
const FEBRUARY_CUTOFF = '2026-03-01T02:00:00.000Z';

const flushPromises = () => new Promise((resolve) => setTimeout(resolve, 0));
const isAccountQuery = (config) => String(config.query).includes('query scorecardAccount');
const isCapturesQuery = (config) => String(config.query).includes('query scorecardCaptures');
const isRecordQuery = (config) => String(config.query).includes('query scorecardRecord');

function snapshot(id, period, responses, cutoff) {
  return {
    node: {
      Id: id,
      Period__c: { value: period },
      Responses__c: { value: responses.length },
      Statistics__c: { value: serializeStatistics(statisticsOf('account', responses)) },
      Settings__c: { value: SETTINGS },
      Includes_Through__c: { value: cutoff }
    }
  };
}

function accountData(snapshots) {
  return {
    uiapi: {
      query: {
        CX_Account_Score__c: { edges: snapshots },
        CX_Touchpoint__c: CONTEXT.touchpoints,
        Case: CONTEXT.cases,
        Opportunity: CONTEXT.opportunities,
        Order: CONTEXT.orders
      }
    }
  };
}

const NO_CAPTURES = {
  uiapi: { query: { CX_Perception__c: { edges: [], pageInfo: { hasNextPage: false } } } }
};

function mount(props) {
  const element = createElement('c-experience-scorecard', { is: ExperienceScorecard });
  Object.assign(element, { period: 'month' }, props);
  document.body.appendChild(element);
  return element;
}

function measure(element, key) {
  return element.shadowRoot.querySelector(`.cx-measure_${key}`);
}

describe('c-experience-scorecard', () => {
  beforeEach(() => {
    jest.spyOn(Date, 'now').mockReturnValue(NOW);
  });

  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.restoreAllMocks();
    jest.clearAllMocks();
  });

  it('merges the account snapshots with the rep captures no snapshot includes yet', async () => {
    const element = mount({ objectApiName: 'Account', recordId: '001000000000001AAA' });
    await flushPromises();
    expect(element.shadowRoot.querySelector('lightning-spinner')).not.toBeNull();
    const seen = [];
    graphql.emit(
      accountData([
        snapshot('a06000000000001AAA', '2026-03', RESPONSES.march, MARCH_CUTOFF),
        snapshot('a06000000000002AAA', '2026-02', RESPONSES.february, FEBRUARY_CUTOFF)
      ]),
      (config) => {
        seen.push(config);
        return isAccountQuery(config);
      }
    );
    await flushPromises();
    const accountConfig = seen.find(isAccountQuery);
    expect(accountConfig.variables).toEqual({
      recordId: '001000000000001AAA',
      fromPeriod: '2026-01'
    });
    expect(accountConfig.query).toContain('first: 25');

    const captureConfigs = [];
    graphql.emit(CAPTURES, (config) => {
      captureConfigs.push(config);
      return isCapturesQuery(config);
    });
    await flushPromises();
    const capturesConfig = captureConfigs.find(isCapturesQuery);
    // The earliest cut-off of the months shown, and the start of February in Amsterdam.
    expect(capturesConfig.variables).toEqual({
      recordId: '001000000000001AAA',
      occurredFrom: '2026-01-31T23:00:00.000Z',
      createdAfter: FEBRUARY_CUTOFF
    });
    expect(capturesConfig.query).toContain('first: 200');

    // The capture created before March's cut-off is in the snapshot already; only the other one adds.
    const expected = statisticsOf('account', [...RESPONSES.march, CAPTURE_RESPONSES.new]);
    const index = experienceIndex(expected.overall, DEFAULT_SETTINGS);
    expect(measure(element, 'index').querySelector('.cx-measure-value').textContent).toBe(
      estimateText(index)
    );
    expect(measure(element, 'index').textContent).toContain('n = 7');
    expect(measure(element, 'index').textContent).toContain('95% interval');
    // February was far lower: the rise is significant and marked.
    expect(measure(element, 'index').querySelector('.cx-trend_up').textContent).toContain(
      'on the previous period'
    );
    const nps = npsEstimate(expected.overall, DEFAULT_SETTINGS);
    expect(measure(element, 'nps').querySelector('.cx-measure-value').textContent).toBe(
      `+${Math.round(nps.value)}`
    );
    expect(measure(element, 'csat')).not.toBeNull();

    const rows = element.shadowRoot.querySelectorAll('.cx-heat-map tbody tr');
    expect(rows).toHaveLength(2);
    expect(rows[0].querySelector('th').textContent).toBe('Onboarding visit');
    const cells = [...element.shadowRoot.querySelectorAll('.cx-heat-map td')].map(
      (td) => td.textContent
    );
    expect(cells.some((t) => /below expectation|above expectation|low sample/.test(t))).toBe(true);
    // Never a bare number: every cell says what its number means.
    expect(cells.every((t) => t === '' || /expectation|low sample|no responses/.test(t))).toBe(
      true
    );

    const transactions = [...element.shadowRoot.querySelectorAll('.cx-transaction')];
    expect(transactions[0].textContent).toContain('Case 00001001');
    expect(transactions[0].querySelector('.cx-perception').textContent).toContain(
      '\u221214.3 below expectation'
    );
    expect(transactions[1].textContent).toContain('No perceptions about this yet.');
    await expect(element).toBeAccessible();
  });

  it('says "low sample" instead of a bare number below the minimum sample', async () => {
    const element = mount({ objectApiName: 'Account', recordId: '001000000000001AAA' });
    await flushPromises();
    graphql.emit(
      accountData([
        snapshot('a06000000000001AAA', '2026-03', RESPONSES.march.slice(0, 3), MARCH_CUTOFF)
      ]),
      isAccountQuery
    );
    await flushPromises();
    graphql.emit(NO_CAPTURES, isCapturesQuery);
    await flushPromises();
    expect(measure(element, 'index').querySelector('.cx-measure-value').textContent).toBe(
      lowSampleText(3)
    );
    expect(lowSampleText(3)).toBe('low sample, n = 3');
    expect(measure(element, 'index').querySelector('.cx-trend')).toBeNull();
    expect(element.shadowRoot.querySelector('.cx-low-sample').textContent).toContain(
      'low sample, n = 3'
    );
    for (const row of element.shadowRoot.querySelectorAll('.cx-dimension')) {
      expect(row.querySelector('svg')).toBeNull();
      expect(row.textContent).toContain('low sample');
    }
    await expect(element).toBeAccessible();
  });

  it('counts every capture when the month has no snapshot yet', async () => {
    const element = mount({ objectApiName: 'Account', recordId: '001000000000001AAA' });
    await flushPromises();
    graphql.emit(accountData([]), isAccountQuery);
    await flushPromises();
    const captureConfigs = [];
    graphql.emit(CAPTURES, (config) => {
      captureConfigs.push(config);
      return isCapturesQuery(config);
    });
    await flushPromises();
    expect(captureConfigs.find(isCapturesQuery).variables.createdAfter).toBe(
      '1970-01-01T00:00:00.000Z'
    );
    expect(measure(element, 'index').querySelector('.cx-measure-value').textContent).toBe(
      'low sample, n = 2'
    );
  });

  it('shows the empty state when there is nothing in the period', async () => {
    const element = mount({ objectApiName: 'Account', recordId: '001000000000001AAA' });
    await flushPromises();
    graphql.emit(accountData([]), isAccountQuery);
    await flushPromises();
    graphql.emit(NO_CAPTURES, isCapturesQuery);
    await flushPromises();
    expect(element.shadowRoot.querySelector('.cx-empty').textContent).toBe(
      'No perceptions in this period yet.'
    );
    expect(measure(element, 'index').querySelector('.cx-measure-value').textContent).toBe(
      'no responses yet'
    );
    await expect(element).toBeAccessible();
  });

  it('shows the error panel when the data cannot be read', async () => {
    const element = mount({ objectApiName: 'Account', recordId: '001000000000001AAA' });
    await flushPromises();
    graphql.emitErrors(
      [{ message: 'No such column Statistics__c on CX_Account_Score__c' }],
      isAccountQuery
    );
    await flushPromises();
    const panel = element.shadowRoot.querySelector('c-error-panel');
    expect(panel.errors[0].message).toContain('Statistics__c');
    expect(element.shadowRoot.querySelector('.cx-measures')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('reports a snapshot the scoring module cannot read', async () => {
    const element = mount({ objectApiName: 'Account', recordId: '001000000000001AAA' });
    await flushPromises();
    const broken = snapshot('a06000000000001AAA', '2026-03', [], MARCH_CUTOFF);
    broken.node.Statistics__c.value = '{"v":99}';
    graphql.emit(accountData([broken]), isAccountQuery);
    await flushPromises();
    graphql.emit(NO_CAPTURES, isCapturesQuery);
    await flushPromises();
    const panel = element.shadowRoot.querySelector('c-error-panel');
    expect(panel).not.toBeNull();
    expect(panel.errors.message).toContain('statistics version 99');
  });

  it('computes a case page from its own perceptions with the org settings', async () => {
    const element = mount({ objectApiName: 'Case', recordId: '500000000000001AAA' });
    await flushPromises();
    const seen = [];
    graphql.emit(CASE_PAGE, (config) => {
      seen.push(config);
      return isRecordQuery(config);
    });
    await flushPromises();
    const config = seen.find(isRecordQuery);
    expect(config.variables.recordId).toBe('500000000000001AAA');
    // A month before the window, in the user's zone (America/Los_Angeles under sfdx-lwc-jest).
    expect(config.variables.occurredFrom).toBe('2026-01-01T08:00:00.000Z');
    // Minimum sample 3 from the org snapshot: three perceptions give a number, at 90%.
    const index = measure(element, 'index');
    expect(index.querySelector('.cx-measure-value').textContent).not.toContain('low sample');
    expect(index.textContent).toContain('90% interval');
    const transaction = element.shadowRoot.querySelector('.cx-transaction');
    const headings = [...element.shadowRoot.querySelectorAll('h3')].map((h) => h.textContent);
    expect(headings).toContain('Perceptions about this record');
    expect(transaction.querySelectorAll('.cx-perception')).toHaveLength(3);
    expect(transaction.textContent).toContain('\u221250.0 below expectation');
    expect(transaction.textContent).toContain('meets expectation');
    await expect(element).toBeAccessible();
  });

  it('hides the measures the page builder turned off', async () => {
    const element = mount({
      objectApiName: 'Case',
      recordId: '500000000000001AAA',
      hideNps: true,
      hideTouchpoints: true,
      hideTransactions: true
    });
    await flushPromises();
    graphql.emit(CASE_PAGE, isRecordQuery);
    await flushPromises();
    expect(measure(element, 'nps')).toBeNull();
    expect(measure(element, 'index')).not.toBeNull();
    expect(element.shadowRoot.querySelector('.cx-heat-map')).toBeNull();
    expect(element.shadowRoot.querySelector('.cx-transaction')).toBeNull();
  });

  it('reads its data again when a capture is published', async () => {
    const element = mount({ objectApiName: 'Case', recordId: '500000000000001AAA' });
    await flushPromises();
    const refresh = jest.fn(() => Promise.resolve());
    graphql.emit(CASE_PAGE, isRecordQuery, refresh);
    await flushPromises();
    expect(subscribe).toHaveBeenCalledTimes(1);
    const listener = subscribe.mock.calls[0][2];
    listener({ recordId: '500000000000001AAA', accountId: '001000000000001AAA' });
    expect(refresh).toHaveBeenCalledTimes(1);
    document.body.removeChild(element);
    expect(unsubscribe).toHaveBeenCalledTimes(1);
  });
});
