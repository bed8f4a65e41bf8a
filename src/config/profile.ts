/** The team's profile: who we are and what we run, which drives relevance, regimes and which controls are shown. */
import fs from 'node:fs';
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import YAML from 'yaml';

const Id = Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$' });

export const ProfileSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ description: 'The organisation, for display.' })),
    sectors: Type.Array(Id, { default: [] }),
    jurisdictions: Type.Array(Id, { default: [], description: 'us, eu, us-ny, us-ca...' }),
    regimes: Type.Array(Id, { default: [], description: 'hipaa, pci-dss, sec, nydfs, gdpr, nis2, circia...' }),
    vendors: Type.Array(Type.String(), { default: [], description: 'Vendors and SaaS in use.' }),
    products: Type.Array(Type.String(), {
      default: [],
      description: 'Products in use, as CPE 2.3 names (cpe:2.3:a:vendor:product:version:...) or plain names with an optional version ("FortiOS 7.2").',
    }),
    // Optional so that profiles built in code before this field existed stay valid; read it as `?? []`.
    internetFacing: Type.Optional(Type.Array(Type.String(), { default: [], description: 'Products or services the team exposes to the internet (names or CPE).' })),
    tools: Type.Array(Id, { default: [], description: 'Tools the team has: siem, edr, pam, dlp, grc, vendor-risk.' }),
    tenant: Type.Optional(Type.String({ description: 'The IdP or tenant host used in commands (e.g. example.okta.com).' })),
    teamSize: Type.Optional(Type.Integer({ minimum: 1 })),
    missionPrevalence: Type.Optional(Type.Union([Type.Literal('minimal'), Type.Literal('support'), Type.Literal('essential')], {
      description: "SSVC Mission Prevalence: how much the team's mission depends on the affected systems, in general.",
    })),
    publicWellbeing: Type.Optional(Type.Union([Type.Literal('minimal'), Type.Literal('material'), Type.Literal('irreversible')], {
      description: 'SSVC Public Well-being Impact of a compromise: physical, psychological or financial harm to people.',
    })),
    missionWellbeing: Type.Optional(Type.Union([Type.Literal('low'), Type.Literal('medium'), Type.Literal('high')], {
      description: 'SSVC Mission and Well-being Impact, set directly; otherwise read from the two settings above (kb/ssvc.yaml).',
    })),
  },
  { additionalProperties: false },
);
export type Profile = Static<typeof ProfileSchema>;

export const ENTERPRISE_TOOLS = ['siem', 'edr', 'pam', 'dlp', 'grc', 'vendor-risk'] as const;

/** The enterprise tools the profile does not list: the ones compensating controls stand in for. */
export function lackedTools(profile: Profile): string[] {
  return ENTERPRISE_TOOLS.filter((t) => !profile.tools.includes(t));
}

export interface ProductRef {
  /** As written in the profile. */
  readonly text: string;
  readonly vendor: string | null;
  readonly product: string;
  /** null: any version. */
  readonly version: string | null;
}

const CPE_ANY = new Set(['*', '-', '']);
const cpePart = (s: string | undefined) => (s === undefined || CPE_ANY.has(s) ? null : s.replace(/\\(.)/g, '$1').replace(/_/g, ' '));

/** A profile product: a CPE 2.3 name split into vendor, product and version, or a plain name whose last word may be a version. */
export function productRef(text: string): ProductRef {
  const t = text.trim();
  if (/^cpe:2\.3:[aho]:/i.test(t)) {
    // Colons escaped with a backslash belong to the value, not the separator.
    const parts = t.split(/(?<!\\):/);
    return { text: t, vendor: cpePart(parts[3]), product: cpePart(parts[4]) ?? t, version: cpePart(parts[5]) };
  }
  const m = /^(.*\S)\s+v?(\d+(?:\.[0-9a-z]+)*)$/i.exec(t);
  return m ? { text: t, vendor: null, product: m[1], version: m[2] } : { text: t, vendor: null, product: t, version: null };
}

export class ProfileError extends Error {
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super(`profile: ${file}: ${message}`, options);
    this.name = 'ProfileError';
  }
}

export function parseProfile(value: unknown, file = 'profile'): Profile {
  const withDefaults = Value.Default(ProfileSchema, structuredClone(value ?? {}));
  const first = Value.Errors(ProfileSchema, withDefaults).First();
  if (first) throw new ProfileError(file, `${first.path || '(root)'}: ${first.message}`);
  return withDefaults as Profile;
}

export function loadProfile(file: string): Profile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ProfileError(file, 'cannot be read', { cause });
  }
  try {
    return parseProfile(YAML.parse(text), file);
  } catch (cause) {
    if (cause instanceof ProfileError) throw cause;
    throw new ProfileError(file, `is not valid YAML or JSON: ${(cause as Error).message.split('\n')[0]}`, { cause });
  }
}
