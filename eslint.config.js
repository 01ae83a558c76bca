'use strict';
const globals = require('globals');
const tseslint = require('typescript-eslint');
const lwcRecommended = require('@salesforce/eslint-config-lwc/recommended');

module.exports = [
  {
    ignores: [
      'node_modules/**',
      'coverage/**',
      '.sf/**',
      '.sfdx/**',
      '.outside-in/**',
      'test-artifacts/**',
      'bench-results/**',
      'scripts/workbench/.build/**',
      '**/fixtures/broken/**',
      'force-app/**/staticresources/**'
    ]
  },
  // Lightning web components: the platform's own rules.
  ...lwcRecommended.map((config) => ({ ...config, files: ['force-app/**/lwc/**/*.js'] })),
  {
    files: ['force-app/**/lwc/**/__tests__/**/*.js', 'scripts/test-support/**/*.js'],
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    // Tests wait on timers and drive wire adapters directly; components may not.
    rules: {
      '@lwc/lwc/no-async-operation': 'off',
      '@lwc/lwc/no-unexpected-wire-adapter-usages': 'off'
    }
  },
  // TypeScript sync layer, local org, workbench and their tests.
  ...tseslint.configs.recommended.map((config) => ({ ...config, files: ['scripts/**/*.ts'] })),
  {
    files: ['scripts/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
      ]
    }
  },
  {
    files: ['*.js', 'scripts/**/*.js'],
    ignores: ['scripts/workbench/**/modules/**'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } }
  }
];
