import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's Chromium; OUTSIDE_IN_CHROMIUM points elsewhere on other systems. */
export const CHROMIUM_PATH = process.env.OUTSIDE_IN_CHROMIUM ?? '/usr/bin/chromium';

/**
 * The flags the end-to-end tests start Chromium with. The network ones keep
 * Chromium from calling out (this machine's network is closed, and such
 * calls only slow the start and fill the log).
 */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
];

/**
 * Makes sure Chromium is installed: as root on Debian it installs the
 * `chromium` package (serialised with flock, since test workers may ask at
 * once); otherwise it says what to do.
 */
export function ensureChromium(log: (message: string) => void = () => undefined): string {
  if (fs.existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (process.env.OUTSIDE_IN_CHROMIUM || !isRoot || !fs.existsSync('/usr/bin/apt-get')) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}. On Debian or Ubuntu run ` +
        '`sudo apt-get update && sudo apt-get install -y chromium`; elsewhere set ' +
        'OUTSIDE_IN_CHROMIUM to the path of a Chromium or Chrome binary.'
    );
  }
  log('Installing Chromium with apt-get (once per machine)...');
  try {
    execFileSync(
      'flock',
      [
        path.join(os.tmpdir(), 'outside-in-chromium.lock'),
        'sh',
        '-c',
        `test -x ${CHROMIUM_PATH} || (apt-get update -qq && apt-get install -y -qq chromium)`
      ],
      { stdio: 'pipe', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }
    );
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(
      `apt-get could not install chromium: ${stderr.trim() || (err as Error).message}`
    );
  }
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`apt-get finished but ${CHROMIUM_PATH} is still missing`);
  }
  return CHROMIUM_PATH;
}

export interface LaunchedBrowser {
  context: BrowserContext;
  /** Closes Chromium and removes its user data directory. */
  close(): Promise<void>;
}

/** Starts Chromium with exactly CHROMIUM_FLAGS and a fresh, temporary user data directory. */
export async function launchChromium(): Promise<LaunchedBrowser> {
  const executablePath = ensureChromium();
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outside-in-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      // Playwright's own defaults would add flags; the pipe is how it talks to Chromium.
      ignoreDefaultArgs: true,
      args: [
        ...CHROMIUM_FLAGS,
        `--user-data-dir=${userDataDir}`,
        '--remote-debugging-pipe',
        'about:blank'
      ],
      viewport: { width: 1280, height: 900 }
    });
    return {
      context,
      close: async () => {
        await context.close();
        fs.rmSync(userDataDir, { recursive: true, force: true });
      }
    };
  } catch (err) {
    fs.rmSync(userDataDir, { recursive: true, force: true });
    throw err;
  }
}
