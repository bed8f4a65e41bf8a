/** Finds countries in text (names, short forms, demonyms from kb/countries.yaml) and the part each plays: victim, attributed actor or location. */
import type { Confidence, CountryFact, CountryRole } from '../domain/index.js';
import type { Country } from '../knowledge/kb-schema.js';
import { evidenceOf } from './evidence.js';
import type { Sentence } from './sentences.js';

interface Matcher {
  readonly re: RegExp;
  readonly byName: ReadonlyMap<string, Country>;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const compiled = new WeakMap<readonly Country[], Matcher>();

function matcher(countries: readonly Country[]): Matcher {
  let m = compiled.get(countries);
  if (m) return m;
  const byName = new Map<string, Country>();
  for (const c of countries) for (const n of [c.name, ...(c.aliases ?? []), ...(c.demonyms ?? [])]) byName.set(n, c);
  // Longest first, so "Papua New Guinea" wins over "Guinea" and "South Korean" over nothing shorter.
  const names = [...byName.keys()].sort((a, b) => b.length - a.length).map(escape);
  m = { re: new RegExp(`(?<![\\p{L}\\p{N}.])(?:${names.join('|')})(?![\\p{L}\\p{N}]|\\.\\p{L})`, 'gu'), byName };
  compiled.set(countries, m);
  return m;
}

const ACTOR_AFTER = new RegExp(
  String.raw`^(?:-|\s)(?:state[- ])?(?:linked|backed|sponsored|nexus|aligned|affiliated|attributed|based (?:hackers?|hacking|threat|apt|actors?|groups?|gangs?))\b`
  + String.raw`|^(?:’s|'s)?\s+(?:state[- ]sponsored\s+|state[- ]backed\s+|government[- ]backed\s+|nation[- ]state\s+|military\s+|intelligence\s+|cyber\s*)*`
  + String.raw`(?:hackers?|threat actors?|actors?|APT\d*s?|APT groups?|hacking (?:groups?|crews?|teams?)|hacker groups?|(?:cyber)?\s?espionage|spies|spy agenc(?:y|ies)|intelligence (?:services?|agenc(?:y|ies))|hacktivists?|operatives|cybercriminals?|(?:ransomware )?gangs?|threat groups?|adversar(?:y|ies)|nation[- ]state (?:actors?|hackers?|groups?)|state hackers|(?:military )?intelligence)\b`,
  'i',
);
const ACTOR_BEFORE = /(?:attributed (?:it )?to|linked to|tied to|backed by|sponsored by|on behalf of|working for|operating (?:out of|from)|originat\w+ (?:in|from)|suspected of (?:working|acting) for)\s+(?:the\s+)?$/i;
const VICTIM_AFTER = new RegExp(
  String.raw`^(?:’s|'s)?\s+(?:(?:national|government(?:al)?|federal|state|public[- ]sector|private[- ]sector|military|defen[cs]e|telecom(?:munication)?s?|energy|financial|critical[- ]infrastructure|semiconductor|healthcare|diplomatic|academic|[a-z]+)\s+){0,2}`
  + String.raw`(?:organi[sz]ations?|entities|companies|firms|agencies|ministries|institutions|targets|victims|users|customers|businesses|networks|sectors?|industry|industries|officials|diplomats|banks|hospitals|universities|enterprises|infrastructure|government|agency|orgs|departments?|services?|authorit(?:y|ies)|ministry|police|courts?|makers?|manufacturers?|plants?|suppliers?|providers?|operators?|airlines?|chains?|retailers?|fashion houses?|houses?)\b`,
  'i',
);
const VICTIM_BEFORE = new RegExp(
  String.raw`(?:\btarget(?:s|ed|ing)?|\battacks? (?:on|against)|\bagainst|\bvictims? (?:in|from|across)|\b(?:organi[sz]ations?|entities|companies|agencies|governments?|users|victims|targets|firms|businesses|ministries|sectors?|institutions|customers|hospitals|banks|networks|systems|servers|devices) (?:in|across|throughout|from|of)`
  + String.raw`|\bhit(?:ting)?|\bhack(?:s|ed|ing)?|\bbreach(?:ed|ing)?|\bcompromis(?:ed|ing)|\binfiltrat\w+|\bspy(?:ing)? on|\bcountries (?:such as|including|like))\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$`,
  'i',
);
// "in Kyiv, Ukraine": a city may stand between the preposition and its country.
const LOCATION_BEFORE = /\b(?:based in|headquartered in|located in|arrested in|detained in|extradited (?:to|from)|in|from|across|throughout|at)\s+(?:[A-Z][\w'-]+,\s+)?(?:the\s+)?$/;
const LOCATION_AFTER = /^-based\b|^,\s+(?:where|which)\b/i;
// "New Jersey", "New Mexico": a country name inside a longer place name.
const INSIDE_PLACE = /\b(?:New|Nova|West|East|Papua)\s+$/;

const CONFIDENCE: Record<CountryRole, Confidence> = { actor: 'high', victim: 'high', location: 'medium', mentioned: 'low' };
const RANK: Record<CountryRole, number> = { actor: 3, victim: 3, location: 2, mentioned: 1 };

function roleAt(text: string, a: number, b: number): { role: CountryRole; rule: string } {
  const before = text.slice(Math.max(0, a - 80), a);
  const after = text.slice(b, b + 80);
  if (ACTOR_AFTER.test(after) || ACTOR_BEFORE.test(before)) return { role: 'actor', rule: 'country:actor' };
  if (VICTIM_BEFORE.test(before) || VICTIM_AFTER.test(after)) return { role: 'victim', rule: 'country:victim' };
  if (LOCATION_BEFORE.test(before) || LOCATION_AFTER.test(after)) return { role: 'location', rule: 'country:location' };
  return { role: 'mentioned', rule: 'country:mentioned' };
}

/**
 * Each country once per role, at its first sentence in that role. A country in a list ("Taiwan, Japan and South Korea")
 * takes the role of the list's first member. A name that is also a word or a person (Georgia, Jordan, Chad) counts only
 * as an actor or a victim, where the phrasing makes it a country.
 */
export function findCountries(sentences: readonly Sentence[], countries: readonly Country[]): CountryFact[] {
  if (countries.length === 0) return [];
  const { re, byName } = matcher(countries);
  const out = new Map<string, CountryFact & { at: number }>();
  for (const s of sentences) {
    let prev: { end: number; role: CountryRole; rule: string } | null = null;
    for (const m of s.text.matchAll(re)) {
      const a = m.index ?? 0;
      const b = a + m[0].length;
      const country = byName.get(m[0])!;
      if (INSIDE_PLACE.test(s.text.slice(Math.max(0, a - 8), a))) continue;
      let { role, rule } = roleAt(s.text, a, b);
      if (prev && /^(?:\s*,\s*|,?\s+(?:and|or)\s+|\s*\/\s*)$/.test(s.text.slice(prev.end, a)) && RANK[prev.role] > RANK[role]) {
        ({ role, rule } = prev);
      }
      prev = { end: b, role, rule };
      if (country.ambiguous && role !== 'actor' && role !== 'victim') continue;
      const key = `${country.code}|${role}`;
      if (out.has(key)) continue;
      out.set(key, {
        code: country.code, name: country.name, role, matched: m[0], evidence: evidenceOf(s, rule), confidence: CONFIDENCE[role], at: s.start + a,
      });
    }
  }
  // A country stated as victim, actor or location needs no second, bare "mentioned" entry.
  const placed = new Set([...out.values()].filter((c) => c.role !== 'mentioned').map((c) => c.code));
  return [...out.values()]
    .filter((c) => c.role !== 'mentioned' || !placed.has(c.code))
    .sort((x, y) => x.at - y.at)
    .map(({ at, ...c }) => c);
}
