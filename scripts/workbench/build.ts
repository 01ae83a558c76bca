import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { readLabels, type WorkbenchLabel } from './labels';
import {
  BUILD_ROOT,
  DEMO_DIR,
  FORCE_APP_DIR,
  PLATFORM_DIR,
  REPO_ROOT,
  WORKBENCH_DIR,
  packageDir,
  packageVersion
} from './paths';
import type { CompileJob, ModuleRecord } from './compile';
import { listBundles, readMessageChannels } from './salesforce-modules';

/** Where the sources of one build come from; tests point these at fixtures. */
export interface WorkbenchSources {
  /** Folders of LWC bundles mounted as `c/<name>` (force-app's lwc, then the demo's). */
  componentDirs: string[];
  labelDirs: string[];
  translationDirs: string[];
  messageChannelDir: string;
}

export interface BuildOptions {
  sources?: Partial<WorkbenchSources>;
  /** 'production' (default) runs LWC without its development checks, as orgs do. */
  mode?: 'production' | 'development';
  /** Where builds are kept, one folder per input hash. */
  buildRoot?: string;
  /** Rebuild even when a build of the same inputs exists. */
  force?: boolean;
  log?: (message: string) => void;
}

export interface WorkbenchBuild {
  /** Folder with app.js and its chunks. */
  dir: string;
  hash: string;
  /** True when an earlier build of the same inputs was reused. */
  cached: boolean;
  /** Component specifiers in the bundle (`c/workbenchDemo`). */
  components: string[];
  labels: Map<string, WorkbenchLabel>;
  warnings: string[];
}

interface Manifest {
  hash: string;
  components: string[];
  warnings: string[];
  builtAt: string;
}

export function defaultSources(): WorkbenchSources {
  return {
    componentDirs: [path.join(FORCE_APP_DIR, 'lwc'), path.join(DEMO_DIR, 'modules', 'lwc')],
    labelDirs: [path.join(FORCE_APP_DIR, 'labels'), path.join(DEMO_DIR, 'labels')],
    translationDirs: [
      path.join(FORCE_APP_DIR, 'translations'),
      path.join(DEMO_DIR, 'translations')
    ],
    messageChannelDir: path.join(FORCE_APP_DIR, 'messageChannels')
  };
}

/**
 * Only the workbench's demo: the pipeline's own tests build this, so they do
 * not depend on the state of force-app's components.
 */
export function demoSources(): WorkbenchSources {
  return {
    componentDirs: [path.join(DEMO_DIR, 'modules', 'lwc')],
    labelDirs: [path.join(DEMO_DIR, 'labels')],
    translationDirs: [path.join(DEMO_DIR, 'translations')],
    messageChannelDir: path.join(DEMO_DIR, 'messageChannels')
  };
}

function walkFiles(root: string, out: string[]): void {
  if (!fs.existsSync(root)) return;
  const stat = fs.statSync(root);
  if (stat.isFile()) {
    out.push(root);
    return;
  }
  for (const entry of fs.readdirSync(root).sort()) {
    if (entry === '__tests__' || entry === 'node_modules' || entry === '.build') continue;
    walkFiles(path.join(root, entry), out);
  }
}

/** Hash of everything the bundle depends on, so an unchanged tree reuses the last build. */
export function inputHash(sources: WorkbenchSources, mode: string): string {
  const hash = createHash('sha256');
  hash.update(`mode:${mode}\n`);
  for (const pkg of ['lwc', '@lwc/rollup-plugin', 'rollup', 'lightning-base-components']) {
    hash.update(`${pkg}@${packageVersion(packageDir(pkg))}\n`);
  }
  const roots = [
    ...sources.componentDirs,
    ...sources.labelDirs,
    ...sources.translationDirs,
    sources.messageChannelDir,
    PLATFORM_DIR,
    ...['build.ts', 'compile.ts', 'compile-worker.js', 'salesforce-modules.ts', 'labels.ts'].map(
      (f) => path.join(WORKBENCH_DIR, f)
    )
  ];
  for (const root of roots) {
    const files: string[] = [];
    walkFiles(root, files);
    hash.update(`root:${root}\n`);
    for (const file of files) {
      hash.update(`${path.relative(root, file)}\n`);
      hash.update(fs.readFileSync(file));
    }
  }
  return hash.digest('hex').slice(0, 20);
}

/**
 * Runs the compiler in a child process: rollup and the LWC compiler are ES
 * modules, which the CommonJS test runner cannot load, and a child keeps the
 * compiler's memory out of the server's process.
 */
function runCompiler(job: CompileJob): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(WORKBENCH_DIR, 'compile-worker.js')], {
      stdio: ['pipe', 'pipe', 'pipe']
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      let result: { warnings?: string[]; error?: string } = {};
      try {
        result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as typeof result;
      } catch {
        result = {};
      }
      if (code === 0 && result.warnings) return resolve(result.warnings);
      reject(
        new Error(
          `The component build failed: ${result.error ?? (stderr.trim() || `exit code ${code}`)}`
        )
      );
    });
    child.stdin.end(JSON.stringify(job));
  });
}

function readManifest(dir: string): Manifest | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

/** Keeps the newest few builds so the cache does not grow without bound. */
function pruneOldBuilds(buildRoot: string, keep: string): void {
  const builds = fs
    .readdirSync(buildRoot, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== keep && !e.name.startsWith('tmp-'))
    .map((e) => ({
      dir: path.join(buildRoot, e.name),
      time: fs.statSync(path.join(buildRoot, e.name)).mtimeMs
    }))
    .sort((a, b) => b.time - a.time);
  for (const old of builds.slice(2)) fs.rmSync(old.dir, { recursive: true, force: true });
}

/**
 * Compiles force-app's Lightning web components (and the workbench demo)
 * with the LWC compiler into an ES module bundle with chunks, against the
 * lightning-* base components and the workbench's platform modules.
 */
export async function buildWorkbench(options: BuildOptions = {}): Promise<WorkbenchBuild> {
  const sources = { ...defaultSources(), ...options.sources };
  const mode = options.mode ?? 'production';
  const buildRoot = options.buildRoot ?? BUILD_ROOT;
  const log = options.log ?? (() => undefined);
  const labels = readLabels(sources.labelDirs, sources.translationDirs);
  const hash = inputHash(sources, mode);
  const outDir = path.join(buildRoot, hash);

  const existing = options.force ? undefined : readManifest(outDir);
  if (existing && existing.hash === hash) {
    log(`Reusing the component build ${path.relative(REPO_ROOT, outDir)}`);
    return {
      dir: outDir,
      hash,
      cached: true,
      components: existing.components,
      labels,
      warnings: existing.warnings
    };
  }

  const componentRecords: ModuleRecord[] = [];
  const components: string[] = [];
  const seen = new Map<string, string>();
  for (const dir of sources.componentDirs) {
    for (const bundle of listBundles(dir)) {
      const earlier = seen.get(bundle.name);
      if (earlier) throw new Error(`Component c/${bundle.name} is in both ${earlier} and ${dir}`);
      seen.set(bundle.name, dir);
      componentRecords.push({ name: `c/${bundle.name}`, path: bundle.entry });
      if (bundle.hasTemplate) components.push(`c/${bundle.name}`);
    }
  }

  log(`Compiling ${components.length} components with LWC ${packageVersion(packageDir('lwc'))}`);
  const started = Date.now();
  fs.mkdirSync(buildRoot, { recursive: true });
  const tmpDir = fs.mkdtempSync(path.join(buildRoot, 'tmp-'));
  let warnings: string[];
  try {
    warnings = await runCompiler({
      outDir: tmpDir,
      mode,
      components,
      componentRecords,
      labels: [...labels.values()],
      messageChannels: [...readMessageChannels(sources.messageChannelDir)]
    });
    const manifest: Manifest = { hash, components, warnings, builtAt: new Date().toISOString() };
    fs.writeFileSync(path.join(tmpDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    fs.rmSync(outDir, { recursive: true, force: true });
    try {
      fs.renameSync(tmpDir, outDir);
    } catch (err) {
      // Another process finished the same build first; its output is identical.
      if (!readManifest(outDir)) throw err;
      fs.rmSync(tmpDir, { recursive: true, force: true });
    }
  } catch (err) {
    fs.rmSync(tmpDir, { recursive: true, force: true });
    throw err;
  }
  pruneOldBuilds(buildRoot, hash);
  log(
    `Built ${path.relative(REPO_ROOT, outDir)} in ${((Date.now() - started) / 1000).toFixed(1)} s`
  );
  return { dir: outDir, hash, cached: false, components, labels, warnings };
}
