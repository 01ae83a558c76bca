#!/usr/bin/env node
'use strict';
// The CLI is TypeScript; tsx compiles it on load (cached), so no build step
// stands between `npm install` and `npx outside-in`.
require('tsx/cjs/api').register();
require('../cli/main.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
