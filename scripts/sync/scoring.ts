/**
 * The scoring module, as the sync uses it. Every number the sync writes
 * (normalised answers, overall expectation and perception, statistics,
 * headline scores) comes from here, so the org and the sync agree.
 */
export * from '../../force-app/main/default/lwc/experienceScoring/experienceScoring';
export type {
  Answer as ScoringAnswer,
  ScoringResponse,
  ScopeStatistics,
  ScoringSettings,
  TouchpointInfo,
  ScopeKind
} from '../../force-app/main/default/lwc/experienceScoring/types';
