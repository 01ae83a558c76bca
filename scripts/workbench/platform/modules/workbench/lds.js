// The workbench's Lightning Data Service: a registry of the wire adapters
// that are connected, so refresh, RefreshEvent, notifyRecordUpdateAvailable
// and record writes make them fetch again and emit, as LDS does.
import { deepFreeze, request } from 'workbench/runtime';

const connected = new Set();

/**
 * Base class of the workbench's wire adapters. A subclass implements
 * `load(config)` (a promise of the value to emit), `isReady(config)`, and may
 * list `recordIds()` so record notifications reach it.
 */
export class FetchingAdapter {
  constructor(dataCallback) {
    this.dataCallback = dataCallback;
    this.config = undefined;
    this.sequence = 0;
  }

  connect() {
    connected.add(this);
  }

  disconnect() {
    connected.delete(this);
    this.sequence += 1;
  }

  update(config) {
    this.config = config;
    if (this.isReady(config)) this.fetchAndEmit();
  }

  isReady() {
    return true;
  }

  recordIds() {
    return [];
  }

  fetchAndEmit() {
    // A later request supersedes an earlier one still in flight.
    const sequence = ++this.sequence;
    return this.load(this.config).then((value) => {
      if (sequence === this.sequence) this.dataCallback(value);
      return value;
    });
  }

  refresh() {
    if (!this.isReady(this.config)) return Promise.resolve(undefined);
    return this.fetchAndEmit();
  }
}

export function refreshAll() {
  return Promise.all([...connected].map((adapter) => adapter.refresh()));
}

/** Fetches again every connected adapter that shows one of these records, and every query. */
export function refreshRecords(recordIds) {
  const ids = new Set(recordIds.filter(Boolean).map((id) => String(id).slice(0, 15)));
  const matching = [...connected].filter(
    (adapter) =>
      adapter.isQuery === true || adapter.recordIds().some((id) => ids.has(String(id).slice(0, 15)))
  );
  return Promise.all(matching.map((adapter) => adapter.refresh()));
}

/** A GET whose result is delivered as {data, error}. */
export function loadDataOrError(path) {
  return request('GET', path).then(
    (data) => ({ data: deepFreeze(data), error: undefined }),
    (error) => ({ data: undefined, error })
  );
}
