// @ts-check
/**
 * Shapes shared by the scoring module. Types only; the runtime export keeps
 * this a module for the LWC compiler.
 */

/**
 * One answered SERVQUAL item as stored in `CX_Perception__c.Answers__c`.
 * `e` and `p` are on the question's own scale [min, max]; null = not answered
 * or not applicable.
 * @typedef {object} Answer
 * @property {string} k item key shared by the expectation and perception question, e.g. `ONB-REL-1`
 * @property {string | null} d dimension (DeveloperName of a CX_Dimension__mdt record), null when none
 * @property {number | null} e expectation on [min, max]
 * @property {number | null} p perception on [min, max]
 * @property {number} min scale minimum
 * @property {number} max scale maximum
 */

/**
 * A response as the scoring module reads it, whatever its source (import,
 * rep capture, Answers__c). Missing values are null.
 * @typedef {object} ScoringResponse
 * @property {string | null} touchpointKey CX_Touchpoint__c.Key__c
 * @property {string | null} channel one of the Channel__c values
 * @property {string | number | Date | null} [occurredAt] when the interaction happened (used by periodOf)
 * @property {number | null} [nps] likelihood to recommend, 0-10
 * @property {number | null} [csat] satisfaction, 1-5
 * @property {number | null} [ces] customer effort, 1-7
 * @property {Answer[]} [answers] item answers
 * @property {number | null} [selfRating] the company's rating of this interaction
 * @property {number | null} [selfRatingMin] scale of selfRating; when both are absent selfRating is already 0-100
 * @property {number | null} [selfRatingMax]
 * @property {number | null} [perception] overall perception 0-100, used only when no answer carries a perception
 * @property {number | null} [expectation] overall expectation 0-100, used only when no answer carries an expectation
 */

/**
 * Count, mean and sum of squared deviations (Welford; merged by Chan et al.).
 * @typedef {object} Moments
 * @property {number} n
 * @property {number} mean
 * @property {number} m2
 */

/**
 * Count and mean only (the deepest account breakdown keeps no spread).
 * @typedef {object} MeanOnly
 * @property {number} n
 * @property {number} mean
 */

/**
 * Co-moments of two paired variables (x = perception 0-100, y = likelihood to recommend 0-10).
 * @typedef {object} CoMoments
 * @property {number} n
 * @property {number} meanX
 * @property {number} meanY
 * @property {number} m2x
 * @property {number} m2y
 * @property {number} cxy
 */

/**
 * Per-dimension statistics over responses: each response contributes the mean
 * of its answered items of that dimension (0-100); g = p - e when both exist.
 * @typedef {object} DimensionStats
 * @property {Moments} e
 * @property {Moments} p
 * @property {Moments} g
 */

/**
 * Statistics of one group of responses (a whole scope, one touchpoint, one channel).
 * @typedef {object} GroupStats
 * @property {number} n responses
 * @property {number} npsPromoters NPS 9-10
 * @property {number} npsPassives NPS 7-8
 * @property {number} npsDetractors NPS 0-6
 * @property {number} csatN CSAT answers
 * @property {number} csatTop CSAT 4-5 (top two box)
 * @property {Moments} ces CES on its 1-7 scale
 * @property {Moments} e overall expectation per response, 0-100
 * @property {Moments} p overall perception per response, 0-100 (the experience index)
 * @property {Moments} g customer gap per response, p - e, -100..100
 * @property {Moments} del delivery gap per response, self-rating - p, -100..100
 * @property {CoMoments} lr perception (x) against likelihood to recommend (y)
 * @property {Map<string, DimensionStats>} dims by dimension
 * @property {(DimensionStats | undefined)[]} _slots internal: the entries of dims by process-wide dimension
 *   id, so the hot path skips a map lookup; treat dims as add-only (never replace or delete an entry)
 */

/**
 * A touchpoint x channel cell: response-level perception, plus (account scope
 * only) the mean perception per dimension.
 * @typedef {object} CellStats
 * @property {Moments} p
 * @property {Map<string, MeanOnly>} dims
 * @property {(MeanOnly | undefined)[]} _slots internal: the entries of dims by dimension id (dims is add-only)
 */

/**
 * One SERVQUAL item over responses, 0-100.
 * @typedef {object} ItemStats
 * @property {string | null} d dimension
 * @property {Moments} e
 * @property {Moments} p
 * @property {Moments} g paired p - e
 */

/**
 * @typedef {'account' | 'touchpoint' | 'journey' | 'org'} ScopeKind
 */

/**
 * The mergeable statistics of one scope and period. Account scope keeps the
 * touchpoint x channel x dimension breakdown (cells with per-dimension means);
 * touchpoint, journey and org scopes keep marginals (cells carry perception only).
 * @typedef {object} ScopeStatistics
 * @property {ScopeKind} scope
 * @property {GroupStats} overall
 * @property {Map<string, GroupStats>} touchpoints by touchpoint key
 * @property {Map<string, GroupStats>} channels by channel
 * @property {Map<string, Map<string, CellStats>>} cells touchpoint key -> channel -> cell
 * @property {Map<string, ItemStats>} items by item key
 * @property {boolean} itemsPartial some item statistics were left out to fit the long text field
 *   (the least-answered items); item-level results are then incomplete until the scope is recomputed
 */

/**
 * The settings in effect (written into every snapshot's Settings__c).
 * @typedef {object} ScoringSettings
 * @property {Record<string, number>} weights dimension -> importance weight (renormalised over present dimensions)
 * @property {number} minimumSample below this n a result is low-sample
 * @property {number} confidence e.g. 0.95
 * @property {string} timeZone IANA zone of the org, e.g. `Europe/Amsterdam`
 * @property {number} alertGapThreshold weighted gap below this raises an alert (0-100 scale), e.g. -10
 * @property {number} alertNpsThreshold NPS below this raises an alert, e.g. 0
 */

/**
 * What the scoring module knows about a touchpoint from its record.
 * @typedef {object} TouchpointInfo
 * @property {number | null} [promise] Brand_Promise__c 0-100
 * @property {number | null} [believedExpectation] Believed_Expectation__c 0-100
 * @property {number | null} [importance] Importance_Weight__c (stated importance)
 * @property {string | null} [name]
 */

/**
 * A mean, percentage or difference with its interval. `value`, `lower`,
 * `upper` and `se` are null when the sample is too small (`lowSample`) or the
 * spread is unknown (n = 1); never NaN or Infinity.
 * @typedef {object} Estimate
 * @property {number} n
 * @property {number | null} value
 * @property {number | null} lower
 * @property {number | null} upper
 * @property {number | null} se
 * @property {boolean} lowSample
 */

/**
 * Change against the previous period.
 * @typedef {object} Trend
 * @property {number | null} change current - previous (null when either side is low-sample)
 * @property {number | null} statistic Welch's t or the z of the NPS difference
 * @property {number | null} df Welch-Satterthwaite degrees of freedom (means only)
 * @property {number | null} pValue two-sided
 * @property {boolean} significant p < 1 - confidence
 * @property {'up' | 'down' | null} direction set only when significant
 */

export {};
