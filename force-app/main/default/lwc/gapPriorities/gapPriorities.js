import { LightningElement, api, wire } from 'lwc';
import { graphql } from 'lightning/graphql';
import { NavigationMixin } from 'lightning/navigation';
import TIME_ZONE from '@salesforce/i18n/timeZone';
import {
  DEFAULT_SETTINGS,
  createStatistics,
  importancePerformance,
  parseSettings,
  previousPeriod,
  priorityEntries,
  rankGaps
} from 'c/experienceScoring';
import {
  PERIOD_MONTHS,
  dimensionLabel,
  fieldValue,
  formatDate,
  formatLabel,
  formatNumber,
  gapText,
  gapTone,
  hasMore,
  lowSampleText,
  nodesOf,
  periodWindow,
  sampleText,
  touchpointStatistics
} from 'c/cxView';
import { ORG_QUERY, TOUCHPOINT_QUERY } from './queries';

import TITLE from '@salesforce/label/c.CX_Priorities_Title';
import QUADRANTS from '@salesforce/label/c.CX_Priorities_Quadrants';
import CHART from '@salesforce/label/c.CX_Priorities_Chart';
import RANKED from '@salesforce/label/c.CX_Priorities_Ranked';
import IMPORTANCE from '@salesforce/label/c.CX_Priorities_Importance';
import PERFORMANCE from '@salesforce/label/c.CX_Priorities_Performance';
import QUADRANT from '@salesforce/label/c.CX_Priorities_Quadrant';
import OPEN_TASKS from '@salesforce/label/c.CX_Priorities_Open_Tasks';
import NO_TASKS from '@salesforce/label/c.CX_Priorities_No_Tasks';
import DUE from '@salesforce/label/c.CX_Priorities_Due';
import EMPTY from '@salesforce/label/c.CX_Priorities_Empty';
import NO_GAPS from '@salesforce/label/c.CX_Priorities_No_Gaps';
import ITEM from '@salesforce/label/c.CX_Priorities_Item';
import TOUCHPOINT from '@salesforce/label/c.CX_Capture_Touchpoint';
import GAP from '@salesforce/label/c.CX_Measure_Gap';
import OWNER from '@salesforce/label/c.CX_Owner';
import NO_OWNER from '@salesforce/label/c.CX_No_Owner';
import LOADING from '@salesforce/label/c.CX_Loading';
import LOAD_FAILED from '@salesforce/label/c.CX_Load_Failed';
import TRUNCATED from '@salesforce/label/c.CX_Gap_Map_Truncated';
import CONCENTRATE from '@salesforce/label/c.CX_Quadrant_Concentrate_Here';
import KEEP_UP from '@salesforce/label/c.CX_Quadrant_Keep_Up';
import LOW_PRIORITY from '@salesforce/label/c.CX_Quadrant_Low_Priority';
import OVERKILL from '@salesforce/label/c.CX_Quadrant_Possible_Overkill';

const QUADRANT_LABELS = {
  concentrate_here: CONCENTRATE,
  keep_up_the_good_work: KEEP_UP,
  low_priority: LOW_PRIORITY,
  possible_overkill: OVERKILL
};

// Chart geometry (SVG user units): plot area inside a 240 x 200 view box.
const LEFT = 36;
const RIGHT = 232;
const TOP = 8;
const BOTTOM = 168;

function userTimeZone() {
  try {
    Intl.DateTimeFormat('en-US', { timeZone: TIME_ZONE }).format(0);
    return TIME_ZONE;
  } catch {
    return DEFAULT_SETTINGS.timeZone;
  }
}

/**
 * gapPriorities: importance-performance quadrants and the biggest negative
 * gaps ranked, with owners and open follow-up Tasks. On the app page per
 * touchpoint; on a touchpoint's page per survey item.
 */
export default class GapPriorities extends NavigationMixin(LightningElement) {
  @api recordId;
  @api objectApiName;
  /** month | quarter | year */
  @api period = 'quarter';
  /** How many gaps the ranking lists. */
  @api maxGaps = 10;

  labels = {
    title: TITLE,
    quadrants: QUADRANTS,
    chart: CHART,
    ranked: RANKED,
    importance: IMPORTANCE,
    performance: PERFORMANCE,
    quadrant: QUADRANT,
    gap: GAP,
    empty: EMPTY,
    noGaps: NO_GAPS,
    noTasks: NO_TASKS,
    loading: LOADING,
    loadFailed: LOAD_FAILED,
    truncated: TRUNCATED,
    concentrate: CONCENTRATE,
    keepUp: KEEP_UP,
    lowPriority: LOW_PRIORITY,
    overkill: OVERKILL
  };

  data;
  loadErrors;

  get isTouchpointPage() {
    return Boolean(this.recordId) && this.objectApiName === 'CX_Touchpoint__c';
  }

  get months() {
    return PERIOD_MONTHS[this.period] || PERIOD_MONTHS.quarter;
  }

  get query() {
    return this.isTouchpointPage ? TOUCHPOINT_QUERY : ORG_QUERY;
  }

  /** A month early, so the org's time zone cannot cut a month off. */
  get variables() {
    const window = periodWindow(Date.now(), this.months, userTimeZone());
    const fromPeriod = previousPeriod(window.current[window.current.length - 1]);
    return this.isTouchpointPage ? { recordId: this.recordId, fromPeriod } : { fromPeriod };
  }

  @wire(graphql, { query: '$query', variables: '$variables' })
  wired({ data, errors }) {
    if (errors) {
      this.loadErrors = errors;
      this.data = undefined;
    } else if (data) {
      this.loadErrors = undefined;
      this.data = data;
    }
  }

  get loading() {
    return !this.data && !this.loadErrors;
  }

  get computed() {
    if (!this.data) return { model: null, error: undefined };
    try {
      return { model: this.buildModel(), error: undefined };
    } catch (error) {
      return { model: null, error };
    }
  }

  get errors() {
    return this.loadErrors || this.computed.error;
  }

  get model() {
    return this.computed.model;
  }

  get ready() {
    return !this.loading && !this.errors && this.model !== null;
  }

  buildModel() {
    const scores = nodesOf(this.data, 'CX_Score__c');
    const settings = parseSettings(scores[0] ? fieldValue(scores[0], 'Settings__c') : null);
    const periods = periodWindow(Date.now(), this.months, settings.timeZone).current;
    const touchpoints = nodesOf(this.data, 'CX_Touchpoint__c');
    const byId = new Map(touchpoints.map((t) => [t.Id, t]));
    const merged = touchpointStatistics(scores, periods);
    const tasksByTouchpoint = new Map();
    for (const task of nodesOf(this.data, 'Task')) {
      const id = fieldValue(task, 'CX_Touchpoint__c');
      if (!tasksByTouchpoint.has(id)) tasksByTouchpoint.set(id, []);
      tasksByTouchpoint.get(id).push(task);
    }

    let entries;
    let describe;
    if (this.isTouchpointPage) {
      const own = merged.get(this.recordId);
      const stats = own ? own.statistics : createStatistics('touchpoint');
      entries = priorityEntries(stats, settings, { by: 'item' });
      const touchpoint = byId.get(this.recordId);
      describe = (key) => {
        const item = stats.items.get(key);
        const dimension = item && item.d ? dimensionLabel(item.d) : '';
        return {
          name: dimension ? `${key} · ${dimension}` : key,
          // Already on the touchpoint's page: nothing to open.
          touchpointId: null,
          owner: fieldValue(touchpoint, 'Process_Owner__r.Name')
        };
      };
    } else {
      const stats = createStatistics('org');
      const directory = new Map();
      const idByKey = new Map();
      for (const t of touchpoints) {
        const key = fieldValue(t, 'Key__c');
        if (!key) continue;
        idByKey.set(key, t.Id);
        directory.set(key, { importance: fieldValue(t, 'Importance_Weight__c') });
        const m = merged.get(t.Id);
        if (m) stats.touchpoints.set(key, m.group);
      }
      entries = priorityEntries(stats, settings, {
        by: 'touchpoint',
        importance: 'stated',
        touchpoints: directory
      });
      describe = (key) => {
        const t = byId.get(idByKey.get(key));
        return {
          name: fieldValue(t, 'Name') || key,
          touchpointId: t ? t.Id : null,
          owner: fieldValue(t, 'Process_Owner__r.Name')
        };
      };
    }

    const ipa = importancePerformance(entries);
    const ranked = rankGaps(entries).slice(0, Math.max(1, Number(this.maxGaps) || 10));
    const numbers = new Map(ranked.map((r) => [r.key, r.rank]));
    const rows = ipa.entries.map((e, i) => {
      const d = describe(e.key);
      return {
        key: e.key,
        name: d.name,
        marker: numbers.has(e.key) ? String(numbers.get(e.key)) : '',
        importance: e.importance === null ? '' : formatNumber(e.importance, { digits: 2 }),
        performance: e.performance === null ? lowSampleText(e.n) : formatNumber(e.performance),
        gap: e.gap === null ? lowSampleText(e.n) : gapText(e.gap),
        gapClass: e.gap === null ? 'cx-tone cx-tone_none' : gapTone(e.gap),
        quadrant: e.quadrant ? QUADRANT_LABELS[e.quadrant] : lowSampleText(e.n),
        order: i
      };
    });
    const plotted = ipa.entries.filter((e) => e.importance !== null && e.performance !== null);
    const chart = plotted.length > 0 ? this.chart(plotted, ipa, numbers) : null;
    const tasksOf = (touchpointId) =>
      (tasksByTouchpoint.get(touchpointId) || []).map((task) => ({
        key: task.Id,
        text: [
          fieldValue(task, 'Subject'),
          fieldValue(task, 'ActivityDate')
            ? formatLabel(DUE, formatDate(fieldValue(task, 'ActivityDate')))
            : ''
        ]
          .filter(Boolean)
          .join(' · ')
      }));
    const gaps = ranked.map((r) => {
      const d = describe(r.key);
      const tasks = this.isTouchpointPage ? [] : tasksOf(d.touchpointId);
      return {
        key: r.key,
        rank: r.rank,
        name: d.name,
        touchpointId: d.touchpointId,
        gap: gapText(r.gap),
        gapClass: gapTone(r.gap),
        sample: sampleText(r.n),
        owner: d.owner ? formatLabel(OWNER, d.owner) : NO_OWNER,
        tasks,
        hasTasks: tasks.length > 0,
        tasksText: tasks.length > 0 ? formatLabel(OPEN_TASKS, tasks.length) : NO_TASKS
      };
    });
    const pageTasks = this.isTouchpointPage ? tasksOf(this.recordId) : [];
    return {
      empty: entries.every((e) => e.n === 0),
      chart,
      rows,
      nameHeader: this.isTouchpointPage ? ITEM : TOUCHPOINT,
      gaps,
      hasGaps: gaps.length > 0,
      pageTasks,
      pageTasksText: pageTasks.length > 0 ? formatLabel(OPEN_TASKS, pageTasks.length) : NO_TASKS,
      truncated: hasMore(this.data, 'CX_Score__c')
    };
  }

  /** Positions in the SVG: performance across (0-100), importance up. */
  chart(plotted, ipa, numbers) {
    const importances = plotted.map((e) => e.importance);
    let low = Math.min(...importances);
    let high = Math.max(...importances);
    if (high - low < 1e-9) {
      low -= 0.5;
      high += 0.5;
    }
    const x = (performance) => LEFT + ((RIGHT - LEFT) * performance) / 100;
    const y = (importance) => BOTTOM - ((BOTTOM - TOP) * (importance - low)) / (high - low);
    return {
      points: plotted.map((e) => ({
        key: e.key,
        cx: x(e.performance).toFixed(1),
        cy: y(e.importance).toFixed(1),
        label: numbers.has(e.key) ? String(numbers.get(e.key)) : '',
        className: `cx-point cx-point_${e.quadrant}`
      })),
      cutX: x(ipa.performanceCut).toFixed(1),
      cutY: y(ipa.importanceCut).toFixed(1)
    };
  }

  handleOpen(event) {
    const id = event.currentTarget.dataset.id;
    if (!id) return;
    this[NavigationMixin.Navigate]({
      type: 'standard__recordPage',
      attributes: { recordId: id, objectApiName: 'CX_Touchpoint__c', actionName: 'view' }
    });
  }
}
