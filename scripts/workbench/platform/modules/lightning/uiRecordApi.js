// lightning/uiRecordApi on the local org's UI API
// (GET/POST/PATCH/DELETE /services/data/v62.0/ui-api/records...).
import { FetchingAdapter, loadDataOrError, refreshRecords } from 'workbench/lds';
import { deepFreeze, qualifiedFieldName, request } from 'workbench/runtime';

function fieldList(fields) {
  if (fields === undefined || fields === null) return [];
  return (Array.isArray(fields) ? fields : [fields]).map(qualifiedFieldName);
}

function listParam(values) {
  return (Array.isArray(values) ? values : [values]).join(',');
}

function recordQuery(config) {
  const params = [];
  const fields = fieldList(config.fields);
  const optionalFields = fieldList(config.optionalFields);
  if (fields.length) params.push(`fields=${encodeURIComponent(fields.join(','))}`);
  if (optionalFields.length) {
    params.push(`optionalFields=${encodeURIComponent(optionalFields.join(','))}`);
  }
  if (config.layoutTypes)
    params.push(`layoutTypes=${encodeURIComponent(listParam(config.layoutTypes))}`);
  if (config.modes) params.push(`modes=${encodeURIComponent(listParam(config.modes))}`);
  return params.length ? `?${params.join('&')}` : '';
}

/** @wire(getRecord, {recordId, fields | layoutTypes, optionalFields}) -> {data, error} */
export class getRecord extends FetchingAdapter {
  isReady(config) {
    return Boolean(
      config && config.recordId && (config.fields || config.optionalFields || config.layoutTypes)
    );
  }

  recordIds() {
    return this.config && this.config.recordId ? [this.config.recordId] : [];
  }

  load(config) {
    return loadDataOrError(
      `/ui-api/records/${encodeURIComponent(config.recordId)}${recordQuery(config)}`
    );
  }
}

/** @wire(getRecords, {records: [{recordIds, fields, optionalFields}]}) -> {data: {results}, error} */
export class getRecords extends FetchingAdapter {
  isReady(config) {
    return Boolean(config && Array.isArray(config.records) && config.records.length);
  }

  recordIds() {
    return this.isReady(this.config)
      ? this.config.records.flatMap((group) => group.recordIds || [])
      : [];
  }

  load(config) {
    // One batch request per group, as LDS does: GET /ui-api/records/batch/{ids}.
    const loads = config.records.map((group) =>
      request(
        'GET',
        `/ui-api/records/batch/${(group.recordIds || []).map(encodeURIComponent).join(',')}${recordQuery(group)}`
      ).then((response) => response.results)
    );
    return Promise.all(loads).then(
      (groups) => ({ data: deepFreeze({ results: groups.flat() }), error: undefined }),
      (error) => ({ data: undefined, error })
    );
  }
}

function plainFields(fields) {
  const out = {};
  for (const [key, value] of Object.entries(fields || {})) {
    // Callers may key fields by schema import strings such as "Account.Name".
    const name = key.includes('.') ? key.split('.').slice(1).join('.') : key;
    out[name] = value;
  }
  return out;
}

/** createRecord({apiName, fields}) -> Promise<Record> */
export function createRecord(recordInput) {
  if (!recordInput || !recordInput.apiName) {
    return Promise.reject(new Error('createRecord needs a recordInput with an apiName'));
  }
  return request('POST', '/ui-api/records', {
    apiName: recordInput.apiName,
    fields: plainFields(recordInput.fields)
  }).then(deepFreeze);
}

/** updateRecord({fields: {Id, ...}}) -> Promise<Record>; wired records of that Id emit again. */
export function updateRecord(recordInput) {
  const fields = plainFields(recordInput && recordInput.fields);
  const id = fields.Id;
  if (!id) return Promise.reject(new Error('updateRecord needs fields.Id'));
  delete fields.Id;
  return request('PATCH', `/ui-api/records/${encodeURIComponent(id)}`, { fields }).then((record) =>
    refreshRecords([id]).then(() => deepFreeze(record))
  );
}

/** deleteRecord(recordId) -> Promise<undefined> */
export function deleteRecord(recordId) {
  return request('DELETE', `/ui-api/records/${encodeURIComponent(recordId)}`).then(() =>
    refreshRecords([recordId]).then(() => undefined)
  );
}

/** Tells LDS that records changed on the server: their wires fetch again. */
export function notifyRecordUpdateAvailable(recordIdentifiers) {
  const ids = (recordIdentifiers || []).map((item) =>
    typeof item === 'string' ? item : item && item.recordId
  );
  return refreshRecords(ids).then(() => undefined);
}

/** Deprecated form of notifyRecordUpdateAvailable, still used in older components. */
export function getRecordNotifyChange(recordIdentifiers) {
  notifyRecordUpdateAvailable(recordIdentifiers);
}

function walk(record, field) {
  const path = qualifiedFieldName(field).split('.').slice(1);
  let current = record;
  let last;
  for (const name of path) {
    if (!current || !current.fields || !(name in current.fields)) return undefined;
    last = current.fields[name];
    current = last && last.value;
  }
  return last;
}

/** getFieldValue(record, field): the value, walking spanning fields through nested records. */
export function getFieldValue(record, field) {
  const entry = walk(record, field);
  return entry === undefined ? undefined : entry.value;
}

/** getFieldDisplayValue(record, field): the last field's displayValue. */
export function getFieldDisplayValue(record, field) {
  const entry = walk(record, field);
  return entry === undefined ? undefined : entry.displayValue;
}

/** Builds a createRecord input from a record (the editable fields it carries). */
export function generateRecordInputForCreate(record) {
  const fields = {};
  for (const [name, entry] of Object.entries((record && record.fields) || {})) {
    if (entry && (entry.value === null || typeof entry.value !== 'object')) {
      fields[name] = entry.value;
    }
  }
  return { apiName: record && record.apiName, fields };
}

export function generateRecordInputForUpdate(record) {
  const input = generateRecordInputForCreate(record);
  input.fields.Id = record && record.id;
  return { fields: input.fields };
}
