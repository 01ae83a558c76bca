// Wire adapters are driven by their test emitters and flushed with a macrotask, as sfdx-lwc-jest intends.
import { createElement } from 'lwc';
import JourneyGapMap from 'c/journeyGapMap';
import { graphql } from 'lightning/graphql';
import { navigate } from 'lightning/navigation';
import { subscribe } from 'lightning/messageService';
import {
  DEFAULT_SETTINGS,
  serializeSettings,
  serializeStatistics,
  statisticsOf,
  weightedGap
} from 'c/experienceScoring';
import { gapEstimateText } from 'c/cxView';

const CONTEXT = require('./data/journeyContext.json');

const NOW = Date.parse('2026-03-15T12:00:00Z');
const SETTINGS = serializeSettings(DEFAULT_SETTINGS);
const flushPromises = () => new Promise((resolve) => setTimeout(resolve, 0));
const isOrgQuery = (c) => String(c.query).includes('query journeyGapMapOrg');
const isAccountQuery = (c) => String(c.query).includes('query journeyGapMapAccount');
const isCapturesQuery = (c) => String(c.query).includes('query journeyGapMapCaptures');

/** n responses at a touchpoint with expectation e and perceptions ps on 1-7. */
function responses(key, e, ps) {
  return ps.map((p, i) => ({
    touchpointKey: key,
    channel: 'Phone',
    occurredAt: `2026-03-0${(i % 9) + 1}T09:00:00Z`,
    answers: [
      { k: `${key}-REL`, d: 'Reliability', e, p, min: 1, max: 7 },
      { k: `${key}-EMP`, d: 'Empathy', e, p: Math.min(7, p + 1), min: 1, max: 7 }
    ]
  }));
}

function score(id, touchpointId, list, period = '2026-03') {
  return {
    node: {
      Id: id,
      Period__c: { value: period },
      Touchpoint__c: { value: touchpointId },
      Statistics__c: { value: serializeStatistics(statisticsOf('touchpoint', list)) },
      Settings__c: { value: SETTINGS }
    }
  };
}

const CALL = responses('SUP-CALL', 6, [3, 4, 2, 5, 3, 4]);
const CHAT = responses('SUP-CHAT', 5, [5, 6]);

function orgData(scores, touchpoints = CONTEXT.touchpoints) {
  return {
    uiapi: {
      query: {
        CX_Journey__c: CONTEXT.journeys,
        CX_Touchpoint__c: touchpoints,
        CX_Score__c: { edges: scores, pageInfo: { hasNextPage: false } }
      }
    }
  };
}

function mount(props = {}) {
  const element = createElement('c-journey-gap-map', { is: JourneyGapMap });
  Object.assign(element, { period: 'month' }, props);
  document.body.appendChild(element);
  return element;
}

function tile(element, name) {
  return [...element.shadowRoot.querySelectorAll('button.cx-tile')].find(
    (b) => b.querySelector('.cx-tile-name').textContent === name
  );
}

describe('c-journey-gap-map', () => {
  beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW));
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.restoreAllMocks();
    jest.clearAllMocks();
  });

  it('lays the stages out in journey order with each touchpoint gap written, owner and n', async () => {
    const element = mount();
    await flushPromises();
    expect(element.shadowRoot.querySelector('lightning-spinner')).not.toBeNull();
    const seen = [];
    graphql.emit(
      orgData([
        score('a07000000000001AAA', 'a01000000000001AAA', CALL),
        score('a07000000000002AAA', 'a01000000000003AAA', CHAT),
        // Outside the period: left out.
        score('a07000000000003AAA', 'a01000000000002AAA', CALL, '2026-01')
      ]),
      (c) => {
        seen.push(c);
        return isOrgQuery(c);
      }
    );
    await flushPromises();
    expect(seen.find(isOrgQuery).variables).toEqual({ fromPeriod: '2026-02' });
    expect(seen.find(isOrgQuery).query).toContain('first: 600');

    const stages = [...element.shadowRoot.querySelectorAll('.cx-stage-title')].map((h) =>
      h.textContent.trim()
    );
    expect(stages).toEqual([
      'Awareness',
      'Consideration',
      'Purchase',
      'Onboarding',
      'Use',
      'Service',
      'Loyalty'
    ]);
    const call = tile(element, 'Support call');
    const expected = gapEstimateText(
      weightedGap(statisticsOf('touchpoint', CALL).overall, DEFAULT_SETTINGS)
    );
    expect(expected).toMatch(/^\u2212\d+\.\d below expectation$/);
    expect(call.querySelector('.cx-tile-gap').textContent).toBe(expected);
    expect(call.textContent).toContain('n = 6');
    expect(call.textContent).toContain('Owner: Ada Jansen');
    expect(call.className).toContain('cx-tone_bad');
    const chat = tile(element, 'Support chat');
    expect(chat.querySelector('.cx-tile-gap').textContent).toBe('low sample, n = 2');
    expect(chat.textContent).toContain('No owner');
    expect(chat.className).toContain('cx-tone_none');
    expect(tile(element, 'Onboarding visit').querySelector('.cx-tile-gap').textContent).toBe(
      'no responses yet'
    );
    expect(element.shadowRoot.querySelector('.cx-start').textContent).toBe(
      'Starts: First contact with support'
    );
    await expect(element).toBeAccessible();
  });

  it('opens the touchpoint from its tile, a button that the keyboard reaches', async () => {
    const element = mount();
    await flushPromises();
    graphql.emit(orgData([score('a07000000000001AAA', 'a01000000000001AAA', CALL)]), isOrgQuery);
    await flushPromises();
    const call = tile(element, 'Support call');
    expect(call.tagName).toBe('BUTTON');
    expect(call.getAttribute('aria-label')).toContain('Open Support call');
    call.click();
    // On an app page a capture changes no touchpoint snapshot: nothing to read again.
    graphql.refresh.mockClear();
    subscribe.mock.calls[0][2]({ recordId: '001000000000001AAA' });
    expect(graphql.refresh).not.toHaveBeenCalled();
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

  it('switches journeys', async () => {
    const element = mount();
    await flushPromises();
    graphql.emit(orgData([]), isOrgQuery);
    await flushPromises();
    expect(tile(element, 'Quote')).toBeUndefined();
    const picker = element.shadowRoot.querySelector('lightning-combobox.cx-journey');
    picker.dispatchEvent(new CustomEvent('change', { detail: { value: 'a00000000000002AAA' } }));
    await flushPromises();
    expect(tile(element, 'Quote')).not.toBeUndefined();
    expect(tile(element, 'Support call')).toBeUndefined();
  });

  it('shows the account gaps, rep captures included, on an account page', async () => {
    const element = mount({ recordId: '001000000000001AAA', objectApiName: 'Account' });
    await flushPromises();
    const snapshot = {
      node: {
        Id: 'a06000000000001AAA',
        Period__c: { value: '2026-03' },
        Statistics__c: { value: serializeStatistics(statisticsOf('account', CHAT)) },
        Settings__c: { value: SETTINGS },
        Includes_Through__c: { value: '2026-03-10T00:00:00.000Z' }
      }
    };
    graphql.emit(
      {
        uiapi: {
          query: {
            CX_Journey__c: CONTEXT.journeys,
            CX_Touchpoint__c: CONTEXT.touchpoints,
            CX_Account_Score__c: { edges: [snapshot] }
          }
        }
      },
      isAccountQuery
    );
    await flushPromises();
    const configs = [];
    const capture = (id, created, p) => ({
      node: {
        Id: id,
        CreatedDate: { value: created },
        Occurred_At__c: { value: '2026-03-11T09:00:00.000Z' },
        Channel__c: { value: 'Chat' },
        NPS__c: { value: null },
        CSAT__c: { value: null },
        CES__c: { value: null },
        Expectation__c: { value: null },
        Perception__c: { value: null },
        Self_Rating__c: { value: null },
        Answers__c: {
          value: JSON.stringify({
            v: 1,
            a: [{ k: 'SUP-CHAT-REL', d: 'Reliability', e: 5, p, min: 1, max: 7 }]
          })
        },
        Touchpoint__r: { Key__c: { value: 'SUP-CHAT' } }
      }
    });
    graphql.emit(
      {
        uiapi: {
          query: {
            CX_Perception__c: {
              edges: [
                capture('a05000000000001AAA', '2026-03-12T00:00:00.000Z', 6),
                capture('a05000000000002AAA', '2026-03-12T00:00:01.000Z', 7),
                capture('a05000000000003AAA', '2026-03-12T00:00:02.000Z', 5)
              ],
              pageInfo: { hasNextPage: false }
            }
          }
        }
      },
      (c) => {
        configs.push(c);
        return isCapturesQuery(c);
      }
    );
    await flushPromises();
    expect(configs.find(isCapturesQuery).variables).toEqual({
      recordId: '001000000000001AAA',
      occurredFrom: '2026-02-28T23:00:00.000Z',
      createdAfter: '2026-03-10T00:00:00.000Z'
    });
    // 2 in the snapshot + 3 captures after its cut-off: five responses reach the minimum sample.
    const chat = tile(element, 'Support chat');
    expect(chat.textContent).toContain('n = 5');
    expect(chat.querySelector('.cx-tile-gap').textContent).not.toContain('low sample');
    await expect(element).toBeAccessible();

    // A capture on this page reads the account's data again.
    graphql.refresh.mockClear();
    subscribe.mock.calls[0][2]({ recordId: '001000000000001AAA' });
    expect(graphql.refresh).toHaveBeenCalledTimes(2);
  });

  it('shows the empty state for a journey without touchpoints', async () => {
    const element = mount();
    await flushPromises();
    graphql.emit(orgData([], { edges: [] }), isOrgQuery);
    await flushPromises();
    expect(element.shadowRoot.querySelector('.cx-empty').textContent).toBe(
      'This journey has no touchpoints yet.'
    );
    await expect(element).toBeAccessible();
  });

  it('shows the error panel when the data cannot be read', async () => {
    const element = mount();
    await flushPromises();
    graphql.emitErrors([{ message: 'Invalid field Stage_Order__c' }], isOrgQuery);
    await flushPromises();
    expect(element.shadowRoot.querySelector('c-error-panel').errors[0].message).toBe(
      'Invalid field Stage_Order__c'
    );
    expect(element.shadowRoot.querySelector('.cx-stages')).toBeNull();
    await expect(element).toBeAccessible();
  });
});
