import { LightningElement, api, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import { getRecord, getFieldValue, createRecord } from 'lightning/uiRecordApi';
import { getObjectInfo, getPicklistValues } from 'lightning/uiObjectInfoApi';
import { publish, MessageContext } from 'lightning/messageService';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { CloseActionScreenEvent } from 'lightning/actions';
import PERCEPTION_CAPTURED from '@salesforce/messageChannel/CX_Perception_Captured__c';
import {
  normaliseScore,
  readScaleValue,
  serializeAnswers,
  statisticsOf
} from 'c/experienceScoring';
import { fieldValue, formatLabel, nodesOf, randomId } from 'c/cxView';

import PERCEPTION_OBJECT from '@salesforce/schema/CX_Perception__c';
import ACCOUNT_FIELD from '@salesforce/schema/CX_Perception__c.Account__c';
import CONTACT_FIELD from '@salesforce/schema/CX_Perception__c.Contact__c';
import CASE_FIELD from '@salesforce/schema/CX_Perception__c.Case__c';
import OPPORTUNITY_FIELD from '@salesforce/schema/CX_Perception__c.Opportunity__c';
import ORDER_FIELD from '@salesforce/schema/CX_Perception__c.Order__c';
import TOUCHPOINT_FIELD from '@salesforce/schema/CX_Perception__c.Touchpoint__c';
import CHANNEL_FIELD from '@salesforce/schema/CX_Perception__c.Channel__c';
import OCCURRED_FIELD from '@salesforce/schema/CX_Perception__c.Occurred_At__c';
import SOURCE_FIELD from '@salesforce/schema/CX_Perception__c.Source__c';
import RESPONSE_ID_FIELD from '@salesforce/schema/CX_Perception__c.Response_Id__c';
import ANSWERS_FIELD from '@salesforce/schema/CX_Perception__c.Answers__c';
import EXPECTATION_FIELD from '@salesforce/schema/CX_Perception__c.Expectation__c';
import PERCEPTION_FIELD from '@salesforce/schema/CX_Perception__c.Perception__c';
import SELF_RATING_FIELD from '@salesforce/schema/CX_Perception__c.Self_Rating__c';
import NPS_FIELD from '@salesforce/schema/CX_Perception__c.NPS__c';
import CSAT_FIELD from '@salesforce/schema/CX_Perception__c.CSAT__c';
import CES_FIELD from '@salesforce/schema/CX_Perception__c.CES__c';
import COMMENT_FIELD from '@salesforce/schema/CX_Perception__c.Comment__c';
import CONTACT_ACCOUNT from '@salesforce/schema/Contact.AccountId';
import CASE_ACCOUNT from '@salesforce/schema/Case.AccountId';
import CASE_CONTACT from '@salesforce/schema/Case.ContactId';
import OPPORTUNITY_ACCOUNT from '@salesforce/schema/Opportunity.AccountId';
import ORDER_ACCOUNT from '@salesforce/schema/Order.AccountId';

import TITLE from '@salesforce/label/c.CX_Capture_Title';
import TOUCHPOINT from '@salesforce/label/c.CX_Capture_Touchpoint';
import CHOOSE_TOUCHPOINT from '@salesforce/label/c.CX_Capture_Choose_Touchpoint';
import CHANNEL from '@salesforce/label/c.CX_Capture_Channel';
import OCCURRED_AT from '@salesforce/label/c.CX_Capture_Occurred_At';
import EXPECTED from '@salesforce/label/c.CX_Capture_Expected';
import EXPERIENCED from '@salesforce/label/c.CX_Capture_Experienced';
import NPS_LABEL from '@salesforce/label/c.CX_Capture_NPS';
import CSAT_LABEL from '@salesforce/label/c.CX_Capture_CSAT';
import CES_LABEL from '@salesforce/label/c.CX_Capture_CES';
import SELF_RATING from '@salesforce/label/c.CX_Capture_Self_Rating';
import COMMENT from '@salesforce/label/c.CX_Capture_Comment';
import SAVE from '@salesforce/label/c.CX_Capture_Save';
import SAVED from '@salesforce/label/c.CX_Capture_Saved';
import SAVE_FAILED from '@salesforce/label/c.CX_Capture_Save_Failed';
import NO_TOUCHPOINTS from '@salesforce/label/c.CX_Capture_No_Touchpoints';
import NO_QUESTIONS from '@salesforce/label/c.CX_Capture_No_Questions';
import NO_ACCOUNT from '@salesforce/label/c.CX_Capture_No_Account';
import NEED_PERCEPTION from '@salesforce/label/c.CX_Capture_Need_Perception';
import FIX_ERRORS from '@salesforce/label/c.CX_Capture_Fix_Errors';
import LOADING from '@salesforce/label/c.CX_Loading';
import LOAD_FAILED from '@salesforce/label/c.CX_Load_Failed';
import SCALE from '@salesforce/label/c.CX_Capture_Scale';

// One query per object: Applies_To__c is a multi-select picklist, filtered
// with `includes` and a literal, so no variable type has to be guessed.
const TOUCHPOINTS_ACCOUNT = gql`
  query captureTouchpointsAccount {
    uiapi {
      query {
        CX_Touchpoint__c(
          where: { Applies_To__c: { includes: ["Account"] } }
          orderBy: { Name: { order: ASC } }
          first: 200
        ) {
          edges {
            node {
              Id
              Name {
                value
              }
              Key__c {
                value
              }
              Channels__c {
                value
              }
            }
          }
        }
      }
    }
  }
`;
const TOUCHPOINTS_CONTACT = gql`
  query captureTouchpointsContact {
    uiapi {
      query {
        CX_Touchpoint__c(
          where: { Applies_To__c: { includes: ["Contact"] } }
          orderBy: { Name: { order: ASC } }
          first: 200
        ) {
          edges {
            node {
              Id
              Name {
                value
              }
              Key__c {
                value
              }
              Channels__c {
                value
              }
            }
          }
        }
      }
    }
  }
`;
const TOUCHPOINTS_CASE = gql`
  query captureTouchpointsCase {
    uiapi {
      query {
        CX_Touchpoint__c(
          where: { Applies_To__c: { includes: ["Case"] } }
          orderBy: { Name: { order: ASC } }
          first: 200
        ) {
          edges {
            node {
              Id
              Name {
                value
              }
              Key__c {
                value
              }
              Channels__c {
                value
              }
            }
          }
        }
      }
    }
  }
`;
const TOUCHPOINTS_OPPORTUNITY = gql`
  query captureTouchpointsOpportunity {
    uiapi {
      query {
        CX_Touchpoint__c(
          where: { Applies_To__c: { includes: ["Opportunity"] } }
          orderBy: { Name: { order: ASC } }
          first: 200
        ) {
          edges {
            node {
              Id
              Name {
                value
              }
              Key__c {
                value
              }
              Channels__c {
                value
              }
            }
          }
        }
      }
    }
  }
`;
const TOUCHPOINTS_ORDER = gql`
  query captureTouchpointsOrder {
    uiapi {
      query {
        CX_Touchpoint__c(
          where: { Applies_To__c: { includes: ["Order"] } }
          orderBy: { Name: { order: ASC } }
          first: 200
        ) {
          edges {
            node {
              Id
              Name {
                value
              }
              Key__c {
                value
              }
              Channels__c {
                value
              }
            }
          }
        }
      }
    }
  }
`;
const TOUCHPOINT_QUERIES = {
  Account: TOUCHPOINTS_ACCOUNT,
  Contact: TOUCHPOINTS_CONTACT,
  Case: TOUCHPOINTS_CASE,
  Opportunity: TOUCHPOINTS_OPPORTUNITY,
  Order: TOUCHPOINTS_ORDER
};

const QUESTIONS_QUERY = gql`
  query captureQuestions($touchpointId: ID) {
    uiapi {
      query {
        CX_Survey_Question__c(
          where: { Survey__r: { Touchpoint__c: { eq: $touchpointId }, Active__c: { eq: true } } }
          orderBy: { Sort_Order__c: { order: ASC } }
          first: 200
        ) {
          edges {
            node {
              Id
              Question_Text__c {
                value
              }
              Item_Key__c {
                value
              }
              Dimension__c {
                value
              }
              Kind__c {
                value
              }
              Scale_Min__c {
                value
              }
              Scale_Max__c {
                value
              }
            }
          }
        }
      }
    }
  }
`;

/** The record fields that lead to the account (and contact) per object. */
const RECORD_FIELDS = {
  Contact: [CONTACT_ACCOUNT],
  Case: [CASE_ACCOUNT, CASE_CONTACT],
  Opportunity: [OPPORTUNITY_ACCOUNT],
  Order: [ORDER_ACCOUNT]
};

/** Where the record's own Id goes on the perception. */
const RECORD_LINK = {
  Account: ACCOUNT_FIELD,
  Contact: CONTACT_FIELD,
  Case: CASE_FIELD,
  Opportunity: OPPORTUNITY_FIELD,
  Order: ORDER_FIELD
};

const NPS_SCALE = { min: 0, max: 10 };
const CSAT_SCALE = { min: 1, max: 5 };
const CES_SCALE = { min: 1, max: 7 };
const SELF_RATING_SCALE = { min: 1, max: 5 };

function round2(x) {
  return Math.round(x * 100) / 100;
}

/**
 * perceptionCapture: a rep records how the customer experienced an
 * interaction. One createRecord of CX_Perception__c with its answers JSON;
 * the scorecard on the page refreshes through the message channel.
 */
export default class PerceptionCapture extends LightningElement {
  @api recordId;
  @api objectApiName;

  labels = {
    title: TITLE,
    touchpoint: TOUCHPOINT,
    chooseTouchpoint: CHOOSE_TOUCHPOINT,
    channel: CHANNEL,
    occurredAt: OCCURRED_AT,
    comment: COMMENT,
    save: SAVE,
    noTouchpoints: NO_TOUCHPOINTS,
    noQuestions: NO_QUESTIONS,
    noAccount: NO_ACCOUNT,
    loading: LOADING,
    loadFailed: LOAD_FAILED
  };

  touchpointId;
  channel;
  occurredAt = new Date().toISOString();
  values = {};
  comment = '';
  formError;
  saving = false;
  saveErrors;

  touchpointNodes;
  touchpointErrors;
  questionNodes;
  questionErrors;
  record;
  recordError;
  channelValues;

  @wire(MessageContext) messageContext;

  @wire(graphql, { query: '$touchpointQuery' })
  wiredTouchpoints({ data, errors }) {
    if (errors) {
      this.touchpointErrors = errors;
      this.touchpointNodes = undefined;
    } else if (data) {
      this.touchpointErrors = undefined;
      this.touchpointNodes = nodesOf(data, 'CX_Touchpoint__c');
    }
  }

  @wire(graphql, { query: '$questionsQuery', variables: '$questionVariables' })
  wiredQuestions({ data, errors }) {
    if (errors) {
      this.questionErrors = errors;
      this.questionNodes = undefined;
    } else if (data) {
      this.questionErrors = undefined;
      this.questionNodes = nodesOf(data, 'CX_Survey_Question__c');
    }
  }

  @wire(getRecord, { recordId: '$lookupRecordId', optionalFields: '$recordFields' })
  wiredRecord({ data, error }) {
    this.record = data;
    this.recordError = error;
  }

  @wire(getObjectInfo, { objectApiName: PERCEPTION_OBJECT })
  objectInfo;

  @wire(getPicklistValues, {
    recordTypeId: '$objectInfo.data.defaultRecordTypeId',
    fieldApiName: CHANNEL_FIELD
  })
  wiredChannels({ data }) {
    if (data) this.channelValues = data.values;
  }

  get touchpointQuery() {
    return TOUCHPOINT_QUERIES[this.objectApiName];
  }

  get questionsQuery() {
    return this.touchpointId ? QUESTIONS_QUERY : undefined;
  }

  get questionVariables() {
    return this.touchpointId ? { touchpointId: this.touchpointId } : undefined;
  }

  get recordFields() {
    return RECORD_FIELDS[this.objectApiName];
  }

  /** Only records other than accounts are read: they lead to the account. */
  get lookupRecordId() {
    return RECORD_FIELDS[this.objectApiName] ? this.recordId : undefined;
  }

  // ------------------------------------------------------------ state for the template

  get loading() {
    return !this.touchpointErrors && this.touchpointNodes === undefined;
  }

  get loadErrors() {
    return this.touchpointErrors || this.questionErrors || this.recordError;
  }

  get hasTouchpoints() {
    return Array.isArray(this.touchpointNodes) && this.touchpointNodes.length > 0;
  }

  get noTouchpoints() {
    return Array.isArray(this.touchpointNodes) && this.touchpointNodes.length === 0;
  }

  get touchpointOptions() {
    return (this.touchpointNodes || []).map((n) => ({
      label: fieldValue(n, 'Name') || fieldValue(n, 'Key__c'),
      value: n.Id
    }));
  }

  get selectedTouchpoint() {
    return (this.touchpointNodes || []).find((n) => n.Id === this.touchpointId);
  }

  get channelOptions() {
    const offered = (fieldValue(this.selectedTouchpoint, 'Channels__c') || '')
      .split(';')
      .map((c) => c.trim())
      .filter(Boolean);
    const known = this.channelValues || [];
    const labelOf = (value) => (known.find((v) => v.value === value) || {}).label || value;
    const values = offered.length > 0 ? offered : known.map((v) => v.value);
    return values.map((value) => ({ label: labelOf(value), value }));
  }

  /** The account the perception belongs to (master-detail parent). */
  get accountId() {
    if (this.objectApiName === 'Account') return this.recordId;
    if (!this.record) return undefined;
    return getFieldValue(this.record, `${this.objectApiName}.AccountId`) || null;
  }

  get missingAccount() {
    return this.objectApiName !== 'Account' && this.record !== undefined && !this.accountId;
  }

  get showForm() {
    return this.hasTouchpoints && !this.missingAccount;
  }

  /** Questions grouped into SERVQUAL items (expectation and perception paired by Item_Key__c). */
  get questionModel() {
    const items = new Map();
    const single = {};
    for (const q of this.questionNodes || []) {
      const kind = fieldValue(q, 'Kind__c');
      const key = fieldValue(q, 'Item_Key__c');
      const min = fieldValue(q, 'Scale_Min__c');
      const max = fieldValue(q, 'Scale_Max__c');
      if (kind === 'Expectation' || kind === 'Perception') {
        if (!key || typeof min !== 'number' || typeof max !== 'number' || !(max > min)) continue;
        let item = items.get(key);
        if (!item) {
          item = { key, dimension: fieldValue(q, 'Dimension__c'), min, max, text: '' };
          items.set(key, item);
        }
        if (kind === 'Expectation') item.expectation = true;
        else {
          item.perception = true;
          item.text = fieldValue(q, 'Question_Text__c') || item.text;
        }
        if (!item.text) item.text = fieldValue(q, 'Question_Text__c') || key;
        if (!item.dimension) item.dimension = fieldValue(q, 'Dimension__c');
      } else if (kind === 'NPS' || kind === 'CSAT' || kind === 'CES' || kind === 'Self_Rating') {
        if (!single[kind]) {
          single[kind] = {
            text: fieldValue(q, 'Question_Text__c'),
            min: typeof min === 'number' ? min : null,
            max: typeof max === 'number' ? max : null
          };
        }
      }
    }
    return { items: [...items.values()], single };
  }

  get hasQuestions() {
    return Array.isArray(this.questionNodes) && this.questionModel.items.length > 0;
  }

  get noQuestions() {
    return Array.isArray(this.questionNodes) && this.questionModel.items.length === 0;
  }

  get items() {
    return this.questionModel.items.map((item) => {
      const scale = formatLabel(SCALE, item.min, item.max);
      return {
        ...item,
        expectationName: `e:${item.key}`,
        perceptionName: `p:${item.key}`,
        expectationLabel: `${EXPECTED} (${scale})`,
        perceptionLabel: `${EXPERIENCED} (${scale})`,
        expectationValue: this.values[`e:${item.key}`] ?? '',
        perceptionValue: this.values[`p:${item.key}`] ?? ''
      };
    });
  }

  get selfRatingScale() {
    const q = this.questionModel.single.Self_Rating;
    return q && q.min !== null && q.max !== null && q.max > q.min
      ? { min: q.min, max: q.max }
      : SELF_RATING_SCALE;
  }

  get npsLabel() {
    return `${NPS_LABEL} (${formatLabel(SCALE, NPS_SCALE.min, NPS_SCALE.max)})`;
  }

  get showCsat() {
    return Boolean(this.questionModel.single.CSAT);
  }

  get csatLabel() {
    return `${CSAT_LABEL} (${formatLabel(SCALE, CSAT_SCALE.min, CSAT_SCALE.max)})`;
  }

  get showCes() {
    return Boolean(this.questionModel.single.CES);
  }

  get cesLabel() {
    return `${CES_LABEL} (${formatLabel(SCALE, CES_SCALE.min, CES_SCALE.max)})`;
  }

  get selfRatingLabel() {
    const s = this.selfRatingScale;
    return `${SELF_RATING} (${formatLabel(SCALE, s.min, s.max)})`;
  }

  get selfRatingMin() {
    return this.selfRatingScale.min;
  }

  get selfRatingMax() {
    return this.selfRatingScale.max;
  }

  get npsValue() {
    return this.values.nps ?? '';
  }

  get csatValue() {
    return this.values.csat ?? '';
  }

  get cesValue() {
    return this.values.ces ?? '';
  }

  get selfValue() {
    return this.values.self ?? '';
  }

  get saveDisabled() {
    return this.saving || !this.touchpointId || !this.hasQuestions;
  }

  // ------------------------------------------------------------ handlers

  handleTouchpoint(event) {
    this.touchpointId = event.detail.value;
    this.channel = undefined;
    this.values = {};
    this.questionNodes = undefined;
    this.formError = undefined;
  }

  handleChannel(event) {
    this.channel = event.detail.value;
  }

  handleOccurredAt(event) {
    this.occurredAt = event.detail.value;
  }

  handleValue(event) {
    const name = event.target.dataset.name;
    this.values = { ...this.values, [name]: event.detail.value };
  }

  handleComment(event) {
    this.comment = event.detail.value;
  }

  /**
   * Reads every value against its scale; returns the response for the
   * scoring module, or null after showing what is wrong.
   */
  readForm() {
    let valid = true;
    for (const input of this.template.querySelectorAll(
      'lightning-input, lightning-combobox, lightning-textarea'
    )) {
      if (typeof input.reportValidity === 'function' && input.reportValidity() === false) {
        valid = false;
      }
    }
    /** @type {string[]} */
    const problems = [];
    const read = (name, min, max, label) => {
      const v = readScaleValue(this.values[name] ?? null, min, max);
      if (v === undefined) {
        problems.push(`${label}: ${formatLabel(SCALE, min, max)}`);
        return null;
      }
      return v;
    };
    const answers = [];
    for (const item of this.questionModel.items) {
      const e = item.expectation
        ? read(`e:${item.key}`, item.min, item.max, `${item.text} (${EXPECTED})`)
        : null;
      const p = item.perception
        ? read(`p:${item.key}`, item.min, item.max, `${item.text} (${EXPERIENCED})`)
        : null;
      if (e !== null || p !== null) {
        answers.push({
          k: item.key,
          d: item.dimension || null,
          e,
          p,
          min: item.min,
          max: item.max
        });
      }
    }
    const nps = read('nps', NPS_SCALE.min, NPS_SCALE.max, NPS_LABEL);
    const csat = this.showCsat ? read('csat', CSAT_SCALE.min, CSAT_SCALE.max, CSAT_LABEL) : null;
    const ces = this.showCes ? read('ces', CES_SCALE.min, CES_SCALE.max, CES_LABEL) : null;
    const s = this.selfRatingScale;
    const selfRating = read('self', s.min, s.max, SELF_RATING);
    if (!this.touchpointId || !this.channel || !this.occurredAt) valid = false;
    if (!answers.some((a) => a.p !== null)) problems.push(NEED_PERCEPTION);
    if (!valid || problems.length > 0) {
      this.formError = [FIX_ERRORS, ...problems].join(' ');
      return null;
    }
    this.formError = undefined;
    return {
      touchpointKey: fieldValue(this.selectedTouchpoint, 'Key__c'),
      channel: this.channel,
      occurredAt: this.occurredAt,
      answers,
      nps,
      csat,
      ces,
      selfRating,
      selfRatingMin: s.min,
      selfRatingMax: s.max
    };
  }

  /** The CX_Perception__c fields of one capture; headlines from the scoring module. */
  buildFields(response) {
    const overall = statisticsOf('org', [response]).overall;
    const fields = {
      [ACCOUNT_FIELD.fieldApiName]: this.accountId,
      [TOUCHPOINT_FIELD.fieldApiName]: this.touchpointId,
      [CHANNEL_FIELD.fieldApiName]: response.channel,
      [OCCURRED_FIELD.fieldApiName]: new Date(response.occurredAt).toISOString(),
      [SOURCE_FIELD.fieldApiName]: 'Rep_Capture',
      [RESPONSE_ID_FIELD.fieldApiName]: `rep-${randomId()}`,
      [ANSWERS_FIELD.fieldApiName]: serializeAnswers(response.answers)
    };
    const link = RECORD_LINK[this.objectApiName];
    if (link && link !== ACCOUNT_FIELD) fields[link.fieldApiName] = this.recordId;
    if (this.objectApiName === 'Case' && this.record) {
      const contactId = getFieldValue(this.record, CASE_CONTACT);
      if (contactId) fields[CONTACT_FIELD.fieldApiName] = contactId;
    }
    if (overall.e.n > 0) fields[EXPECTATION_FIELD.fieldApiName] = round2(overall.e.mean);
    if (overall.p.n > 0) fields[PERCEPTION_FIELD.fieldApiName] = round2(overall.p.mean);
    if (response.selfRating !== null) {
      fields[SELF_RATING_FIELD.fieldApiName] = round2(
        normaliseScore(response.selfRating, response.selfRatingMin, response.selfRatingMax)
      );
    }
    if (response.nps !== null) fields[NPS_FIELD.fieldApiName] = response.nps;
    if (response.csat !== null) fields[CSAT_FIELD.fieldApiName] = response.csat;
    if (response.ces !== null) fields[CES_FIELD.fieldApiName] = response.ces;
    if (this.comment && this.comment.trim() !== '') {
      fields[COMMENT_FIELD.fieldApiName] = this.comment.trim();
    }
    return fields;
  }

  async handleSave() {
    this.saveErrors = undefined;
    const response = this.readForm();
    if (!response) return;
    this.saving = true;
    try {
      const fields = this.buildFields(response);
      const record = await createRecord({ apiName: PERCEPTION_OBJECT.objectApiName, fields });
      this.dispatchEvent(new ShowToastEvent({ title: SAVED, variant: 'success' }));
      publish(this.messageContext, PERCEPTION_CAPTURED, {
        recordId: this.recordId,
        accountId: this.accountId,
        perceptionId: record && record.id
      });
      this.values = {};
      this.comment = '';
      this.dispatchEvent(new CloseActionScreenEvent());
    } catch (error) {
      this.saveErrors = error;
      this.dispatchEvent(new ShowToastEvent({ title: SAVE_FAILED, variant: 'error' }));
    } finally {
      this.saving = false;
    }
  }
}
