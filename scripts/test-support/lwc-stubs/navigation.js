'use strict';
// Jest stand-in for lightning/navigation that records where a component navigated.
const { createTestWireAdapter } = require('@salesforce/wire-service-jest-util');

const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');
const navigate = jest.fn();

const NavigationMixin = (Base) =>
  class extends Base {
    [Navigate](pageReference, replace) {
      navigate(pageReference, replace);
    }

    [GenerateUrl](pageReference) {
      const id = pageReference && pageReference.attributes && pageReference.attributes.recordId;
      return Promise.resolve(`/lightning/r/${id}/view`);
    }
  };
NavigationMixin.Navigate = Navigate;
NavigationMixin.GenerateUrl = GenerateUrl;

module.exports = {
  NavigationMixin,
  CurrentPageReference: createTestWireAdapter(jest.fn()),
  /** The page references passed to Navigate, in order (a jest mock). */
  navigate
};
