'use strict';
// Jest stand-in for @salesforce/messageChannel/* imports: one token per test run.
module.exports = { default: { channel: 'CX_Perception_Captured__c' } };
