import * as fs from 'node:fs';
import * as path from 'node:path';
import { rollup, type RollupLog } from 'rollup';
import lwc, { type RollupLwcOptions } from '@lwc/rollup-plugin';
import replace from '@rollup/plugin-replace';
import type { Plugin } from 'rollup';
import * as ts from 'typescript';
import type { WorkbenchLabel } from './labels';
import { PLATFORM_DIR, WORKBENCH_DIR, packageDir } from './paths';
import { ENTRY_ID, salesforceModules } from './salesforce-modules';

export type ModuleRecord = NonNullable<RollupLwcOptions['modules']>[number];

/** What the compile worker gets from buildWorkbench. */
export interface CompileJob {
  outDir: string;
  mode: 'production' | 'development';
  /** Component specifiers the page can mount. */
  components: string[];
  /** `c/<name>` -> absolute entry file. */
  componentRecords: ModuleRecord[];
  labels: WorkbenchLabel[];
  messageChannels: string[];
}

/** Module records with absolute paths: the base components' package.json has relative ones. */
function baseComponentRecords(): ModuleRecord[] {
  const dir = packageDir('lightning-base-components');
  const config = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
    lwc: { modules: Array<{ dir?: string; name?: string; path?: string }> };
  };
  return config.lwc.modules.map((record): ModuleRecord =>
    record.dir
      ? { dir: path.join(dir, record.dir) }
      : { name: record.name as string, path: path.join(dir, record.path as string) }
  );
}

/** platform/modules/<namespace>/<name>.js -> `<namespace>/<name>`. */
function platformRecords(): ModuleRecord[] {
  const records: ModuleRecord[] = [];
  for (const namespace of fs.readdirSync(PLATFORM_DIR).sort()) {
    for (const file of fs.readdirSync(path.join(PLATFORM_DIR, namespace)).sort()) {
      if (!file.endsWith('.js')) continue;
      records.push({
        name: `${namespace}/${path.basename(file, '.js')}`,
        path: path.join(PLATFORM_DIR, namespace, file)
      });
    }
  }
  return records;
}

/**
 * Strips TypeScript types and leaves decorators as they are, for the LWC
 * compiler, which parses JavaScript only. The workbench's own demo is
 * TypeScript so that the project's TypeScript lint parses its decorators.
 */
function typeScript(): Plugin {
  return {
    name: 'outside-in-typescript',
    transform(code, id) {
      const filename = id.replace(/\?.*$/, '');
      if (!filename.endsWith('.ts') || filename.includes(`${path.sep}node_modules${path.sep}`)) {
        return null;
      }
      const out = ts.transpileModule(code, {
        fileName: filename,
        compilerOptions: {
          target: ts.ScriptTarget.ESNext,
          module: ts.ModuleKind.ESNext,
          useDefineForClassFields: true,
          experimentalDecorators: false
        }
      });
      return { code: out.outputText, map: null };
    }
  };
}

/** Compiles the components into job.outDir (app.js and chunks/); resolves to our own warnings. */
export async function compileBundle(job: CompileJob): Promise<string[]> {
  const lwcDir = packageDir('lwc');
  const engineDir = packageDir('@lwc/engine-dom', lwcDir);
  const shadowDir = packageDir('@lwc/synthetic-shadow', lwcDir);
  const warnings: string[] = [];
  const bundle = await rollup({
    input: ENTRY_ID,
    plugins: [
      replace({
        preventAssignment: true,
        values: {
          'process.env.NODE_ENV': JSON.stringify(job.mode),
          'import.meta.env.SSR': 'false'
        }
      }),
      typeScript(),
      salesforceModules({
        labels: new Map(job.labels.map((label) => [label.name, label])),
        messageChannels: new Set(job.messageChannels),
        components: job.components
      }),
      lwc({
        rootDir: WORKBENCH_DIR,
        // The first record that matches wins: the workbench's platform modules
        // shadow the base components' own stand-ins (lightning/navigation).
        modules: [...platformRecords(), ...job.componentRecords, ...baseComponentRecords()],
        // The engine that matches the compiler's version, not whichever one
        // another package hoisted to the top of node_modules.
        defaultModules: [
          { name: 'lwc', path: path.join(engineDir, 'dist', 'index.js') },
          { name: '@lwc/synthetic-shadow', path: path.join(shadowDir, 'dist', 'index.js') }
        ],
        enableDynamicComponents: true,
        // lightning-combobox attaches ElementInternals; without this, synthetic
        // shadow refuses ("attachInternals API is not supported in synthetic shadow")
        // and the combobox renders no input.
        enableSyntheticElementInternals: true
      })
    ],
    onwarn(warning: RollupLog) {
      // Circular imports inside the base components are theirs, and harmless.
      if (warning.code === 'CIRCULAR_DEPENDENCY') return;
      // The base components' own template warnings are theirs to fix; ours are kept.
      if (warning.message.includes('node_modules/')) return;
      warnings.push(warning.message);
    }
  });
  try {
    await bundle.write({
      dir: job.outDir,
      format: 'es',
      entryFileNames: 'app.js',
      chunkFileNames: 'chunks/[name]-[hash].js'
    });
  } finally {
    await bundle.close();
  }
  return warnings;
}
