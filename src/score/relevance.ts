/** Relevance to the team ("affects us"): which of the profile's products, internet-facing assets, vendors or sector an item involves. */
import type { Facts } from '../domain/index.js';
import { type Profile, productRef } from '../config/profile.js';
import type { PriorityWeights } from '../knowledge/kb-schema.js';

export type RelevanceMatch = 'internetFacing' | 'product' | 'vendor' | 'sector' | 'none' | 'noProfile';

export interface Relevance {
  readonly match: RelevanceMatch;
  readonly value: number;
  readonly reason: string;
  /** A product, asset or vendor of the profile is involved (the sector alone is not "us"). */
  readonly affectsUs: boolean;
}

export interface RelevanceInput {
  readonly facts: Facts;
  readonly profile: Profile | null;
  readonly sector: string | null;
  /** The documents' text, lower-cased: a profile's vendor may be named without being recognised as an organisation. */
  readonly text: string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// Word-bounded, so a profile vendor "Okta" is not found inside "Oktaberfest" and "SAP" not inside "sapphire".
const named = (text: string, name: string) => name.trim().length >= 2 && new RegExp(`(^|[^a-z0-9])${escape(name.trim().toLowerCase())}($|[^a-z0-9])`).test(text);

/** A profile product is involved when the facts or the text name it; its version, when given, is checked against the versions stated. */
function productInvolved(entry: string, input: RelevanceInput): string | null {
  const ref = productRef(entry);
  const product = ref.product.toLowerCase();
  const fact = input.facts.products.find((p) => named(p.name.toLowerCase(), product) || named(product, p.name.toLowerCase()));
  if (!fact && !named(input.text, product)) return null;
  if (!ref.version) return `${entry}`;
  const versions = fact?.versions ?? [];
  if (versions.length === 0) return `${entry} (the reporting names no version, so check yours)`;
  const hit = versions.find((v) => v === ref.version || v.startsWith(`${ref.version}.`) || ref.version?.startsWith(`${v}.`));
  return hit ? `${entry} (version ${hit} is named)` : `${entry} (the versions named are ${versions.join(', ')}; confirm yours is not affected)`;
}

function vendorInvolved(vendor: string, input: RelevanceInput): boolean {
  const v = vendor.toLowerCase();
  const names = [...input.facts.organisations.map((o) => o.name), ...input.facts.products.map((p) => p.vendor ?? '')].map((n) => n.toLowerCase()).filter(Boolean);
  return names.some((n) => named(n, v) || named(v, n)) || named(input.text, v);
}

/** The documented tiers of kb/priority.yaml (values.relevance), strongest first. */
export function relevanceTo(input: RelevanceInput, weights: PriorityWeights): Relevance {
  const r = weights.values.relevance;
  const { profile, sector } = input;
  if (!profile) return { match: 'noProfile', value: r.noProfile, reason: 'no team profile configured (neutral relevance)', affectsUs: false };
  for (const asset of profile.internetFacing ?? []) {
    const hit = productInvolved(asset, input);
    if (hit) return { match: 'internetFacing', value: r.internetFacing, reason: `the profile lists ${hit} as internet-facing`, affectsUs: true };
  }
  for (const product of profile.products) {
    const hit = productInvolved(product, input);
    if (hit) return { match: 'product', value: r.product, reason: `the profile runs ${hit}`, affectsUs: true };
  }
  for (const vendor of profile.vendors) {
    if (vendorInvolved(vendor, input)) return { match: 'vendor', value: r.vendor, reason: `the profile lists ${vendor} as a vendor in use`, affectsUs: true };
  }
  for (const product of profile.products) {
    const vendor = productRef(product).vendor;
    if (vendor && vendorInvolved(vendor, input)) return { match: 'vendor', value: r.vendor, reason: `the profile runs ${product}, from ${vendor}`, affectsUs: true };
  }
  if (sector && profile.sectors.includes(sector)) return { match: 'sector', value: r.sector, reason: `same sector as the profile (${sector})`, affectsUs: false };
  return { match: 'none', value: r.none, reason: 'no vendor, product, internet-facing asset or sector of the profile is involved', affectsUs: false };
}
