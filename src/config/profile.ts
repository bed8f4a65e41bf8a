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
    products: Type.Array(Type.String(), { default: [] }),
    tools: Type.Array(Id, { default: [], description: 'Tools the team has: siem, edr, pam, dlp, grc, vendor-risk.' }),
    tenant: Type.Optional(Type.String({ description: 'The IdP or tenant host used in commands (e.g. example.okta.com).' })),
    teamSize: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
export type Profile = Static<typeof ProfileSchema>;

export const ENTERPRISE_TOOLS = ['siem', 'edr', 'pam', 'dlp', 'grc', 'vendor-risk'] as const;

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
