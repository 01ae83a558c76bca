// @ts-check
/**
 * experienceScoring: the one scoring module of Outside-In. The Lightning web
 * components import it as `c/experienceScoring`; the TypeScript sync imports
 * this file directly. Pure functions, no platform or Node APIs.
 *
 * API overview
 *
 * Answers (CX_Perception__c.Answers__c, {"v":1,"a":[{k,d,e,p,min,max}]})
 *   parseAnswers(json)              -> {ok:true, answers} | {ok:false, error}
 *   serializeAnswers(answers)       -> string
 *   readScaleValue(raw, min, max)   -> number | null (not applicable) | undefined (invalid)
 *   normaliseScore(value, min, max) -> 0-100
 *
 * Statistics (mergeable; see types.js for the shapes)
 *   createStatistics(scope)                 scope: 'account' | 'touchpoint' | 'journey' | 'org'
 *   accumulate(stats, response)             add one ScoringResponse in place (Welford)
 *   accumulateAll([stats...], response)     add one response to every scope it feeds
 *   prepareResponse(response) + accumulatePrepared(stats, prepared)   the same in two steps
 *   statisticsOf(scope, responses)          statistics of a list
 *   responseSummary(response)               a perception record's Expectation/Perception/Self_Rating 0-100
 *   mergeInto(target, source) / merge(a, b) Chan et al. merge, in place / pure
 *   cloneStatistics(stats)
 *   serializeStatistics(stats, maxLength?) / parseStatistics(json, scopeIfBlank?)   Statistics__c,
 *     versioned compact JSON; leaves out the least-answered items (itemsPartial) rather than overflow
 *   momentsOf, addValue, mergeMoments, variance, correlation   building blocks
 *
 * Settings (Settings__c)
 *   DEFAULT_SETTINGS, resolveSettings(partial), serializeSettings(s), parseSettings(json),
 *   settingsFromMetadata({dimensions, setting, timeZone})
 *
 * Measures (every result has n and an interval; low sample gives value null)
 *   experienceIndex, meanEstimate, npsEstimate, csatEstimate, cesEstimate, deliveryGap,
 *   dimensionScores, weightedGap, promiseGap, knowledgeGap, channelConsistency,
 *   meanTrend, npsTrend, csatTrend, weightedGapTrend, welchTest, derivedImportance, importancePerformance,
 *   priorityEntries, rankGaps, groupScores, mergeGroups, scopeReport,
 *   snapshotHeadline(stats, settings, touchpoints?) -> the snapshot's headline fields (Responses__c, ...)
 *
 * Periods (calendar months in the org's time zone)
 *   periodOf(date, timeZone) -> 'YYYY-MM'; previousPeriod, nextPeriod, periodStart, periodBounds
 *
 * Distributions
 *   tQuantile, tCdf, tTwoSidedP, normalQuantile, normalCdf, normalTwoSidedP, incompleteBeta,
 *   tCritical, zCritical
 *
 * Units: perception, expectation, gaps, promise, experience index on 0-100
 * (gaps -100..100); NPS in points -100..100; CSAT in percent; CES on 1-7.
 */

export * from './answers';
export * from './statistics';
export * from './serialization';
export * from './settings';
export * from './measures';
export * from './periods';
export * from './distributions';

/** @typedef {import('./types').Answer} Answer */
/** @typedef {import('./types').ScoringResponse} ScoringResponse */
/** @typedef {import('./types').Moments} Moments */
/** @typedef {import('./types').MeanOnly} MeanOnly */
/** @typedef {import('./types').CoMoments} CoMoments */
/** @typedef {import('./types').DimensionStats} DimensionStats */
/** @typedef {import('./types').GroupStats} GroupStats */
/** @typedef {import('./types').CellStats} CellStats */
/** @typedef {import('./types').ItemStats} ItemStats */
/** @typedef {import('./types').ScopeKind} ScopeKind */
/** @typedef {import('./types').ScopeStatistics} ScopeStatistics */
/** @typedef {import('./types').ScoringSettings} ScoringSettings */
/** @typedef {import('./types').TouchpointInfo} TouchpointInfo */
/** @typedef {import('./types').Estimate} Estimate */
/** @typedef {import('./types').Trend} Trend */
/** @typedef {import('./measures').NpsEstimate} NpsEstimate */
/** @typedef {import('./measures').DimensionScore} DimensionScore */
/** @typedef {import('./measures').ChannelConsistency} ChannelConsistency */
/** @typedef {import('./measures').PriorityEntry} PriorityEntry */
/** @typedef {import('./measures').RankedGap} RankedGap */
/** @typedef {import('./measures').GroupScores} GroupScores */
/** @typedef {import('./measures').ScopeReport} ScopeReport */
/** @typedef {import('./measures').SnapshotHeadline} SnapshotHeadline */
/** @typedef {import('./measures').TouchpointDirectory} TouchpointDirectory */
