// @ts-check
/**
 * The settings in effect. Defaults match the custom metadata records
 * (CX_Dimension__mdt weights, CX_Setting.Default); the sync reads the org's
 * records and writes the result into every snapshot's Settings__c, because
 * components cannot read custom metadata.
 */

/** @typedef {import('./types').ScoringSettings} ScoringSettings */

export const SETTINGS_VERSION = 1;

/**
 * Parasuraman, Zeithaml & Berry (1988) relative importance of the five
 * SERVQUAL dimensions, as in the CX_Dimension__mdt records.
 * @type {Readonly<Record<string, number>>}
 */
export const DEFAULT_WEIGHTS = Object.freeze({
  Tangibles: 0.11,
  Reliability: 0.32,
  Responsiveness: 0.22,
  Assurance: 0.19,
  Empathy: 0.16
});

/** @type {Readonly<ScoringSettings>} */
export const DEFAULT_SETTINGS = Object.freeze({
  weights: DEFAULT_WEIGHTS,
  minimumSample: 5,
  confidence: 0.95,
  timeZone: 'Europe/Amsterdam',
  alertGapThreshold: -10,
  alertNpsThreshold: 0
});

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
function isRecord(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Settings with every field checked; missing fields take the defaults.
 * Throws a RangeError naming the field that is wrong.
 * @param {Partial<ScoringSettings> | Record<string, unknown>} [input]
 * @returns {ScoringSettings}
 */
export function resolveSettings(input = {}) {
  const s = /** @type {Record<string, unknown>} */ (input);
  /** @type {Record<string, number>} */
  const weights = {};
  const rawWeights = s.weights === undefined ? DEFAULT_WEIGHTS : s.weights;
  if (!isRecord(rawWeights))
    throw new RangeError('settings.weights must be an object {dimension: weight}');
  for (const [name, w] of Object.entries(rawWeights)) {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw new RangeError(`settings.weights.${name} must be a number >= 0`);
    }
    weights[name] = w;
  }
  const minimumSample = s.minimumSample ?? DEFAULT_SETTINGS.minimumSample;
  if (typeof minimumSample !== 'number' || !Number.isInteger(minimumSample) || minimumSample < 1) {
    throw new RangeError('settings.minimumSample must be a whole number >= 1');
  }
  const confidence = s.confidence ?? DEFAULT_SETTINGS.confidence;
  if (typeof confidence !== 'number' || !(confidence > 0 && confidence < 1)) {
    throw new RangeError('settings.confidence must be a fraction between 0 and 1 (0.95 for 95%)');
  }
  const timeZone = s.timeZone ?? DEFAULT_SETTINGS.timeZone;
  if (typeof timeZone !== 'string' || timeZone === '')
    throw new RangeError('settings.timeZone must be an IANA time zone');
  try {
    Intl.DateTimeFormat('en-US', { timeZone }).format(0);
  } catch {
    throw new RangeError(`settings.timeZone ${JSON.stringify(timeZone)} is not a known time zone`);
  }
  const alertGapThreshold = s.alertGapThreshold ?? DEFAULT_SETTINGS.alertGapThreshold;
  if (typeof alertGapThreshold !== 'number' || !Number.isFinite(alertGapThreshold)) {
    throw new RangeError('settings.alertGapThreshold must be a number (gap on the 0-100 scale)');
  }
  const alertNpsThreshold = s.alertNpsThreshold ?? DEFAULT_SETTINGS.alertNpsThreshold;
  if (typeof alertNpsThreshold !== 'number' || !Number.isFinite(alertNpsThreshold)) {
    throw new RangeError('settings.alertNpsThreshold must be a number (-100..100)');
  }
  return { weights, minimumSample, confidence, timeZone, alertGapThreshold, alertNpsThreshold };
}

/**
 * Settings__c text.
 * @param {ScoringSettings} settings
 * @returns {string}
 */
export function serializeSettings(settings) {
  const s = resolveSettings(settings);
  return JSON.stringify({
    v: SETTINGS_VERSION,
    weights: s.weights,
    minimumSample: s.minimumSample,
    confidence: s.confidence,
    timeZone: s.timeZone,
    alertGapThreshold: s.alertGapThreshold,
    alertNpsThreshold: s.alertNpsThreshold
  });
}

/**
 * Reads Settings__c; blank gives the defaults. Throws naming what is wrong.
 * @param {string | null | undefined} json
 * @returns {ScoringSettings}
 */
export function parseSettings(json) {
  if (json === null || json === undefined || json.trim() === '') return resolveSettings();
  /** @type {unknown} */
  let doc;
  try {
    doc = JSON.parse(json);
  } catch (err) {
    throw new Error(
      `settings are not valid JSON: ${err instanceof Error ? err.message : String(err)}`
    );
  }
  if (!isRecord(doc)) throw new Error('settings must be a JSON object');
  if (doc.v !== SETTINGS_VERSION) {
    throw new Error(
      `settings version ${JSON.stringify(doc.v)} is not supported (this module reads version ${SETTINGS_VERSION})`
    );
  }
  const rest = { ...doc };
  delete rest.v;
  return resolveSettings(rest);
}

/**
 * Settings from the custom metadata records as the sync queries them
 * (CX_Dimension__mdt and CX_Setting__mdt; Confidence_Level__c in percent).
 * @param {{dimensions?: {DeveloperName: string, Weight__c?: number | null}[], setting?: {Minimum_Sample__c?: number | null, Confidence_Level__c?: number | null, Alert_Gap_Threshold__c?: number | null, Alert_NPS_Threshold__c?: number | null} | null, timeZone?: string | null}} records
 * @returns {ScoringSettings}
 */
export function settingsFromMetadata(records) {
  /** @type {Record<string, number> | undefined} */
  let weights;
  if (records.dimensions && records.dimensions.length > 0) {
    weights = {};
    for (const d of records.dimensions) weights[d.DeveloperName] = d.Weight__c ?? 0;
  }
  const setting = records.setting ?? {};
  return resolveSettings({
    weights,
    minimumSample: setting.Minimum_Sample__c ?? undefined,
    confidence:
      typeof setting.Confidence_Level__c === 'number'
        ? setting.Confidence_Level__c / 100
        : undefined,
    alertGapThreshold: setting.Alert_Gap_Threshold__c ?? undefined,
    alertNpsThreshold: setting.Alert_NPS_Threshold__c ?? undefined,
    timeZone: records.timeZone ?? undefined
  });
}
