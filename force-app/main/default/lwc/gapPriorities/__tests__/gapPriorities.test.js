// Wire adapters are driven by their test emitters and flushed with a macrotask, as sfdx-lwc-jest intends.
import { createElement } from 'lwc';
import GapPriorities from 'c/gapPriorities';
import { graphql } from 'lightning/graphql';
import { navigate } from 'lightning/navigation';
import {
  DEFAULT_SETTINGS,
  serializeSettings,
  serializeStatistics,
  statisticsOf,
  weightedGap
} from 'c/experienceScoring';
import { gapText } from 'c/cxView';

const CONTEXT = require('./data/prioritiesContext.json');

const NOW = Date.parse('2026-03-15T12:00:00Z');
const SETTINGS = serializeSettings(DEFAULT_SETTINGS);
const flushPromises = () => new Promise((resolve) => setTimeout(resolve, 0));
const isOrgQuery = (c) => String(c.query).includes('query gapPrioritiesOrg');
const isTouchpointQuery = (c) => String(c.query).includes('query gapPrioritiesTouchpoint');

/** Responses at a touchpoint: expectation e, perceptions ps (1-7), two dimensions. */
function responses(key, e, ps) {
  return ps.map((p, i) => ({
    touchpointKey: key,
    channel: 'Phone',
    occurredAt: `2026-03-0${(i % 9) + 1}T09:00:00Z`,
    nps: Math.min(10, p + 3),
    answers: [
      { k: `${key}-REL`, d: 'Reliability', e, p, min: 1, max: 7 },
      { k: `${key}-EMP`, d: 'Empathy', e: e - 1, p: Math.max(1, p - 1), min: 1, max: 7 }
    ]
  }));
}

const SETS = {
  'SUP-CALL': responses('SUP-CALL', 6, [2, 3, 3, 4, 2, 3]),
  'ONB-VISIT': responses('ONB-VISIT', 5, [6, 6, 7, 5, 6, 7]),
  INVOICE: responses('INVOICE', 6, [4, 5, 4, 5, 4, 5]),
  WEB: responses('WEB', 5, [5, 6])
};
const IDS = {
  'SUP-CALL': 'a01000000000001AAA',
  'ONB-VISIT': 'a01000000000002AAA',
  INVOICE: 'a01000000000003AAA',
  WEB: 'a01000000000004AAA'
};

function score(key, period = '2026-03') {
  return {
    node: {
      Id: `a07${key}`,
      Period__c: { value: period },
      Touchpoint__c: { value: IDS[key] },
      Statistics__c: { value: serializeStatistics(statisticsOf('touchpoint', SETS[key])) },
      Settings__c: { value: SETTINGS }
    }
  };
}

function data(scores, tasks = CONTEXT.tasks, touchpoints = CONTEXT.touchpoints) {
  return {
    uiapi: {
      query: {
        CX_Touchpoint__c: touchpoints,
        CX_Score__c: { edges: scores, pageInfo: { hasNextPage: false } },
        Task: tasks
      }
    }
  };
}

function mount(props = {}) {
  const element = createElement('c-gap-priorities', { is: GapPriorities });
  Object.assign(element, { period: 'month' }, props);
  document.body.appendChild(element);
  return element;
}

describe('c-gap-priorities', () => {
  beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW));
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.restoreAllMocks();
    jest.clearAllMocks();
  });

  it('ranks the negative gaps by importance and size, with owners and open follow-up tasks', async () => {
    const element = mount();
    await flushPromises();
    expect(element.shadowRoot.querySelector('lightning-spinner')).not.toBeNull();
    const seen = [];
    graphql.emit(data(['SUP-CALL', 'ONB-VISIT', 'INVOICE', 'WEB'].map((k) => score(k))), (c) => {
      seen.push(c);
      return isOrgQuery(c);
    });
    await flushPromises();
    const config = seen.find(isOrgQuery);
    expect(config.variables).toEqual({ fromPeriod: '2026-02' });
    expect(config.query).toContain('CX_Touchpoint__c: { ne: null }, IsClosed: { eq: false }');

    const gaps = [...element.shadowRoot.querySelectorAll('.cx-gap')];
    // Support call: weight 2 and the deepest gap; Invoice: weight 1.5, smaller gap. Onboarding is above expectation.
    expect(gaps).toHaveLength(2);
    expect(gaps[0].querySelector('.cx-open').textContent.trim()).toBe('Support call');
    expect(gaps[1].querySelector('.cx-open').textContent.trim()).toBe('Invoice');
    const callGap = weightedGap(
      statisticsOf('touchpoint', SETS['SUP-CALL']).overall,
      DEFAULT_SETTINGS
    );
    expect(gaps[0].textContent).toContain(gapText(callGap.value));
    expect(gaps[0].textContent).toContain('Owner: Ada Jansen');
    expect(gaps[0].textContent).toContain('Open follow-up tasks: 2');
    const tasks = [...gaps[0].querySelectorAll('.cx-task')].map((t) => t.textContent);
    expect(tasks[0]).toMatch(/^Call back about the second invoice error · due /);
    expect(tasks[1]).toBe('Review call script');
    expect(gaps[1].textContent).toContain('No owner');
    expect(gaps[1].textContent).toContain('No open follow-up tasks');

    // Quadrants in words as well as in the chart; the low-sample touchpoint is listed, not plotted.
    const rows = [...element.shadowRoot.querySelectorAll('.cx-entries tbody tr')];
    const quadrantOf = (name) =>
      rows.find((r) => r.querySelector('th').textContent === name).querySelector('.cx-quadrant')
        .textContent;
    expect(quadrantOf('Support call')).toBe('Concentrate here');
    expect(quadrantOf('Onboarding visit')).toBe('Possible overkill');
    expect(quadrantOf('Web shop')).toBe('low sample, n = 2');
    expect(element.shadowRoot.querySelectorAll('.cx-chart circle')).toHaveLength(3);
    await expect(element).toBeAccessible();
  });

  it('opens the touchpoint of a ranked gap', async () => {
    const element = mount();
    await flushPromises();
    graphql.emit(data([score('SUP-CALL')]), isOrgQuery);
    await flushPromises();
    element.shadowRoot.querySelector('.cx-open').click();
    expect(navigate).toHaveBeenCalledWith(
      {
        type: 'standard__recordPage',
        attributes: {
          recordId: 'a01000000000001AAA',
          objectApiName: 'CX_Touchpoint__c',
          actionName: 'view'
        }
      },
      undefined
    );
  });

  it('ranks survey items on a touchpoint page and lists its open tasks', async () => {
    const element = mount({ recordId: 'a01000000000001AAA', objectApiName: 'CX_Touchpoint__c' });
    await flushPromises();
    const seen = [];
    graphql.emit(
      data([score('SUP-CALL')], CONTEXT.tasks, { edges: [CONTEXT.touchpoints.edges[0]] }),
      (c) => {
        seen.push(c);
        return isTouchpointQuery(c);
      }
    );
    await flushPromises();
    expect(seen.find(isTouchpointQuery).variables).toEqual({
      recordId: 'a01000000000001AAA',
      fromPeriod: '2026-02'
    });
    const gaps = [...element.shadowRoot.querySelectorAll('.cx-gap')];
    // Reliability weighs .32, Empathy .16: the reliability item ranks first.
    expect(gaps.map((g) => g.querySelector('.cx-gap-name').textContent.trim())).toEqual([
      'SUP-CALL-REL · Reliability',
      'SUP-CALL-EMP · Empathy'
    ]);
    expect(element.shadowRoot.querySelector('.cx-page-tasks').textContent).toBe(
      'Open follow-up tasks: 2'
    );
    await expect(element).toBeAccessible();
  });

  it('shows the empty state when no touchpoint has a score in the period', async () => {
    const element = mount();
    await flushPromises();
    graphql.emit(data([score('SUP-CALL', '2026-01')], { edges: [] }), isOrgQuery);
    await flushPromises();
    expect(element.shadowRoot.querySelector('.cx-empty').textContent).toBe(
      'No scores in this period yet.'
    );
    expect(element.shadowRoot.querySelector('.cx-no-gaps').textContent).toBe(
      'No negative gaps in this period.'
    );
    expect(element.shadowRoot.querySelector('.cx-chart')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('shows the error panel when the data cannot be read', async () => {
    const element = mount();
    await flushPromises();
    graphql.emitErrors([{ message: 'No such column CX_Touchpoint__c on Task' }], isOrgQuery);
    await flushPromises();
    expect(element.shadowRoot.querySelector('c-error-panel').errors[0].message).toContain(
      'CX_Touchpoint__c'
    );
    await expect(element).toBeAccessible();
  });
});
