/** A filter over items, written as URL query parameters, so that a feed URL is a saved filter a feed reader can subscribe to. */
import type { Item } from '../domain/index.js';
import { SEVERITIES, type Severity } from '../domain/index.js';

export interface ItemFilter {
  readonly minSeverity?: Severity;
  readonly minPriority?: number;
  readonly archetype?: string;
  readonly sector?: string;
  readonly vendor?: string;
  readonly cve?: string;
  readonly text?: string;
}

export class FilterError extends Error {}

/** Reads ?severity=HIGH&priority=0.5&archetype=ransomware&sector=healthcare&vendor=ironvale&cve=CVE-…&q=words, refusing bad values by name. */
export function parseFilter(query: (name: string) => string | undefined): ItemFilter {
  const severity = query('severity')?.toUpperCase();
  if (severity !== undefined && !SEVERITIES.includes(severity as Severity)) throw new FilterError(`severity must be one of ${SEVERITIES.join(', ')}`);
  const rawPriority = query('priority');
  const priority = rawPriority === undefined ? undefined : Number(rawPriority);
  if (priority !== undefined && !(priority >= 0 && priority <= 1)) throw new FilterError('priority must be a number from 0 to 1');
  const cve = query('cve')?.toUpperCase();
  if (cve !== undefined && !/^CVE-\d{4}-\d{4,19}$/.test(cve)) throw new FilterError('cve must be a CVE id');
  const text = (name: string) => query(name)?.trim().toLowerCase().slice(0, 200) || undefined;
  return { minSeverity: severity as Severity | undefined, minPriority: priority, archetype: text('archetype'), sector: text('sector'), vendor: text('vendor'), cve, text: text('q') };
}

export function matchesFilter(item: Item, f: ItemFilter): boolean {
  if (f.minSeverity && SEVERITIES.indexOf(item.severity.level) > SEVERITIES.indexOf(f.minSeverity)) return false;
  if (f.minPriority !== undefined && item.priority.value < f.minPriority) return false;
  if (f.archetype && item.archetype.id !== f.archetype && item.archetype.label.toLowerCase() !== f.archetype) return false;
  if (f.sector && item.sector?.id !== f.sector && item.sector?.label.toLowerCase() !== f.sector) return false;
  if (f.vendor && !item.facts.organisations.some((o) => o.name.toLowerCase().includes(f.vendor!))) return false;
  if (f.cve && !item.vulnerabilities.some((v) => v.cve === f.cve)) return false;
  if (f.text && !`${item.title}\n${item.summary.join(' ')}`.toLowerCase().includes(f.text)) return false;
  return true;
}
