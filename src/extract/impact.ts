/** Reads the stated impact: how long operations were disrupted and how many people or records were affected. */
import type { Facts } from '../domain/index.js';
import { evidenceOf } from './evidence.js';
import { NUMBER_WORD, parseNumber } from './numbers.js';
import type { Sentence } from './sentences.js';

const DISRUPTION = /\b(disrupt|outage|offline|shut (?:down|off)|halt|stopp?ed|down(?:time)?|unavailable|diverted|suspend|paused|idled?|knocked out)/i;
const DURATION = new RegExp(`\\b(?:for|of|lasting|after|about|nearly|roughly|more than|over)\\s+(?:about |nearly |roughly |more than |over )?(${NUMBER_WORD})[- ](days?|weeks?|hours?)\\b`, 'i');
const DAYS_LONG = new RegExp(`\\b(${NUMBER_WORD})-(day|week|hour) (?:outage|disruption|shutdown|halt|stoppage)`, 'i');
const PEOPLE = /\b(\d{1,3}(?:,\d{3})+|\d{3,}|\d+(?:\.\d+)? million)\s+(?:of its |of their )?(?:current and former )?(patients|individuals|people|customers|users|members|employees|records|accounts|students)\b/gi;

function toDays(amount: number, unit: string): number {
  if (unit.startsWith('week')) return amount * 7;
  if (unit.startsWith('hour')) return Math.round((amount / 24) * 10) / 10;
  return amount;
}

export function findDisruption(sentences: readonly Sentence[]): Facts['disruption'] {
  for (const s of sentences) {
    if (!DISRUPTION.test(s.text)) continue;
    if (/\bnot (been )?(interrupted|disrupted|affected)|no (operational )?(disruption|impact)/i.test(s.text)) continue;
    const m = DAYS_LONG.exec(s.text) ?? DURATION.exec(s.text);
    const amount = m ? parseNumber(m[1]) : null;
    if (m && amount !== null) return { days: toDays(amount, m[2].toLowerCase()), evidence: evidenceOf(s, 'impact:disruption-duration') };
  }
  for (const s of sentences) {
    if (/\b(operations|production|systems|services|plants?|facilit(y|ies))\b.*\b(disrupted|offline|shut down|halted|stopped)\b/i.test(s.text)) {
      return { days: null, evidence: evidenceOf(s, 'impact:disruption') };
    }
  }
  return null;
}

export function findAffectedCount(sentences: readonly Sentence[]): Facts['affectedCount'] {
  let best: Facts['affectedCount'] = null;
  for (const s of sentences) {
    for (const m of s.text.matchAll(PEOPLE)) {
      const raw = m[1].toLowerCase();
      const value = raw.endsWith('million') ? Math.round(Number.parseFloat(raw) * 1_000_000) : Number(raw.replace(/,/g, ''));
      // Years and version-like numbers are not head counts.
      if (!Number.isFinite(value) || (value >= 1900 && value <= 2100 && !raw.includes(','))) continue;
      if (!best || value > best.value) best = { value, evidence: evidenceOf(s, 'impact:affected-count') };
    }
  }
  return best;
}
