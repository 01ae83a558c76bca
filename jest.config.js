'use strict';
// One Jest run for both halves of the project: the Lightning web components
// (sfdx-lwc-jest preset, jsdom) and the TypeScript under scripts/ (node).
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

const lwc = {
  ...jestConfig,
  displayName: 'lwc',
  rootDir: __dirname,
  roots: ['<rootDir>/force-app'],
  testMatch: ['**/__tests__/**/*.test.js'],
  moduleNameMapper: {
    // Platform modules the preset does not stub live outside force-app.
    '^lightning/(graphql|messageService|refresh|actions|platformShowToastEvent|navigation)$':
      '<rootDir>/scripts/test-support/lwc-stubs/$1.js',
    '^@salesforce/messageChannel/(.*)$':
      '<rootDir>/scripts/test-support/lwc-stubs/messageChannel.js'
  },
  setupFilesAfterEnv: [
    ...(jestConfig.setupFilesAfterEnv || []),
    '<rootDir>/scripts/test-support/lwc-setup.js',
    '<rootDir>/scripts/test-support/lwc-stubs/labels.js'
  ]
};

const scripts = {
  displayName: 'scripts',
  rootDir: __dirname,
  roots: ['<rootDir>/scripts', '<rootDir>/force-app'],
  testMatch: ['<rootDir>/scripts/**/*.test.ts'],
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }]
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testPathIgnorePatterns: ['/node_modules/', '/fixtures/']
};

module.exports = {
  projects: [lwc, scripts],
  // Enforced whenever coverage is collected (`npm run test:lwc`); per component bundle so a
  // well-tested bundle cannot hide an untested one.
  coverageThreshold: Object.fromEntries(
    [
      'cxView',
      'errorPanel',
      'experienceScorecard',
      'gapPriorities',
      'journeyGapMap',
      'ldsUtils',
      'perceptionCapture'
    ].map((bundle) => [
      `./force-app/main/default/lwc/${bundle}/`,
      { statements: 85, branches: 70, functions: 85, lines: 85 }
    ])
  )
};
