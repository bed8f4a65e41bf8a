/** Reads the dates feeds carry (RFC 822 and its real-world variants, US month-first forms, ISO 8601) into UTC ISO 8601. */
import { toIsoDate } from '../../ingest/dates.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** Offsets in minutes of the zone names feeds actually write; RFC 822's US zones first. */
const ZONES: Record<string, number> = {
  ut: 0, utc: 0, gmt: 0, z: 0,
  est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
  akst: -540, akdt: -480, hst: -600, bst: 60, cet: 60, cest: 120, eet: 120, eest: 180, wet: 0, west: 60,
  jst: 540, kst: 540, aest: 600, aedt: 660, nzst: 720, nzdt: 780,
};

function month(word: string): number | null {
  const w = word.toLowerCase().replace(/\.$/, '');
  const i = MONTHS.indexOf(w.slice(0, 3));
  return i >= 0 && (w.length === 3 || MONTH_NAMES[i].startsWith(w) || w === 'sept') ? i : null;
}

/** Minutes east of UTC, or null for a zone that is not one. An unknown zone name reads as UTC, as RFC 2822 §4.3 says. */
function zoneOffset(zone: string): number | null {
  const z = zone.trim();
  if (z === '') return 0;
  const numeric = /^(?:(?:GMT|UTC|UT)\s*)?([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(z);
  if (numeric) {
    const minutes = Number(numeric[2]) * 60 + Number(numeric[3] ?? 0);
    return minutes > 14 * 60 ? null : (numeric[1] === '-' ? -minutes : minutes);
  }
  if (/^\(?[A-Za-z]{1,5}\)?$/.test(z)) return ZONES[z.replace(/[()]/g, '').toLowerCase()] ?? 0;
  return null;
}

/** RFC 2822 §4.3: a two-digit year 00-49 is 20xx, 50-99 is 19xx. */
function fullYear(year: string): number {
  const y = Number(year);
  return year.length === 2 ? (y < 50 ? 2000 + y : 1900 + y) : y;
}

interface Parts { year: number; month: number; day: number; hour: number; minute: number; second: number; offset: number }

function toIso(p: Parts): string | null {
  if (p.hour > 23 || p.minute > 59 || p.second > 60 || p.day < 1) return null;
  const local = Date.UTC(p.year, p.month, p.day, p.hour, p.minute, Math.min(p.second, 59));
  // Date.UTC rolls 31 Feb over into March: a day the month does not have is a broken date, not a later one.
  if (new Date(local).getUTCDate() !== p.day) return null;
  return new Date(local - p.offset * 60_000).toISOString();
}

const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(?:([AaPp])\.?[Mm]\.?)?`;
// "Wed, 23 Jul 2025 14:03:00 EDT", "23 Jul 25 14:03 +0100", "02 Jul 2025 13:14:54", "23-Jul-2025".
const DAY_FIRST = new RegExp(String.raw`^(?:[A-Za-z]+\.?,?\s*)?(\d{1,2})[\s-]+([A-Za-z]+\.?),?[\s-]+(\d{4}|\d{2})(?:(?:,?\s+|T)${TIME})?\s*(.*)$`);
// "Jul 23, 2025 00:00:00-0500", "Wednesday, July 23rd, 2025 10:00 AM EDT".
const MONTH_FIRST = new RegExp(String.raw`^(?:[A-Za-z]+\.?,?\s+)?([A-Za-z]+\.?)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:(?:,?\s+|T)${TIME})?\s*(.*)$`);

function fromMatch(m: RegExpExecArray, dayIndex: number, monthIndex: number): string | null {
  const mon = month(m[monthIndex]);
  const offset = zoneOffset(m[8]);
  if (mon === null || offset === null) return null;
  let hour = Number(m[4] ?? 0);
  if (m[7]) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (m[7].toLowerCase() === 'p' ? 12 : 0);
  }
  return toIso({ year: fullYear(m[3]), month: mon, day: Number(m[dayIndex]), hour, minute: Number(m[5] ?? 0), second: Number(m[6] ?? 0), offset });
}

/**
 * A feed date as ISO 8601 UTC, or null when it cannot be read. A date without a zone is read as UTC: the host's
 * zone must never move a publication date (Date.parse would read "02 Jul 2025 13:14:54" in local time).
 */
export function feedDate(value: string | null | undefined): string | null {
  // No date form is longer than this; a longer "date" is junk, and is not run through the patterns.
  if (!value || value.length > 120) return null;
  const v = value.trim().replace(/\s+/g, ' ');
  if (!v) return null;
  if (/^\d{4}-\d{2}-\d{2}/.test(v)) return toIsoDate(v.replace(/^(.+?) ([+-]\d{2}:?\d{2}|Z)$/i, '$1$2'));
  const dayFirst = DAY_FIRST.exec(v);
  if (dayFirst) return fromMatch(dayFirst, 1, 2);
  const monthFirst = MONTH_FIRST.exec(v);
  if (monthFirst) return fromMatch(monthFirst, 2, 1);
  return null;
}
