/** Finds dates and windows in text ("between March 1 and March 16, 2026", "on March 18", "since late March") and what they mark. */
import type { DateFact } from '../domain/index.js';
import { evidenceOf } from './evidence.js';
import type { Sentence } from './sentences.js';

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const DAY = '(\\d{1,2})(?:st|nd|rd|th)?';
const YEAR = '(?:,?\\s+(\\d{4}))?';

// Each pattern yields [startMonth, startDay, endMonth?, endDay, year] through named handling below.
const WINDOW_MD = new RegExp(`\\b(?:between|from)\\s+${MONTH}\\s+${DAY}${YEAR}\\s+(?:and|to|through|until)\\s+(?:${MONTH}\\s+)?${DAY}${YEAR}\\b`, 'gi');
const RANGE_MD = new RegExp(`\\b${MONTH}\\s+${DAY}\\s*[-–—]\\s*(?:${MONTH}\\s+)?${DAY}${YEAR}\\b`, 'gi');
const SINGLE_MD = new RegExp(`\\b${MONTH}\\s+${DAY}(?!\\d)${YEAR}\\b`, 'gi');
const SINGLE_DM = new RegExp(`\\b${DAY}\\s+${MONTH}${YEAR}\\b`, 'gi');
const ISO = /\b(20\d{2})-(\d{2})-(\d{2})\b/g;
// "from 2 to 9 May 2026", "between 28 April and 11 May": day before month, as British and European outlets write.
// Both have the same groups: start day, start month?, start year? (never, in a range), end day, end month, end year?.
const WINDOW_DM = new RegExp(`\\b(?:between|from)\\s+${DAY}(?:\\s+${MONTH})?${YEAR}\\s+(?:and|to|through|until|[-–—])\\s+${DAY}\\s+${MONTH}${YEAR}\\b`, 'gi');
const RANGE_DM = new RegExp(`\\b${DAY}(?:\\s+${MONTH})?()\\s*[-–—]\\s*${DAY}\\s+${MONTH}${YEAR}\\b`, 'gi');
const WEEKDAY = /\b(?:on|last)\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/gi;
const RELATIVE = /\b(yesterday|earlier (?:this|in the) (?:week|month)|last (?:week|month)|this week|past week|(?:the )?past (?:few|several|two|three) (?:days|weeks))\b/gi;
const APPROX = new RegExp(`\\b(?:since|in|from|during|by)\\s+(early|mid|late)[- ]${MONTH}${YEAR}\\b`, 'gi');

const DISCOVERED = /\b(discovered|detected|identified|became aware|learn(?:ed|t) (?:of|about)|noticed|spotted|was alerted|first saw|found (?:the|an?|signs|evidence))/i;
// "Said" dates what the company said happened, not when it was made public: only words of publication count.
const DISCLOSED = /\b(disclos|announc|notif(?:y|ied|ies|ication)|made public|went public|publicly|revealed|filed|published (?:a|an|its) (?:notice|statement|advisory|report)|issued (?:a|an) (?:advisory|statement|notice)|posted (?:a|an) (?:notice|statement))/i;
const ACTIVITY = /\b(access|intru|attack|activity|compromis|quer|exfiltrat|download|stole|copied|exploit|campaign|attempt|malicious|dwell|infect|breach|phish|lure|received (?:e-?mails?|messages)|deployed|logged in|signed in)/i;
// Private reports to a vendor are not public disclosure.
const PRIVATE = /\b(coordinat\w* disclosure|privately|responsibly disclosed|reported (?:it|the (?:flaw|issue|bug|vulnerability)) to|notified (?:the )?(?:maintainers?|vendor|developers?))/i;

function monthIndex(name: string): number {
  return MONTHS.findIndex((m) => m.startsWith(name.toLowerCase().slice(0, 3)));
}

function iso(year: number, month: number, day: number): string | null {
  if (month < 0 || month > 11 || day < 1 || day > 31) return null;
  const d = new Date(Date.UTC(year, month, day));
  if (d.getUTCMonth() !== month) return null;
  return d.toISOString().slice(0, 10);
}

/** A date without a year is taken in the document's year, or the year before when it would lie in the future. */
function inferYear(month: number, day: number, reference: Date): number {
  const y = reference.getUTCFullYear();
  const candidate = Date.UTC(y, month, day);
  return candidate > reference.getTime() + 7 * 86_400_000 ? y - 1 : y;
}

const DAY_MS = 86_400_000;
const isoOf = (t: number) => new Date(t).toISOString().slice(0, 10);
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** "On Monday" in a report: the latest Monday on or before its publication day. */
function lastWeekday(reference: Date, name: string): string {
  const day = Date.UTC(reference.getUTCFullYear(), reference.getUTCMonth(), reference.getUTCDate());
  const back = (reference.getUTCDay() - WEEKDAYS.indexOf(name.toLowerCase()) + 7) % 7;
  return isoOf(day - back * DAY_MS);
}

/** "Yesterday", "last week", "earlier this month": the days they cover, counted back from publication. */
function relativeWindow(reference: Date, phrase: string): [string, string] {
  const day = Date.UTC(reference.getUTCFullYear(), reference.getUTCMonth(), reference.getUTCDate());
  const monthStart = Date.UTC(reference.getUTCFullYear(), reference.getUTCMonth(), 1);
  if (phrase === 'yesterday') return [isoOf(day - DAY_MS), isoOf(day - DAY_MS)];
  if (phrase === 'last month') return [isoOf(Date.UTC(reference.getUTCFullYear(), reference.getUTCMonth() - 1, 1)), isoOf(monthStart - DAY_MS)];
  if (phrase.endsWith('month')) return [isoOf(monthStart), isoOf(day)];
  // Weeks are calendar weeks, Monday to Sunday.
  const monday = day - ((reference.getUTCDay() + 6) % 7) * DAY_MS;
  if (phrase === 'last week') return [isoOf(monday - 7 * DAY_MS), isoOf(monday - DAY_MS)];
  if (phrase.endsWith('this week') || phrase.endsWith('the week')) return [isoOf(monday), isoOf(day)];
  if (/(?:few|several|three) (?:days|weeks)/.test(phrase)) return [isoOf(day - (phrase.endsWith('weeks') ? 21 : 5) * DAY_MS), isoOf(day)];
  if (phrase.endsWith('two weeks')) return [isoOf(day - 14 * DAY_MS), isoOf(day)];
  if (phrase.endsWith('two days')) return [isoOf(day - 2 * DAY_MS), isoOf(day)];
  return [isoOf(day - 6 * DAY_MS), isoOf(day)];
}

function kindOf(sentence: string, window: boolean): DateFact['kind'] {
  if (window && ACTIVITY.test(sentence)) return 'event-window';
  if (/^correction|^update[d]?\b/i.test(sentence)) return 'mentioned';
  if (DISCOVERED.test(sentence)) return 'discovered';
  // A window with no attacker activity in its sentence is an outage or a schedule, not the event.
  if (window) return 'mentioned';
  if (DISCLOSED.test(sentence) && !PRIVATE.test(sentence)) return 'disclosed';
  return 'mentioned';
}

/** Without a publication date, the latest full date written in the text anchors year-less dates. */
function textReference(sentences: readonly Sentence[]): Date | null {
  let latest: number | null = null;
  for (const s of sentences) {
    for (const m of s.text.matchAll(SINGLE_MD)) {
      if (!m[3]) continue;
      const t = Date.UTC(Number(m[3]), monthIndex(m[1]), Number(m[2]));
      if (!Number.isNaN(t) && (latest === null || t > latest)) latest = t;
    }
  }
  return latest === null ? null : new Date(latest);
}

export function findDates(sentences: readonly Sentence[], published: string | null): DateFact[] {
  const reference = published ? new Date(published) : (textReference(sentences) ?? new Date(Date.UTC(2100, 0, 1)));
  const out: DateFact[] = [];
  for (const s of sentences) {
    const taken: [number, number][] = [];
    const overlaps = (a: number, b: number) => taken.some(([x, y]) => a < y && b > x);
    const add = (m: RegExpMatchArray, date: string | null, end: string | null, approximate: boolean, window: boolean, rule: string) => {
      const a = m.index ?? 0;
      const b = a + m[0].length;
      if (!date || overlaps(a, b)) return;
      taken.push([a, b]);
      // A weekday or "yesterday" is counted from publication, a guess the regulation clocks must not start from.
      const relative = rule === 'date:weekday' || rule === 'date:relative';
      const kind = relative && !window ? 'mentioned' : kindOf(s.text, window);
      out.push({ date, end, kind, approximate, evidence: evidenceOf(s, rule), ...(relative ? { confidence: 'medium' as const } : {}) });
    };
    const resolve = (monthName: string, day: string, year: string | undefined, fallbackYear?: number) => {
      const month = monthIndex(monthName);
      const d = Number(day);
      const y = year ? Number(year) : (fallbackYear ?? inferYear(month, d, reference));
      return iso(y, month, d);
    };
    for (const re of [WINDOW_MD, RANGE_MD]) {
      for (const m of s.text.matchAll(re)) {
        const endYear = m[6] ? Number(m[6]) : m[3] ? Number(m[3]) : undefined;
        const startMonth = m[1];
        const endMonth = m[4] ?? startMonth;
        const end = resolve(endMonth, m[5], m[6], endYear);
        const start = resolve(startMonth, m[2], m[3], endYear);
        add(m, start, end, false, true, re === WINDOW_MD ? 'date:window' : 'date:range');
      }
    }
    for (const re of [WINDOW_DM, RANGE_DM]) {
      for (const m of s.text.matchAll(re)) {
        // Groups: start day, start month?, start year?, end day, end month, end year?
        const endYear = m[6] ? Number(m[6]) : m[3] ? Number(m[3]) : undefined;
        const end = resolve(m[5], m[4], m[6], endYear);
        const start = resolve(m[2] ?? m[5], m[1], m[3], endYear ?? (end ? Number(end.slice(0, 4)) : undefined));
        add(m, start, end, false, true, re === WINDOW_DM ? 'date:window-dm' : 'date:range-dm');
      }
    }
    if (published) {
      for (const m of s.text.matchAll(WEEKDAY)) {
        add(m, lastWeekday(reference, m[1]), null, false, false, 'date:weekday');
      }
      for (const m of s.text.matchAll(RELATIVE)) {
        const [from, to] = relativeWindow(reference, m[1].toLowerCase());
        add(m, from, from === to ? null : to, from !== to, from !== to, 'date:relative');
      }
    }
    for (const m of s.text.matchAll(APPROX)) {
      const month = monthIndex(m[2]);
      const day = m[1].toLowerCase() === 'early' ? 1 : m[1].toLowerCase() === 'mid' ? 11 : 21;
      const year = m[3] ? Number(m[3]) : inferYear(month, day, reference);
      // "Since late March": the window runs to the report's publication.
      const since = /^since/i.test(m[0]);
      add(m, iso(year, month, day), since && published ? isoOf(reference.getTime()) : null, true, since, 'date:approximate');
    }
    for (const m of s.text.matchAll(SINGLE_MD)) add(m, resolve(m[1], m[2], m[3]), null, false, false, 'date:month-day');
    for (const m of s.text.matchAll(SINGLE_DM)) add(m, resolve(m[2], m[1], m[3]), null, false, false, 'date:day-month');
    for (const m of s.text.matchAll(ISO)) add(m, iso(Number(m[1]), Number(m[2]) - 1, Number(m[3])), null, false, false, 'date:iso');
  }
  // Dates the text states exactly come first, each group in text order: a reader looking for the event window takes
  // "between March 1 and March 16" over "earlier this month" or "since late June".
  return [...out.filter((d) => !d.approximate), ...out.filter((d) => d.approximate)];
}
