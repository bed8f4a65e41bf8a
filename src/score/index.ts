/** Scoring: CVSS, severity, per-CVE data and the explainable priority. */
export { scoreCvss, parseCvss, findCvssVectors, CvssError, severityFromScore } from './cvss.js';
export { assessSeverity, headlineCvss, publishedVectors, scoreVectors, higher } from './severity.js';
export { prioritise, reputationOf, triageFromPriority, type PriorityInput } from './priority.js';
export { relevanceTo, type Relevance } from './relevance.js';
export { assessSsvc, missionWellbeing, ssvcDecision, type SsvcPoints } from './ssvc.js';
export { vulnerabilities } from './vulnerabilities.js';
