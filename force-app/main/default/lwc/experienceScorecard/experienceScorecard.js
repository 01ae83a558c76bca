import { LightningElement, api, wire } from 'lwc';
import { graphql } from 'lightning/graphql';
import { subscribe, unsubscribe, MessageContext } from 'lightning/messageService';
import PERCEPTION_CAPTURED from '@salesforce/messageChannel/CX_Perception_Captured__c';
import TIME_ZONE from '@salesforce/i18n/timeZone';
import {
  DEFAULT_SETTINGS,
  cesEstimate,
  csatEstimate,
  deliveryGap,
  dimensionScores,
  experienceIndex,
  meanTrend,
  npsEstimate,
  npsTrend,
  parseSettings,
  periodBounds,
  previousPeriod,
  weightedGap
} from 'c/experienceScoring';
import {
  PERIOD_MONTHS,
  accountStatistics,
  captureCutoff,
  childNodes,
  estimateText,
  fieldValue,
  formatDate,
  formatLabel,
  formatNumber,
  gapEstimateText,
  gapText,
  gapTone,
  hasMore,
  intervalText,
  lowSampleText,
  mergePeriods,
  nodesOf,
  perceptionResponse,
  periodWindow,
  sampleText,
  statisticsByPeriod,
  dimensionLabel
} from 'c/cxView';
import { ACCOUNT_QUERY, CAPTURES_QUERY, RECORD_QUERY } from './queries';

import TITLE from '@salesforce/label/c.CX_Scorecard_Title';
import LOADING from '@salesforce/label/c.CX_Loading';
import LOAD_FAILED from '@salesforce/label/c.CX_Load_Failed';
import EMPTY from '@salesforce/label/c.CX_Scorecard_Empty';
import LOW_SAMPLE_NOTE from '@salesforce/label/c.CX_Low_Sample';
import EXPERIENCE_INDEX from '@salesforce/label/c.CX_Measure_Experience_Index';
import GAP from '@salesforce/label/c.CX_Measure_Gap';
import NPS from '@salesforce/label/c.CX_Measure_NPS';
import CSAT from '@salesforce/label/c.CX_Measure_CSAT';
import CES from '@salesforce/label/c.CX_Measure_CES';
import DELIVERY_GAP from '@salesforce/label/c.CX_Measure_Delivery_Gap';
import TREND_UP from '@salesforce/label/c.CX_Trend_Up';
import TREND_DOWN from '@salesforce/label/c.CX_Trend_Down';
import DIMENSIONS from '@salesforce/label/c.CX_Scorecard_Dimensions';
import EXPECTED from '@salesforce/label/c.CX_Capture_Expected';
import EXPERIENCED from '@salesforce/label/c.CX_Capture_Experienced';
import HEAT_MAP from '@salesforce/label/c.CX_Scorecard_Heat_Map';
import TOUCHPOINT from '@salesforce/label/c.CX_Capture_Touchpoint';
import TRANSACTIONS from '@salesforce/label/c.CX_Scorecard_Transactions';
import CASE_TITLE from '@salesforce/label/c.CX_Scorecard_Case';
import ORDER_TITLE from '@salesforce/label/c.CX_Scorecard_Order';
import THIS_RECORD from '@salesforce/label/c.CX_Scorecard_This_Record';
import NO_PERCEPTIONS from '@salesforce/label/c.CX_Scorecard_No_Perceptions';
import RECENT_CASES from '@salesforce/label/c.CX_Scorecard_Recent_Cases';
import TRUNCATED from '@salesforce/label/c.CX_Scorecard_Truncated';
import PERIOD_MONTH from '@salesforce/label/c.CX_Period_Month';
import PERIOD_QUARTER from '@salesforce/label/c.CX_Period_Quarter';
import PERIOD_YEAR from '@salesforce/label/c.CX_Period_Year';
import NPS_VALUE from '@salesforce/label/c.CX_Scorecard_NPS_Value';
import PERCENT from '@salesforce/label/c.CX_Percent';

// The model is derived data; kept outside the component's reactive fields.
const models = new WeakMap();

const PERIOD_LABELS = { month: PERIOD_MONTH, quarter: PERIOD_QUARTER, year: PERIOD_YEAR };

function months(period) {
  return PERIOD_MONTHS[period] || PERIOD_MONTHS.quarter;
}

/** The user's time zone, for the first request (the org's comes with the snapshot settings). */
function userTimeZone() {
  try {
    Intl.DateTimeFormat('en-US', { timeZone: TIME_ZONE }).format(0);
    return TIME_ZONE;
  } catch {
    return DEFAULT_SETTINGS.timeZone;
  }
}

/**
 * experienceScorecard: the record page's experience numbers. On an account:
 * stored monthly snapshots merged with the rep captures no snapshot includes
 * yet (exact at every moment). On a contact, case, opportunity or order:
 * computed from that record's own perceptions with the org's settings.
 */
export default class ExperienceScorecard extends LightningElement {
  @api recordId;
  @api objectApiName;
  /** month | quarter | year: how many months the scorecard covers, ending this month. */
  @api period = 'quarter';
  @api hideNps = false;
  @api hideCsatCes = false;
  @api hideDimensions = false;
  @api hideTouchpoints = false;
  @api hideTrend = false;
  @api hideTransactions = false;

  labels = {
    title: TITLE,
    loading: LOADING,
    loadFailed: LOAD_FAILED,
    empty: EMPTY,
    dimensions: DIMENSIONS,
    heatMap: HEAT_MAP,
    touchpoint: TOUCHPOINT,
    transactions: TRANSACTIONS,
    truncated: TRUNCATED,
    expected: EXPECTED,
    experienced: EXPERIENCED
  };

  primary;
  primaryErrors;
  primaryResult;
  captures;
  capturesErrors;
  capturesResult;
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

  get isAccount() {
    return this.objectApiName === 'Account';
  }

  // ------------------------------------------------------------ requests

  /** Request 1 starts a month early so the org's time zone cannot cut a month off. */
  get primaryQuery() {
    return this.recordId ? (this.isAccount ? ACCOUNT_QUERY : RECORD_QUERY) : undefined;
  }

  get primaryVariables() {
    const zone = userTimeZone();
    const window = periodWindow(Date.now(), months(this.period), zone);
    if (this.isAccount) {
      return { recordId: this.recordId, fromPeriod: previousPeriod(window.from) };
    }
    const earlier = previousPeriod(window.from);
    return {
      recordId: this.recordId,
      occurredFrom: new Date(periodBounds(earlier, zone).start).toISOString()
    };
  }

  @wire(graphql, { query: '$primaryQuery', variables: '$primaryVariables' })
  wiredPrimary(result) {
    this.primaryResult = result;
    if (result.errors) {
      this.primaryErrors = result.errors;
      this.primary = undefined;
    } else if (result.data) {
      this.primaryErrors = undefined;
      this.primary = result.data;
    }
  }

  /** Settings in effect: from the newest snapshot, else the defaults. */
  get settings() {
    const objectName = this.isAccount ? 'CX_Account_Score__c' : 'CX_Score__c';
    const newest = nodesOf(this.primary, objectName)[0];
    return parseSettings(newest ? fieldValue(newest, 'Settings__c') : null);
  }

  get window() {
    return periodWindow(Date.now(), months(this.period), this.settings.timeZone);
  }

  /** Request 2 (account): captures after the earliest cut-off of the months shown. */
  get capturesQuery() {
    return this.isAccount && this.primary ? CAPTURES_QUERY : undefined;
  }

  get capturesVariables() {
    if (!this.isAccount || !this.primary) return undefined;
    const window = this.window;
    return {
      recordId: this.recordId,
      occurredFrom: window.fromInstant,
      createdAfter: captureCutoff(nodesOf(this.primary, 'CX_Account_Score__c'), [
        ...window.current,
        ...window.previous
      ])
    };
  }

  @wire(graphql, { query: '$capturesQuery', variables: '$capturesVariables' })
  wiredCaptures(result) {
    this.capturesResult = result;
    if (result.errors) {
      this.capturesErrors = result.errors;
      this.captures = undefined;
    } else if (result.data) {
      this.capturesErrors = undefined;
      this.captures = result.data;
    }
  }

  handleCaptured() {
    // A new capture changes the record's perceptions; read them again.
    for (const result of [this.primaryResult, this.capturesResult]) {
      if (result && typeof result.refresh === 'function') result.refresh();
    }
  }

  // ------------------------------------------------------------ state

  get errors() {
    return this.primaryErrors || this.capturesErrors || this.computed.error;
  }

  get loading() {
    if (this.primaryErrors || this.capturesErrors) return false;
    if (!this.primary) return true;
    return this.isAccount && !this.captures;
  }

  get ready() {
    return !this.loading && !this.errors && this.model !== null;
  }

  /** CRM records beside their perceptions: the account's or contact's, or this record's own. */
  get transactionsHeading() {
    if (this.isAccount) return TRANSACTIONS;
    return this.objectApiName === 'Contact' ? RECENT_CASES : THIS_RECORD;
  }

  get cardTitle() {
    return `${TITLE} · ${PERIOD_LABELS[this.period] || PERIOD_QUARTER}`;
  }

  /** Statistics of the period shown and of the period before. */
  get statistics() {
    const settings = this.settings;
    const window = this.window;
    if (this.isAccount) {
      return {
        ...accountStatistics(
          nodesOf(this.primary, 'CX_Account_Score__c'),
          nodesOf(this.captures, 'CX_Perception__c'),
          window,
          settings.timeZone
        ),
        truncated: hasMore(this.captures, 'CX_Perception__c')
      };
    }
    const { byPeriod } = statisticsByPeriod(
      [],
      nodesOf(this.primary, 'CX_Perception__c').map((n) => ({
        createdDate: fieldValue(n, 'CreatedDate'),
        response: perceptionResponse(n)
      })),
      settings.timeZone
    );
    return {
      current: mergePeriods(byPeriod, window.current, 'account'),
      previous: mergePeriods(byPeriod, window.previous, 'account'),
      truncated: hasMore(this.primary, 'CX_Perception__c')
    };
  }

  /** Everything the template shows, built once per data change from the scoring module's results. */
  get computed() {
    if (!this.primary || (this.isAccount && !this.captures))
      return { model: null, error: undefined };
    const inputs = [
      this.primary,
      this.captures,
      this.period,
      this.hideNps,
      this.hideCsatCes,
      this.hideDimensions,
      this.hideTouchpoints,
      this.hideTrend,
      this.hideTransactions
    ];
    const cached = models.get(this);
    if (cached && cached.inputs.every((v, i) => v === inputs[i])) return cached.result;
    let result;
    try {
      result = { model: this.buildModel(), error: undefined };
    } catch (error) {
      // A snapshot the module cannot read is reported, not hidden.
      result = { model: null, error };
    }
    models.set(this, { inputs, result });
    return result;
  }

  get model() {
    return this.computed.model;
  }

  buildModel() {
    const settings = this.settings;
    const { current, previous, truncated } = this.statistics;
    const g = current.overall;
    const showTrend = !this.hideTrend;
    const measures = [];
    const index = experienceIndex(g, settings);
    measures.push(
      this.measure('index', EXPERIENCE_INDEX, estimateText(index), index, settings, {
        trend: showTrend ? meanTrend(g.p, previous.overall.p, settings) : null
      })
    );
    const gap = weightedGap(g, settings);
    measures.push(this.measure('gap', GAP, gapEstimateText(gap), gap, settings, {}));
    if (!this.hideNps) {
      const nps = npsEstimate(g, settings);
      const text =
        nps.n === 0 || nps.lowSample || nps.value === null
          ? estimateText(nps)
          : formatLabel(NPS_VALUE, formatNumber(nps.value, { digits: 0, signed: true }));
      measures.push(
        this.measure('nps', NPS, text, nps, settings, {
          digits: 0,
          trend: showTrend ? npsTrend(g, previous.overall, settings) : null
        })
      );
    }
    if (!this.hideCsatCes) {
      const csat = csatEstimate(g, settings);
      if (csat.n > 0) {
        const text =
          csat.lowSample || csat.value === null
            ? estimateText(csat)
            : formatLabel(PERCENT, formatNumber(csat.value));
        measures.push(this.measure('csat', CSAT, text, csat, settings, {}));
      }
      const ces = cesEstimate(g, settings);
      if (ces.n > 0) measures.push(this.measure('ces', CES, estimateText(ces), ces, settings, {}));
    }
    const delivery = deliveryGap(g, settings);
    if (delivery.n > 0) {
      measures.push(
        this.measure(
          'delivery',
          DELIVERY_GAP,
          estimateText(delivery, { signed: true }),
          delivery,
          settings,
          {}
        )
      );
    }
    return {
      n: g.n,
      empty: g.n === 0,
      lowSample: g.n > 0 && g.n < settings.minimumSample,
      lowSampleText: `${formatLabel(LOW_SAMPLE_NOTE, settings.minimumSample)} (${lowSampleText(g.n)})`,
      sampleText: sampleText(g.n),
      truncated,
      measures,
      dimensions: this.hideDimensions ? [] : this.dimensionRows(g, settings),
      heatMap: this.hideTouchpoints ? null : this.heatMap(current, settings),
      transactions: this.hideTransactions ? [] : this.transactionRows()
    };
  }

  measure(key, label, text, est, settings, { trend, digits }) {
    let trendText = '';
    let trendClass = '';
    let trendIcon = '';
    if (trend && trend.significant && trend.change !== null) {
      const amount = formatNumber(Math.abs(trend.change), { digits: digits ?? 1 });
      trendText = formatLabel(trend.direction === 'up' ? TREND_UP : TREND_DOWN, amount);
      trendClass = trend.direction === 'up' ? 'cx-trend cx-trend_up' : 'cx-trend cx-trend_down';
      trendIcon = trend.direction === 'up' ? '\u25B2' : '\u25BC';
    }
    return {
      key,
      label,
      text,
      className: `cx-measure cx-measure_${key}`,
      interval: intervalText(est, settings.confidence, { digits: digits ?? 1 }),
      sample: est.n > 0 && !est.lowSample ? sampleText(est.n) : '',
      trendText,
      trendClass,
      trendIcon
    };
  }

  dimensionRows(g, settings) {
    return dimensionScores(g, settings).map((d) => {
      const low = d.perception.lowSample || d.perception.value === null;
      const width = (est) => (est.value === null ? 0 : Math.max(0, Math.min(100, est.value)));
      return {
        key: d.dimension,
        name: dimensionLabel(d.dimension),
        lowSample: low,
        lowSampleText: lowSampleText(d.perception.n),
        expectationText: `${EXPECTED} ${estimateText(d.expectation)}`,
        perceptionText: `${EXPERIENCED} ${estimateText(d.perception)}`,
        gapText: gapEstimateText(d.gap),
        gapClass: gapTone(d.gap.value),
        expectationWidth: width(d.expectation),
        perceptionWidth: width(d.perception)
      };
    });
  }

  heatMap(stats, settings) {
    const directory = new Map(
      nodesOf(this.primary, 'CX_Touchpoint__c').map((n) => [
        fieldValue(n, 'Key__c'),
        fieldValue(n, 'Name')
      ])
    );
    const dims = new Set();
    const rows = [];
    for (const [key, group] of stats.touchpoints) {
      const scores = new Map(dimensionScores(group, settings).map((d) => [d.dimension, d]));
      for (const d of scores.keys()) dims.add(d);
      rows.push({ key, name: directory.get(key) || key, scores });
    }
    if (rows.length === 0) return null;
    const order = dimensionScores(stats.overall, settings).map((d) => d.dimension);
    const columns = [...dims].sort((a, b) => {
      const ia = order.indexOf(a);
      const ib = order.indexOf(b);
      return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || (a < b ? -1 : 1);
    });
    rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return {
      columns: columns.map((d) => ({ key: d, name: dimensionLabel(d) })),
      rows: rows.map((r) => ({
        key: r.key,
        name: r.name,
        cells: columns.map((d) => {
          const s = r.scores.get(d);
          return {
            key: `${r.key}:${d}`,
            text: s ? gapEstimateText(s.gap) : '',
            className: s && !s.gap.lowSample ? gapTone(s.gap.value) : 'cx-tone cx-tone_none'
          };
        })
      }))
    };
  }

  transactionRows() {
    const rows = [];
    const perceptionsOf = (node) =>
      childNodes(node, 'CX_Perceptions__r').map((p) => this.perceptionLine(p));
    for (const c of nodesOf(this.primary, 'Case')) {
      rows.push({
        key: c.Id,
        title: formatLabel(CASE_TITLE, fieldValue(c, 'CaseNumber')),
        subtitle: [fieldValue(c, 'Subject'), fieldValue(c, 'Status')].filter(Boolean).join(' · '),
        perceptions: perceptionsOf(c)
      });
    }
    if (this.isAccount) {
      for (const o of nodesOf(this.primary, 'Opportunity')) {
        rows.push({
          key: o.Id,
          title: fieldValue(o, 'Name'),
          subtitle: [fieldValue(o, 'StageName'), formatDate(fieldValue(o, 'CloseDate'))]
            .filter(Boolean)
            .join(' · '),
          perceptions: perceptionsOf(o)
        });
      }
      for (const o of nodesOf(this.primary, 'Order')) {
        rows.push({
          key: o.Id,
          title: formatLabel(ORDER_TITLE, fieldValue(o, 'OrderNumber')),
          subtitle: [fieldValue(o, 'Status'), formatDate(fieldValue(o, 'EffectiveDate'))]
            .filter(Boolean)
            .join(' · '),
          perceptions: perceptionsOf(o)
        });
      }
    } else if (this.objectApiName !== 'Contact') {
      rows.push({
        key: this.recordId,
        title: '',
        subtitle: '',
        perceptions: nodesOf(this.primary, 'CX_Perception__c')
          .slice(0, 5)
          .map((p) => this.perceptionLine(p))
      });
    }
    return rows.map((r) => ({
      ...r,
      hasPerceptions: r.perceptions.length > 0,
      noPerceptions: NO_PERCEPTIONS
    }));
  }

  perceptionLine(p) {
    const parts = [formatDate(fieldValue(p, 'Occurred_At__c'))];
    const touchpoint = fieldValue(p, 'Touchpoint__r.Name');
    if (touchpoint) parts.push(touchpoint);
    const perception = fieldValue(p, 'Perception__c');
    if (perception !== null) parts.push(`${EXPERIENCED} ${formatNumber(perception)}`);
    const gap = fieldValue(p, 'Gap__c');
    if (gap !== null) parts.push(gapText(gap));
    const nps = fieldValue(p, 'NPS__c');
    if (nps !== null) parts.push(`${NPS} ${nps}`);
    return { key: p.Id, text: parts.join(' · '), className: gapTone(gap) };
  }
}
