'use strict';
// Jest stand-in for lightning/messageService: publish and subscribe are mocks
// the tests inspect (subscribe's third argument is the listener).
const { createTestWireAdapter } = require('@salesforce/wire-service-jest-util');

module.exports = {
  APPLICATION_SCOPE: Symbol('APPLICATION_SCOPE'),
  MessageContext: createTestWireAdapter(jest.fn()),
  createMessageContext: jest.fn(() => ({})),
  releaseMessageContext: jest.fn(),
  publish: jest.fn(),
  subscribe: jest.fn((context, channel, listener) => ({ channel, listener })),
  unsubscribe: jest.fn()
};
