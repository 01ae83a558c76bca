'use strict';
// Jest stand-in for lightning/refresh.
const RefreshEventName = 'lightning__refresh';

class RefreshEvent extends CustomEvent {
  constructor() {
    super(RefreshEventName, { bubbles: true, composed: true, cancelable: true });
  }
}

module.exports = {
  RefreshEventName,
  RefreshEvent,
  registerRefreshHandler: jest.fn(() => 1),
  unregisterRefreshHandler: jest.fn(),
  registerRefreshContainer: jest.fn(() => 1),
  unregisterRefreshContainer: jest.fn()
};
