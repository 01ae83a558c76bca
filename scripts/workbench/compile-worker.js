'use strict';
// Child process of buildWorkbench: reads a compile job (JSON) on stdin,
// compiles, and prints {warnings} or {error} as the last line of stdout.
require('tsx/cjs/api').register();
const { compileBundle } = require('./compile.ts');

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', () => {
  compileBundle(JSON.parse(input)).then(
    (warnings) => process.stdout.write(`${JSON.stringify({ warnings })}\n`),
    (err) => {
      process.stdout.write(
        `${JSON.stringify({ error: err && err.message ? err.message : String(err) })}\n`
      );
      process.exitCode = 1;
    }
  );
});
