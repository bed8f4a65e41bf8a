/** Regulatory clocks: each kb regulation whose conditions hold becomes a dated deadline with its citation and trigger. */
import type { Deadline } from '../domain/index.js';
import type { Regulation } from '../knowledge/kb-schema.js';
import type { Kb } from '../knowledge/load-kb.js';
import { addBusinessDays } from './business-days.js';
import { type ConditionSubject, holds } from './conditions.js';
import { addDays, type EventContext } from './context.js';

const HOUR = 3_600_000;
const isoTime = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');
// A date is taken at its first instant: the earliest moment the clock can have started, so no deadline is shown late.
const instant = (d: string) => Date.parse(d.length === 10 ? `${d}T00:00:00Z` : d);

/** The same day `n` calendar months later, or the month's last day when it has no such day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(start: string, n: number): string {
  const t = new Date(instant(start));
  const y = t.getUTCFullYear();
  const m = t.getUTCMonth() + n;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const out = new Date(Date.UTC(y, m, Math.min(t.getUTCDate(), last), t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds()));
  return start.length === 10 ? out.toISOString().slice(0, 10) : isoTime(out.getTime());
}

/** Due date of a clock of `amount` `unit`s from `start` (a date, or a timestamp when an hour clock came before). */
export function dueFrom(start: string, amount: number, unit: Regulation['clock']['unit']): string {
  switch (unit) {
    case 'hours': return isoTime(instant(start) + amount * HOUR);
    case 'days': return start.length === 10 ? addDays(start, amount) : isoTime(instant(start) + amount * 24 * HOUR);
    case 'business-days': return addBusinessDays(start, amount);
    case 'months': return addMonths(start, amount);
  }
}

const UNIT_LABEL: Record<Regulation['clock']['unit'], [string, string]> = {
  hours: ['hour', 'hours'], days: ['calendar day', 'calendar days'], 'business-days': ['business day', 'business days'], months: ['month', 'months'],
};

/** "72 hours", "1 month", "4 business days". */
export function unitText(amount: number, unit: Regulation['clock']['unit']): string {
  const [one, many] = UNIT_LABEL[unit];
  return `${amount} ${amount === 1 ? one : many}`;
}

/** Whether a count threshold allows the clock: null when the count is unknown, so the note says it applies only conditionally. */
function threshold(reg: Regulation, count: number | null): { applies: boolean; note: string } {
  const a = reg.affected;
  if (!a) return { applies: true, note: '' };
  const range = a.min !== undefined ? `${a.min.toLocaleString('en-US')} or more` : `fewer than ${((a.max ?? 0) + 1).toLocaleString('en-US')}`;
  if (count === null) return { applies: true, note: ` Applies only when ${range} individuals are affected; the reporting states no count.` };
  const inside = (a.min === undefined || count >= a.min) && (a.max === undefined || count <= a.max);
  return { applies: inside, note: ` Applies: ${count.toLocaleString('en-US')} affected, ${range}.` };
}

export function deadlines(kb: Kb, subject: ConditionSubject, ctx: EventContext): Deadline[] {
  const out: Deadline[] = [];
  const dueById = new Map<string, Deadline>();
  const count = subject.facts.affectedCount?.value ?? null;
  for (const reg of kb.regulations) {
    if (!holds(reg.when, subject)) continue;
    const limit = threshold(reg, count);
    if (!limit.applies) continue;
    const previous = reg.clock.after ? dueById.get(reg.clock.after) : undefined;
    // A follow-up report whose first clock does not apply has nothing to follow.
    if (reg.clock.after && !previous) continue;
    // Your clock starts when you could have known: public disclosure at the earliest. A vendor's own
    // obligation runs from its discovery, when the reporting states it.
    const fromVendor = reg.clock.from === 'vendor-discovery' && ctx.discovered !== null;
    const discovered = fromVendor ? (ctx.discovered as string) : (ctx.disclosed ?? ctx.asOf);
    const start = previous ? previous.due
      : reg.clock.from === 'discovery-year-end' ? `${discovered.slice(0, 4)}-12-31`
      : discovered;
    const { amount, unit } = reg.clock;
    const due = dueFrom(start, amount, unit);
    const basis = previous ? `the latest date the ${previous.citation} step is due`
      : fromVendor ? "the vendor's stated discovery date"
      : reg.clock.from === 'discovery-year-end' ? `the end of the calendar year of discovery (discovery taken as ${discovered})`
      : reg.clock.from === 'disclosure' ? 'public disclosure'
      : 'public disclosure, the earliest date your organisation could have discovered it';
    const deadline: Deadline = {
      regime: reg.regime,
      citation: reg.citation,
      trigger: `${reg.trigger} Counted here from ${start} (${basis}); recount from your own dates.`,
      startDate: start,
      due,
      note: `${unitText(amount, unit)}.${limit.note}${due.slice(0, 10) < ctx.asOf ? ` Past due as of ${ctx.asOf}.` : ''} ${reg.note}`,
    };
    dueById.set(reg.id, deadline);
    out.push(deadline);
  }
  return out;
}
