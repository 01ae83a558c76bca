// Wire adapters are driven by their test emitters and flushed with a macrotask, as sfdx-lwc-jest intends.
import { createElement } from 'lwc';
import PerceptionCapture from 'c/perceptionCapture';
import { graphql } from 'lightning/graphql';
import { getRecord, createRecord } from 'lightning/uiRecordApi';
import { getObjectInfo, getPicklistValues } from 'lightning/uiObjectInfoApi';
import { publish } from 'lightning/messageService';
import { parseAnswers } from 'c/experienceScoring';

const TOUCHPOINTS = require('./data/touchpoints.json');
const QUESTIONS = require('./data/questions.json');
const CASE_RECORD = require('./data/getCaseRecord.json');
const CONTACT_NO_ACCOUNT = require('./data/getContactNoAccount.json');
const CHANNELS = require('./data/channelPicklist.json');

const flushPromises = () => new Promise((resolve) => setTimeout(resolve, 0));

function isTouchpointQuery(config) {
  return typeof config.query === 'string' && config.query.includes('CX_Touchpoint__c');
}
function isQuestionQuery(config) {
  return typeof config.query === 'string' && config.query.includes('CX_Survey_Question__c');
}

function mount(objectApiName = 'Case', recordId = '500000000000001AAA') {
  const element = createElement('c-perception-capture', { is: PerceptionCapture });
  element.recordId = recordId;
  element.objectApiName = objectApiName;
  document.body.appendChild(element);
  return element;
}

async function chooseTouchpoint(element, id = 'a01000000000001AAA') {
  const combo = element.shadowRoot.querySelector('lightning-combobox.cx-touchpoint');
  combo.dispatchEvent(new CustomEvent('change', { detail: { value: id } }));
  await flushPromises();
  graphql.emit(QUESTIONS, isQuestionQuery);
  await flushPromises();
}

function input(element, name) {
  return element.shadowRoot.querySelector(`lightning-input[data-name="${name}"]`);
}

async function type(element, name, value) {
  const el = input(element, name);
  el.value = value;
  el.dispatchEvent(new CustomEvent('change', { detail: { value } }));
  await flushPromises();
}

async function chooseChannel(element, value) {
  const combo = element.shadowRoot.querySelector('lightning-combobox.cx-channel');
  combo.dispatchEvent(new CustomEvent('change', { detail: { value } }));
  await flushPromises();
}

describe('c-perception-capture', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('asks only for touchpoints that apply to the record object, with an explicit first', async () => {
    const element = mount('Opportunity', '006000000000001AAA');
    await flushPromises();
    const seen = [];
    graphql.emit(TOUCHPOINTS, (config) => {
      seen.push(config);
      return isTouchpointQuery(config);
    });
    await flushPromises();
    const touchpointConfig = seen.find(isTouchpointQuery);
    expect(touchpointConfig.query).toContain('Applies_To__c: { includes: ["Opportunity"] }');
    expect(touchpointConfig.query).toContain('first: 200');
    expect(element.shadowRoot.querySelector('lightning-combobox.cx-touchpoint').options).toEqual([
      { label: 'Support call', value: 'a01000000000001AAA' },
      { label: 'Onboarding visit', value: 'a01000000000002AAA' }
    ]);
    // The questions query waits for a touchpoint.
    expect(seen.some(isQuestionQuery)).toBe(false);
    await chooseTouchpoint(element);
    expect(element.shadowRoot.querySelectorAll('fieldset.cx-item')).toHaveLength(2);
  });

  it('shows a spinner while loading and the empty state when no touchpoint applies', async () => {
    const element = mount();
    await flushPromises();
    expect(element.shadowRoot.querySelector('lightning-spinner')).not.toBeNull();
    graphql.emit({ uiapi: { query: { CX_Touchpoint__c: { edges: [] } } } }, isTouchpointQuery);
    await flushPromises();
    expect(element.shadowRoot.querySelector('lightning-spinner')).toBeNull();
    expect(element.shadowRoot.querySelector('.cx-empty').textContent).toBe(
      'No touchpoint applies to this kind of record yet.'
    );
    await expect(element).toBeAccessible();
  });

  it('shows the error panel when the touchpoints cannot be read', async () => {
    const element = mount();
    await flushPromises();
    graphql.emitErrors([{ message: 'No access to CX_Touchpoint__c' }], isTouchpointQuery);
    await flushPromises();
    const panel = element.shadowRoot.querySelector('c-error-panel');
    expect(panel).not.toBeNull();
    expect(panel.friendlyMessage).toBe('The experience data could not be loaded.');
    expect(panel.errors).toEqual([{ message: 'No access to CX_Touchpoint__c' }]);
    await expect(element).toBeAccessible();
  });

  it('pairs expectation and perception questions by item key and offers the touchpoint channels', async () => {
    const element = mount();
    getRecord.emit(CASE_RECORD);
    getObjectInfo.emit({ apiName: 'CX_Perception__c', defaultRecordTypeId: '012000000000000AAA' });
    getPicklistValues.emit(CHANNELS);
    await flushPromises();
    graphql.emit(TOUCHPOINTS, isTouchpointQuery);
    await flushPromises();
    await chooseTouchpoint(element);
    const items = element.shadowRoot.querySelectorAll('fieldset.cx-item');
    expect(items).toHaveLength(2);
    expect(items[0].querySelector('legend').textContent.trim()).toBe(
      'We solved the problem the first time'
    );
    expect(input(element, 'e:SUP-REL-1').label).toBe('Expected (1 to 7)');
    expect(input(element, 'p:SUP-RES-1').label).toBe('Experienced (1 to 5)');
    expect(input(element, 'self').label).toBe('Our own rating of this interaction (1 to 5)');
    const channel = element.shadowRoot.querySelector('lightning-combobox.cx-channel');
    expect(channel.options).toEqual([
      { label: 'Phone', value: 'Phone' },
      { label: 'Chat', value: 'Chat' }
    ]);
    await expect(element).toBeAccessible();
  });

  it('refuses to save without a perception answer or with a value off the scale', async () => {
    const element = mount();
    getRecord.emit(CASE_RECORD);
    await flushPromises();
    graphql.emit(TOUCHPOINTS, isTouchpointQuery);
    await flushPromises();
    await chooseTouchpoint(element);
    await chooseChannel(element, 'Phone');
    element.shadowRoot.querySelector('lightning-button.cx-save').click();
    await flushPromises();
    expect(element.shadowRoot.querySelector('.cx-form-error').textContent).toContain(
      "Answer at least one 'experienced' question."
    );
    await type(element, 'p:SUP-REL-1', '9');
    element.shadowRoot.querySelector('lightning-button.cx-save').click();
    await flushPromises();
    expect(element.shadowRoot.querySelector('.cx-form-error').textContent).toContain(
      'We solved the problem the first time (Experienced): 1 to 7'
    );
    expect(createRecord).not.toHaveBeenCalled();
  });

  it('creates one perception with the answers JSON and headline values from the scoring module', async () => {
    createRecord.mockResolvedValue({ id: 'a05000000000001AAA' });
    const element = mount();
    const toasts = jest.fn();
    const closes = jest.fn();
    element.addEventListener('lightning__showtoast', toasts);
    element.addEventListener('lightning__actionsclosescreen', closes);
    getRecord.emit(CASE_RECORD);
    await flushPromises();
    graphql.emit(TOUCHPOINTS, isTouchpointQuery);
    await flushPromises();
    await chooseTouchpoint(element);
    await chooseChannel(element, 'Phone');
    await type(element, 'e:SUP-REL-1', '7');
    await type(element, 'p:SUP-REL-1', '4');
    await type(element, 'e:SUP-RES-1', '5');
    await type(element, 'p:SUP-RES-1', '3');
    await type(element, 'nps', '6');
    await type(element, 'self', '4');
    element.shadowRoot.querySelector('lightning-button.cx-save').click();
    await flushPromises();

    expect(createRecord).toHaveBeenCalledTimes(1);
    const { apiName, fields } = createRecord.mock.calls[0][0];
    expect(apiName).toBe('CX_Perception__c');
    expect(fields.Account__c).toBe('001000000000001AAA');
    expect(fields.Case__c).toBe('500000000000001AAA');
    expect(fields.Contact__c).toBe('003000000000001AAA');
    expect(fields.Touchpoint__c).toBe('a01000000000001AAA');
    expect(fields.Channel__c).toBe('Phone');
    expect(fields.Source__c).toBe('Rep_Capture');
    expect(fields.Response_Id__c).toMatch(
      /^rep-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
    );
    expect(Number.isNaN(Date.parse(fields.Occurred_At__c))).toBe(false);
    expect(fields.NPS__c).toBe(6);
    expect(parseAnswers(fields.Answers__c)).toEqual({
      ok: true,
      answers: [
        { k: 'SUP-REL-1', d: 'Reliability', e: 7, p: 4, min: 1, max: 7 },
        { k: 'SUP-RES-1', d: 'Responsiveness', e: 5, p: 3, min: 1, max: 5 }
      ]
    });
    // Expectation: mean of 100 (7 on 1-7) and 100 (5 on 1-5); perception: mean of 50 and 50.
    expect(fields.Expectation__c).toBe(100);
    expect(fields.Perception__c).toBe(50);
    // Self-rating 4 on 1-5 is 75 on 0-100.
    expect(fields.Self_Rating__c).toBe(75);
    expect(fields.CSAT__c).toBeUndefined();

    expect(toasts).toHaveBeenCalledTimes(1);
    expect(toasts.mock.calls[0][0].detail).toEqual({
      title: 'Perception saved',
      variant: 'success'
    });
    expect(publish).toHaveBeenCalledWith(undefined, expect.anything(), {
      recordId: '500000000000001AAA',
      accountId: '001000000000001AAA',
      perceptionId: 'a05000000000001AAA'
    });
    expect(closes).toHaveBeenCalledTimes(1);
  });

  it('keeps the form and shows the error when createRecord fails', async () => {
    createRecord.mockRejectedValue({
      status: 400,
      ok: false,
      body: {
        message: 'An error occurred while trying to update the record.',
        output: {
          errors: [],
          fieldErrors: { Channel__c: [{ message: 'bad value for restricted picklist field: Fax' }] }
        }
      }
    });
    const element = mount('Account', '001000000000001AAA');
    const toasts = jest.fn();
    element.addEventListener('lightning__showtoast', toasts);
    await flushPromises();
    graphql.emit(TOUCHPOINTS, isTouchpointQuery);
    await flushPromises();
    await chooseTouchpoint(element);
    await chooseChannel(element, 'Phone');
    await type(element, 'p:SUP-REL-1', '5');
    element.shadowRoot.querySelector('lightning-button.cx-save').click();
    await flushPromises();
    // On an account the record itself is the account: nothing else is read.
    expect(getRecord.getLastConfig().recordId).toBeUndefined();
    expect(createRecord.mock.calls[0][0].fields.Account__c).toBe('001000000000001AAA');
    expect(createRecord.mock.calls[0][0].fields.Case__c).toBeUndefined();
    const panel = element.shadowRoot.querySelector('c-error-panel');
    expect(panel).not.toBeNull();
    expect(toasts.mock.calls[0][0].detail.variant).toBe('error');
    expect(publish).not.toHaveBeenCalled();
    expect(input(element, 'p:SUP-REL-1').value).toBe('5');
  });

  it('asks for CSAT and CES when the touchpoint has those questions, and saves them', async () => {
    createRecord.mockResolvedValue({ id: 'a05000000000002AAA' });
    const withScores = JSON.parse(JSON.stringify(QUESTIONS));
    const edges = withScores.uiapi.query.CX_Survey_Question__c.edges;
    // No self-rating question: the default 1-5 scale applies.
    withScores.uiapi.query.CX_Survey_Question__c.edges = edges
      .filter((e) => e.node.Kind__c.value !== 'Self_Rating')
      .concat([
        {
          node: {
            ...edges[4].node,
            Id: 'q-csat',
            Kind__c: { value: 'CSAT' },
            Item_Key__c: { value: 'SUP-CSAT' }
          }
        },
        {
          node: {
            ...edges[4].node,
            Id: 'q-ces',
            Kind__c: { value: 'CES' },
            Item_Key__c: { value: 'SUP-CES' }
          }
        }
      ]);
    const element = mount('Opportunity', '006000000000001AAA');
    getRecord.emit({
      apiName: 'Opportunity',
      id: '006000000000001AAA',
      fields: { AccountId: { value: '001000000000002AAA', displayValue: null } }
    });
    getObjectInfo.emit({ apiName: 'CX_Perception__c', defaultRecordTypeId: '012000000000000AAA' });
    getPicklistValues.emit(CHANNELS);
    await flushPromises();
    const noChannels = JSON.parse(JSON.stringify(TOUCHPOINTS));
    noChannels.uiapi.query.CX_Touchpoint__c.edges[0].node.Channels__c.value = null;
    graphql.emit(noChannels, isTouchpointQuery);
    await flushPromises();
    const combo = element.shadowRoot.querySelector('lightning-combobox.cx-touchpoint');
    combo.dispatchEvent(new CustomEvent('change', { detail: { value: 'a01000000000001AAA' } }));
    await flushPromises();
    graphql.emit(withScores, isQuestionQuery);
    await flushPromises();
    // A touchpoint that names no channels offers every channel of the picklist.
    expect(element.shadowRoot.querySelector('lightning-combobox.cx-channel').options).toHaveLength(
      4
    );
    expect(input(element, 'csat').label).toBe('Satisfaction (1 to 5)');
    expect(input(element, 'ces').label).toBe('Customer effort (1 to 7)');
    await chooseChannel(element, 'Web');
    await type(element, 'p:SUP-REL-1', '6');
    await type(element, 'csat', '4');
    await type(element, 'ces', '2');
    await type(element, 'self', '5');
    const comment = element.shadowRoot.querySelector('lightning-textarea');
    comment.dispatchEvent(
      new CustomEvent('change', { detail: { value: '  Quick and friendly  ' } })
    );
    await flushPromises();
    element.shadowRoot.querySelector('lightning-button.cx-save').click();
    await flushPromises();
    const { fields } = createRecord.mock.calls[0][0];
    expect(fields).toMatchObject({
      Account__c: '001000000000002AAA',
      Opportunity__c: '006000000000001AAA',
      Channel__c: 'Web',
      CSAT__c: 4,
      CES__c: 2,
      Self_Rating__c: 100,
      Perception__c: 83.33,
      Comment__c: 'Quick and friendly'
    });
    expect(fields.Expectation__c).toBeUndefined();
    expect(fields.NPS__c).toBeUndefined();
    expect(fields.Contact__c).toBeUndefined();
  });

  it('explains that a record without an account cannot hold a perception', async () => {
    const element = mount('Contact', '003000000000009AAA');
    getRecord.emit(CONTACT_NO_ACCOUNT);
    await flushPromises();
    graphql.emit(TOUCHPOINTS, isTouchpointQuery);
    await flushPromises();
    expect(element.shadowRoot.querySelector('.cx-no-account').textContent).toBe(
      'This record has no account; a perception belongs to an account.'
    );
    expect(element.shadowRoot.querySelector('lightning-button.cx-save')).toBeNull();
    await expect(element).toBeAccessible();
  });
});
