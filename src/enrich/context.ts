/** The event context every enrichment reads: who, what product, which window, which dates, derived once from the facts. */
import type { Document, Facts, Organisation } from '../domain/index.js';
import type { Profile } from '../config/profile.js';
import type { TemplateValues } from '../knowledge/template.js';

export interface EventContext {
  readonly victims: readonly string[];
  readonly vendor: string | null;
  readonly product: string | null;
  readonly products: readonly string[];
  readonly actor: string | null;
  readonly cves: readonly string[];
  readonly windowStart: string | null;
  readonly windowEnd: string | null;
  readonly discovered: string | null;
  /** Public disclosure: the earliest stated disclosure, else the first source's publication. */
  readonly disclosed: string | null;
  readonly asOf: string;
  readonly dataTypes: readonly string[];
  readonly iocCount: number;
}

const DAY = 86_400_000;
export function addDays(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate.slice(0, 10)}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

function names(orgs: readonly Organisation[], role: Organisation['role']): string[] {
  return [...new Set(orgs.filter((o) => o.role === role).map((o) => o.name))];
}

export function eventContext(facts: Facts, documents: readonly Document[], asOf: string, benignIocs: number): EventContext {
  const window = facts.dates.find((d) => d.kind === 'event-window' && d.end) ?? facts.dates.find((d) => d.kind === 'event-window');
  const discovered = facts.dates.find((d) => d.kind === 'discovered');
  const published = documents.map((d) => d.published).filter((p): p is string => !!p).sort()[0] ?? null;
  const disclosed = facts.dates.filter((d) => d.kind === 'disclosed').map((d) => d.date).sort()[0];
  const vendors = names(facts.organisations, 'vendor');
  const victims = names(facts.organisations, 'victim');
  const actors = facts.actors.map((a) => a.label).concat(names(facts.organisations, 'actor'));
  const firstDisclosure = [disclosed, published?.slice(0, 10)].filter((d): d is string => !!d).sort()[0] ?? null;
  return {
    victims,
    vendor: vendors[0] ?? null,
    product: facts.products[0]?.name ?? null,
    products: facts.products.map((p) => p.name),
    actor: actors[0] ?? null,
    cves: facts.cves.map((c) => c.id),
    windowStart: window?.date ?? null,
    windowEnd: window?.end ?? null,
    discovered: discovered?.date ?? null,
    // A disclosure "date" after publication is a later mention, not the disclosure.
    disclosed: published && firstDisclosure && firstDisclosure > published.slice(0, 10) ? published.slice(0, 10) : firstDisclosure,
    asOf,
    dataTypes: facts.dataTypes.map((d) => d.label),
    iocCount: facts.iocs.length - benignIocs,
  };
}

function list(items: readonly string[], fallback: string): string {
  if (items.length === 0) return fallback;
  if (items.length === 1) return items[0];
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The values kb templates are filled with; each unknown fact reads as a plain phrase, never as a blank. */
export function templateValues(ctx: EventContext, profile: Profile | null): TemplateValues {
  // Without a stated window, look back 30 days before disclosure: long enough for most dwell times in news reports.
  const anchor = ctx.disclosed ?? ctx.asOf;
  const lookbackStart = ctx.windowStart ? addDays(ctx.windowStart, -7) : addDays(anchor, -30);
  const windowEnd = ctx.windowEnd ?? ctx.disclosed ?? ctx.asOf;
  return {
    victim: list(ctx.victims.slice(0, 3), 'the affected organisation'),
    vendor: ctx.vendor ?? 'the vendor (not named in the reporting)',
    product: ctx.product ?? (ctx.vendor ? 'its service' : 'the affected product'),
    products: list(ctx.products.slice(0, 4), ctx.product ?? 'the affected products'),
    actor: ctx.actor ?? 'the unattributed actor',
    cves: list([...ctx.cves], 'the reported vulnerability (no CVE assigned yet)'),
    window: ctx.windowStart ? `${ctx.windowStart} to ${windowEnd}` : `${lookbackStart} to ${windowEnd}`,
    windowStart: ctx.windowStart ?? lookbackStart,
    windowEnd,
    lookbackStart,
    disclosed: ctx.disclosed ?? `an undisclosed date (as of ${ctx.asOf})`,
    discovered: ctx.discovered ?? `an undisclosed date (as of ${ctx.asOf})`,
    asOf: ctx.asOf,
    dataTypes: list([...ctx.dataTypes].map((d) => d.toLowerCase()), 'data of undetermined type'),
    iocCount: String(ctx.iocCount),
    tenant: profile?.tenant ?? 'your identity provider tenant',
    // In commands: the profile's tenant host, else a marker the analyst replaces before running.
    tenantHost: profile?.tenant ?? '<your-tenant-host>',
  };
}
