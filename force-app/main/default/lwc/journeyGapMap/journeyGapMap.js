import { LightningElement, api, wire } from 'lwc';
import { graphql } from 'lightning/graphql';
import { NavigationMixin } from 'lightning/navigation';
import { subscribe, unsubscribe, MessageContext } from 'lightning/messageService';
import PERCEPTION_CAPTURED from '@salesforce/messageChannel/CX_Perception_Captured__c';
import TIME_ZONE from '@salesforce/i18n/timeZone';
import {
  DEFAULT_SETTINGS,
  createGroup,
  parseSettings,
  periodBounds,
  previousPeriod,
  weightedGap
} from 'c/experienceScoring';
import {
  PERIOD_MONTHS,
  accountStatistics,
  captureCutoff,
  fieldValue,
  formatLabel,
  gapEstimateText,
  gapTone,
  hasMore,
  nodesOf,
  periodWindow,
  sampleText,
  touchpointStatistics
} from 'c/cxView';
import { ACCOUNT_QUERY, CAPTURES_QUERY, ORG_QUERY } from './queries';

import TITLE from '@salesforce/label/c.CX_Gap_Map_Title';
import JOURNEY from '@salesforce/label/c.CX_Gap_Map_Journey';
import START from '@salesforce/label/c.CX_Gap_Map_Start';
import END from '@salesforce/label/c.CX_Gap_Map_End';
import EMPTY from '@salesforce/label/c.CX_Gap_Map_Empty';
import EMPTY_STAGE from '@salesforce/label/c.CX_Gap_Map_Empty_Stage';
import OWNER from '@salesforce/label/c.CX_Owner';
import NO_OWNER from '@salesforce/label/c.CX_No_Owner';
import OPEN from '@salesforce/label/c.CX_Gap_Map_Open';
import LOADING from '@salesforce/label/c.CX_Loading';
import LOAD_FAILED from '@salesforce/label/c.CX_Load_Failed';
import TRUNCATED from '@salesforce/label/c.CX_Gap_Map_Truncated';
import NO_RESPONSES from '@salesforce/label/c.CX_No_Responses';

/** Stage__c values in journey order (the picklist's order). */
const STAGES = [
  'Awareness',
  'Consideration',
  'Purchase',
  'Onboarding',
  'Use',
  'Service',
  'Loyalty'
];
const NO_JOURNEY = '';

function userTimeZone() {
  try {
    Intl.DateTimeFormat('en-US', { timeZone: TIME_ZONE }).format(0);
    return TIME_ZONE;
  } catch {
    return DEFAULT_SETTINGS.timeZone;
  }
}

/**
 * journeyGapMap: a journey's stages left to right, its touchpoints under
 * each, coloured by gap with the number written, owner and n. On an account
 * page the gaps are the account's (exact at every moment); on an app page
 * the touchpoints' own.
 */
export default class JourneyGapMap extends NavigationMixin(LightningElement) {
  @api recordId;
  @api objectApiName;
  /** month | quarter | year */
  @api period = 'quarter';

  labels = {
    title: TITLE,
    journey: JOURNEY,
    empty: EMPTY,
    loading: LOADING,
    loadFailed: LOAD_FAILED,
    truncated: TRUNCATED
  };

  primary;
  primaryErrors;
  primaryResult;
  captures;
  capturesErrors;
  capturesResult;
  selectedJourney;
  subscription;

  @wire(MessageContext) messageContext;

  connectedCallback() {
    this.subscription = subscribe(this.messageContext, PERCEPTION_CAPTURED, () =>
      this.handleCaptured()
    );
  }

  disconnectedCallback() {
    unsubscribe(this.subscription);
    this.subscription = undefined;
  }

  /** A rep capture on an account page changes that account's gaps at once. */
  handleCaptured() {
    if (!this.isAccount) return;
    for (const result of [this.primaryResult, this.capturesResult]) {
      if (result && typeof result.refresh === 'function') result.refresh();
    }
  }

  get isAccount() {
    return Boolean(this.recordId) && this.objectApiName === 'Account';
  }

  get months() {
    return PERIOD_MONTHS[this.period] || PERIOD_MONTHS.quarter;
  }

  get primaryQuery() {
    return this.isAccount ? ACCOUNT_QUERY : ORG_QUERY;
  }

  /** A month early, so the org's time zone cannot cut a month off. */
  get primaryVariables() {
    const window = periodWindow(Date.now(), this.months, userTimeZone());
    const fromPeriod = previousPeriod(window.current[window.current.length - 1]);
    return this.isAccount ? { recordId: this.recordId, fromPeriod } : { fromPeriod };
  }

  @wire(graphql, { query: '$primaryQuery', variables: '$primaryVariables' })
  wiredPrimary(result) {
    this.primaryResult = result;
    const { data, errors } = result;
    if (errors) {
      this.primaryErrors = errors;
      this.primary = undefined;
    } else if (data) {
      this.primaryErrors = undefined;
      this.primary = data;
    }
  }

  get settings() {
    const newest = nodesOf(this.primary, this.isAccount ? 'CX_Account_Score__c' : 'CX_Score__c')[0];
    return parseSettings(newest ? fieldValue(newest, 'Settings__c') : null);
  }

  get periods() {
    return periodWindow(Date.now(), this.months, this.settings.timeZone).current;
  }

  get capturesQuery() {
    return this.isAccount && this.primary ? CAPTURES_QUERY : undefined;
  }

  get capturesVariables() {
    if (!this.isAccount || !this.primary) return undefined;
    const periods = this.periods;
    const first = periods[periods.length - 1];
    return {
      recordId: this.recordId,
      occurredFrom: new Date(periodBounds(first, this.settings.timeZone).start).toISOString(),
      createdAfter: captureCutoff(nodesOf(this.primary, 'CX_Account_Score__c'), periods)
    };
  }

  @wire(graphql, { query: '$capturesQuery', variables: '$capturesVariables' })
  wiredCaptures(result) {
    this.capturesResult = result;
    const { data, errors } = result;
    if (errors) {
      this.capturesErrors = errors;
      this.captures = undefined;
    } else if (data) {
      this.capturesErrors = undefined;
      this.captures = data;
    }
  }

  // ------------------------------------------------------------ state

  get errors() {
    if (this.primaryErrors || this.capturesErrors) return this.primaryErrors || this.capturesErrors;
    return this.computed.error;
  }

  get loading() {
    if (this.primaryErrors || this.capturesErrors) return false;
    return !this.primary || (this.isAccount && !this.captures);
  }

  get journeys() {
    return nodesOf(this.primary, 'CX_Journey__c');
  }

  get journeyOptions() {
    return this.journeys.map((j) => ({ label: fieldValue(j, 'Name'), value: j.Id }));
  }

  get showJourneyPicker() {
    return this.journeys.length > 1;
  }

  get journeyId() {
    if (this.selectedJourney) return this.selectedJourney;
    return this.journeys.length > 0 ? this.journeys[0].Id : NO_JOURNEY;
  }

  get journey() {
    return this.journeys.find((j) => j.Id === this.journeyId);
  }

  get startPoint() {
    const text = fieldValue(this.journey, 'Start_Point__c');
    return text ? formatLabel(START, text) : '';
  }

  get endPoint() {
    const text = fieldValue(this.journey, 'End_Point__c');
    return text ? formatLabel(END, text) : '';
  }

  /** Statistics per touchpoint: GroupStats by touchpoint Id. */
  groupsByTouchpoint(touchpoints) {
    const out = new Map();
    if (this.isAccount) {
      const { current } = accountStatistics(
        nodesOf(this.primary, 'CX_Account_Score__c'),
        nodesOf(this.captures, 'CX_Perception__c'),
        { current: this.periods, previous: [] },
        this.settings.timeZone
      );
      for (const t of touchpoints) {
        const group = current.touchpoints.get(fieldValue(t, 'Key__c'));
        if (group) out.set(t.Id, group);
      }
    } else {
      for (const [id, entry] of touchpointStatistics(
        nodesOf(this.primary, 'CX_Score__c'),
        this.periods
      )) {
        out.set(id, entry.group);
      }
    }
    return out;
  }

  get computed() {
    if (this.loading || this.primaryErrors || this.capturesErrors) {
      return { stages: [], error: undefined };
    }
    try {
      return { stages: this.buildStages(), error: undefined };
    } catch (error) {
      return { stages: [], error };
    }
  }

  buildStages() {
    const settings = this.settings;
    const journeyId = this.journeyId;
    const touchpoints = nodesOf(this.primary, 'CX_Touchpoint__c').filter(
      (t) => (fieldValue(t, 'Journey__c') || NO_JOURNEY) === journeyId
    );
    if (touchpoints.length === 0) return [];
    const groups = this.groupsByTouchpoint(touchpoints);
    return STAGES.map((stage) => {
      const members = touchpoints
        .filter((t) => fieldValue(t, 'Stage__c') === stage)
        .sort(
          (a, b) => (fieldValue(a, 'Stage_Order__c') ?? 0) - (fieldValue(b, 'Stage_Order__c') ?? 0)
        );
      const label = members.length > 0 ? members[0].Stage__c?.displayValue || stage : stage;
      return {
        key: stage,
        label,
        headingId: `stage-${stage}`,
        empty: members.length === 0,
        className: members.length === 0 ? 'cx-stage cx-stage_empty' : 'cx-stage',
        emptyText: EMPTY_STAGE,
        tiles: members.map((t) => {
          const group = groups.get(t.Id) || createGroup();
          const gap = weightedGap(group, settings);
          const name = fieldValue(t, 'Name');
          const owner = fieldValue(t, 'Process_Owner__r.Name');
          const gapText = group.n === 0 ? NO_RESPONSES : gapEstimateText(gap);
          const ownerText = owner ? formatLabel(OWNER, owner) : NO_OWNER;
          // A low-sample gap already says its n.
          const n = gap.lowSample ? '' : sampleText(group.n);
          return {
            id: t.Id,
            name,
            gapText,
            ownerText,
            sampleText: n,
            className: `slds-button cx-tile ${gap.lowSample ? 'cx-tone cx-tone_none' : gapTone(gap.value)}`,
            ariaLabel: [formatLabel(OPEN, name), gapText, n, ownerText].filter(Boolean).join(', ')
          };
        })
      };
    });
  }

  get stages() {
    return this.computed.stages;
  }

  get ready() {
    return !this.loading && !this.errors;
  }

  get isEmpty() {
    return this.ready && this.stages.length === 0;
  }

  get hasStages() {
    return this.ready && this.stages.length > 0;
  }

  get truncated() {
    return hasMore(this.primary, 'CX_Score__c') || hasMore(this.captures, 'CX_Perception__c');
  }

  handleJourney(event) {
    this.selectedJourney = event.detail.value;
  }

  /** Opens the touchpoint; a button, so Enter and Space work as well as a click. */
  handleOpen(event) {
    const id = event.currentTarget.dataset.id;
    this[NavigationMixin.Navigate]({
      type: 'standard__recordPage',
      attributes: { recordId: id, objectApiName: 'CX_Touchpoint__c', actionName: 'view' }
    });
  }
}
