/**
 * The workbench: force-app's Lightning web components compiled with LWC and
 * served on record-page-like pages against an org (the local org), for
 * `npm start` and the end-to-end tests.
 */
export { buildWorkbench, defaultSources, demoSources } from './build';
export type { BuildOptions, WorkbenchBuild, WorkbenchSources } from './build';
export { startWorkbench } from './server';
export { runWorkbench, WORKBENCH_PERSONAS } from './run';
export type { RunWorkbenchOptions, RunningWorkbench } from './run';
export type { Workbench, WorkbenchOptions } from './server';
export { DEFAULT_LAYOUTS } from './layouts';
export type { PageLayout } from './layouts';
export type { Placement, QuickActionDef, FlexiPageLayout } from './pages';
export { ensureChromium, launchChromium, CHROMIUM_FLAGS, CHROMIUM_PATH } from './browser';
export type { LaunchedBrowser } from './browser';
