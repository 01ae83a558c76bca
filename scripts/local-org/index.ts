/** The local org's public API. */
export {
  startLocalOrg,
  readLocalOrgState,
  DEFAULT_ORG_DIR,
  STATE_FILE,
  API_VERSION,
  CORE_MODULES
} from './org';
export type { LocalOrg, LocalOrgState, LocalOrgUserState, StartLocalOrgOptions } from './org';
export { LocalOrgCore, PERSONAS, ORG_TIME_ZONE } from './core';
export type { Persona, LocalUser } from './core';
export { RecordService } from './records';
export type { RecordInput, WriteOptions, BatchItem, ApiRecord, DmlOperation } from './records';
export { Router } from './http/router';
export type { ApiRequest, ApiResponse, Handler, RouteOptions } from './http/router';
export type { RouteModule } from './http/server';
export type { FaultRule, FaultKind } from './http/faults';
export { SfError } from './errors';
export type { UserContext } from './permissions';
