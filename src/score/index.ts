/** Scoring: CVSS, severity, per-CVE data and the explainable priority. */
export { scoreCvss, parseCvss, findCvssVectors, CvssError, severityFromScore } from './cvss.js';
export { assessSeverity, headlineCvss, publishedVectors, scoreVectors, higher } from './severity.js';
export { prioritise, triageFromPriority } from './priority.js';
export { vulnerabilities } from './vulnerabilities.js';
