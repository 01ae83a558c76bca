import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root (scripts/workbench/../..). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const WORKBENCH_DIR = __dirname;
export const FORCE_APP_DIR = path.join(REPO_ROOT, 'force-app', 'main', 'default');
export const PLATFORM_DIR = path.join(WORKBENCH_DIR, 'platform', 'modules');
export const DEMO_DIR = path.join(WORKBENCH_DIR, 'demo');
export const BUILD_ROOT = path.join(WORKBENCH_DIR, '.build');

/** Finds an installed package's folder the way Node does, walking node_modules upwards. */
export function packageDir(name: string, from: string = REPO_ROOT): string {
  let dir = path.resolve(from);
  for (;;) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(
        `Package ${name} is not installed (looked upwards from ${from}); run npm install`
      );
    }
    dir = parent;
  }
}

export function packageVersion(dir: string): string {
  return (
    JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }
  ).version;
}
