/** `npm start`: the demo on the local org, and the sample data loader it uses. */
export {
  runDemo,
  defaultDemoDir,
  REP_ACCOUNTS,
  DEMO_SKIPPED_OBJECTS,
  DEFAULT_RESPONSES,
  DEFAULT_SEED,
  DEFAULT_MONTHS
} from './demo';
export type { DemoOptions, DemoOrg, DemoLinks, RunningDemo } from './demo';
export {
  loadSampleData,
  importPlan,
  findSampleRecords,
  readPlan,
  SampleDataError,
  TREE_LIMIT
} from './sampleData';
export type { LoadSampleDataOptions, LoadSampleDataResult, PlanStep } from './sampleData';
export { writeDemoResponses, demoConfig } from './responses';
