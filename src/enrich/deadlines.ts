/** Regulatory clocks: each kb regulation whose conditions hold becomes a dated deadline with its citation and trigger. */
import type { Deadline } from '../domain/index.js';
import type { Kb } from '../knowledge/load-kb.js';
import { addBusinessDays } from './business-days.js';
import { type ConditionSubject, holds } from './conditions.js';
import { addDays, type EventContext } from './context.js';

export function deadlines(kb: Kb, subject: ConditionSubject, ctx: EventContext): Deadline[] {
  const out: Deadline[] = [];
  for (const reg of kb.regulations) {
    if (!holds(reg.when, subject)) continue;
    // The team discovers the event at the earliest when it is made public; the vendor's own discovery date is the vendor's clock.
    // Your clock starts when you could have known: public disclosure at the earliest. A vendor's own
    // obligation runs from its discovery, when the reporting states it.
    const fromVendor = reg.clock.from === 'vendor-discovery' && ctx.discovered !== null;
    const start = fromVendor ? (ctx.discovered as string) : (ctx.disclosed ?? ctx.asOf);
    const { amount, unit } = reg.clock;
    const due =
      unit === 'days' ? addDays(start, amount)
      : unit === 'business-days' ? addBusinessDays(start, amount)
      : new Date(Date.parse(`${start}T00:00:00Z`) + amount * 3_600_000).toISOString().replace('.000Z', 'Z');
    const unitLabel = unit === 'business-days' ? 'business days' : unit;
    out.push({
      regime: reg.regime,
      citation: reg.citation,
      trigger: `${reg.trigger} Counted here from ${start} (${fromVendor ? "the vendor's stated discovery date" : reg.clock.from === 'disclosure' ? 'public disclosure' : 'public disclosure, the earliest date your organisation could have discovered it'}); recount from your own dates.`,
      startDate: start,
      due,
      note: `${amount} ${unitLabel}.${due.slice(0, 10) < ctx.asOf ? ` Past due as of ${ctx.asOf}.` : ''} ${reg.note}`,
    });
  }
  return out;
}
