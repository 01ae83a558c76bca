// RefreshEvent: the container fetches every connected wire again and runs
// the registered refresh handlers.
export const RefreshEventName = 'lightning__refresh';
export const REFRESH_COMPLETE = 'REFRESH_COMPLETE';
export const REFRESH_COMPLETE_WITH_ERRORS = 'REFRESH_COMPLETE_WITH_ERRORS';
export const REFRESH_ERROR = 'REFRESH_ERROR';

export class RefreshEvent extends CustomEvent {
  constructor() {
    super(RefreshEventName, { composed: true, cancelable: true, bubbles: true });
  }
}

const handlers = new Map();
let lastId = 0;

export function registerRefreshHandler(element, handler) {
  lastId += 1;
  handlers.set(lastId, handler.bind(element));
  return lastId;
}

export function unregisterRefreshHandler(id) {
  handlers.delete(id);
}

export const registerRefreshContainer = registerRefreshHandler;
export const unregisterRefreshContainer = unregisterRefreshHandler;

/** Runs every registered handler; each resolves to true (refreshed) or false. */
export function runRefreshHandlers() {
  return Promise.all(
    [...handlers.values()].map((handler) =>
      Promise.resolve()
        .then(() => handler())
        .catch(() => false)
    )
  ).then((results) =>
    results.every((ok) => ok !== false) ? REFRESH_COMPLETE : REFRESH_COMPLETE_WITH_ERRORS
  );
}
