/** Finds organisations and products in text and the role each plays (victim, vendor, reporter, actor, responder, regulator). */
import type { Organisation, OrgRole, Product } from '../domain/index.js';
import { evidenceOf } from './evidence.js';
import { NamePattern } from './name-rules.js';
import { affectedVersions, versionRanges } from './products.js';
import type { Sentence } from './sentences.js';

const REGULATORS = /^(CISA|FBI|SEC|HHS|NSA|FTC|ENISA|NCSC|Europol|Interpol|Cybersecurity and Infrastructure Security Agency|Securities and Exchange Commission|Department of Health and Human Services|Federal Bureau of Investigation|Office for Civil Rights)$/;
const ORG_WORD = /^(Inc|Corp|Corporation|Co|LLC|Ltd|PLC|AG|GmbH|SA|Group|Holdings|Networks?|Systems|Technologies|Technology|Software|Security|Labs?|Cloud|Health|Healthcare|Medical|Medicine|Hospital|Clinic|Partners|Associates|Bank|Financial|Insurance|University|College|Components|Industries|Manufacturing|Logistics|Energy|Solutions|Services|Forensics|Escrow|Title|Communications|Telecom|Pharmaceuticals?|Foundation|Institute|Agency|Department|Council|Authority|Intelligence|Research|Analytics|Motors|Airlines?|Retail|Stores|Orthopedic|Family)$/;
const STOP = /^(The|A|An|This|That|These|Those|In|On|At|For|From|To|Of|And|But|Or|If|As|By|With|Under|After|Before|During|Since|While|When|Where|Asked|According|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December|Correction|Update|It|Its|They|We|He|She|Researchers|Customers|Patients|No|Not|Two|One|Three|Several|Some|All|Affected|Fixed|Version|Versions|Microsoft 365)$/;

// A name: capitalised words, allowing "&" and "of" inside ("and" joins two names more often than it names one).
const NAME = /\b([A-Z][A-Za-z0-9'’.-]*(?:\s+(?:&\s+|of\s+)?[A-Z][A-Za-z0-9'’.-]*){0,5})/g;

const FLAW = String.raw`(?:flaws?|vulnerabilit(?:y|ies)|bugs?|zero-days?|0-days?|security (?:flaws?|issues?|holes?))`;
/** The role patterns, each a function of the name pattern: exported so a test holds NamePattern to the plain regexes. */
export const ROLE_SOURCES: { role: OrgRole; re: (n: string) => RegExp; rule: string }[] = [
  { role: 'responder', rule: 'role:responder', re: (n) => new RegExp(`(engaged|hired|retained|brought in|working with) (the )?(forensic|incident[- ]response|cybersecurity|security) (firm|company|experts?) ${n}|${n},? (a|an|the) (forensic|incident[- ]response|cybersecurity) firm|engaged ${n}|(incident )?responders (at|from) ${n}|${n}(’s|'s)? (incident[- ]response|ir|dfir) (team|unit)`, 'i') },
  { role: 'reporter', rule: 'role:reporter', re: (n) => new RegExp(`researchers (at|from|with) ${n}|${n}(’s|'s)? (threat|security|research)? ?(researchers|analysts|experts|threat intelligence|unit \\d+)|according to (a (new )?(report|analysis) (published )?(by|from) )?${n}|${n} (reports:|reported|published|observed|said it observed)|${n} (said|says) (it |in a (new |(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(’s|'s)? )?(report|advisory|analysis|blog|bulletin|alert))|${n} (claims|claimed) [^.]{0,40}(attack|exploit|miscreants|hackers)|(report|advisory|analysis|research|findings) (published )?(from|by) (the )?${n}|(codenamed|named|dubbed|tracked|attributed)[^.]{0,80}\\bby (the )?${n}|${n} (has )?(disclosed|revealed|published|shared) (details|an? (new )?(report|advisory|analysis))|${n} (has )?(discovered|uncovered|identified) (a |an |four |new )`, 'i') },
  { role: 'actor', rule: 'role:actor', re: (n) => new RegExp(`${n} (ransomware )?(group|gang|crew|operators?|affiliates?|actors?)|(group|gang|actor)s? (known as|called|tracked as|dubbed) ${n}|${n} (claimed|has claimed|listed)`, 'i') },
  { role: 'victim', rule: 'role:victim', re: (n) => new RegExp(`(breach|attack|intrusion|incident|compromise) (at|on|against|of|affecting|involving) ([^.]{0,40} )?${n}|${n} (was|has been|had been|were) (hit|breached|attacked|compromised|targeted|struck|hacked)|${n} (breached|hacked|hit|attacked|compromised) by|${n} (disclosed|discloses|confirmed|reported|notified|announced|said) (a |an |that )?(data )?(breach|attack|incident|cyberattack|ransomware|intrusion|unauthori[sz]ed)|(affected|impacted|victim) [a-z ]*?,? ${n}|${n} (told|tells|began notifying|is notifying|notifies|notified) (its )?(patients|customers|employees|clients|members)|${n} (confirmed|said) [^.]{0,60}(received notice|affected|impacted|stolen|accessed|exposed)|customers?,? ${n}|${n},? [^.]{0,80}\\b(malicious|compromised|backdoored|trojani[sz]ed) (version|package|update|build|release)s? (ran|was installed|was executed|was deployed|was pulled)|(hackers?|attackers?|threat actors?|criminals|cybercriminals|crooks|miscreants) (breach(ed)?|compromised|hacked|hit|targeted|attacked|infiltrated|raided) ${n}|(breach\\w*|compromis\\w*|hack\\w*|hijack\\w*|infiltrat\\w*) ${n}(’s|'s)|${n} (sues|sued|is suing|files|filed)\\b[^.]{0,100}\\b(hack|cyberattack|breach|attack)|${n} (has )?(begun|began|started) (dropping|sending|mailing|issuing) [^.]{0,20}(breach )?notices|(victims?|targets?) (include|included|including) ([^.]|\\.(?=\\w|\\s[a-z])){0,80}${n}|(penalty|fine|settlement)[^.]{0,80}\\b(on|with|against) ${n}|${n}[^.]{0,120}\\b(as a result of|due to|following) (a|the) (cyberattack|ransomware attack|breach|attack)`, 'i') },
  { role: 'vendor', rule: 'role:vendor', re: (n) => new RegExp(`${n} (has )?(since )?(released|issued|published|shipped|pushed|rolled out) ([\\w-]+ ){0,3}(updates?|patch|patches|fixes|advisory|advisories|version|v?\\d+\\.\\d+)|${n}(’s|'s) (security )?(advisory|bulletin|patch|firmware|update)|${n},? (a|an|the) ([a-z-]+ )*(provider|vendor|maker|developer|supplier|manufacturer|publisher) of ([a-z-]+ ){0,6}(software|services?|platforms?|tools?|appliances?|devices?|firewalls?|solutions|cloud|saas|applications?|products?|packages?|libraries|systems)\\b|customers of ${n}|maintainers?,? ${n}|${n},? (the )?([a-z']+ )?maintainers?\\b|${n} (products?|appliances?|software|platform|package)|${n} (has )?(urges|urged|warns|warned|alerted|advises|advised|is urging|is warning) (its )?(customers|users|admins|administrators|organi[sz]ations)|${n} (has )?(patched|patches|fixed|fixes|addressed|disclosed|confirms|confirmed) ([\\w-]+ ){0,4}${FLAW}`, 'i') },
  // "Cisco ISE flaw", "Fixed Ivanti Bugs": the vendor's name, then capitalised product words, then the flaw. Case-sensitive,
  // so that "SecureEdge OS versions are affected by the flaw" names no vendor.
  { role: 'vendor', rule: 'role:vendor-flaw', re: (n) => new RegExp(`${n}(?:’s|'s)? (?:[A-Z0-9][\\w-]* ){0,3}(?:RCE |[Cc]ritical |[Zz]ero-[Dd]ay )?(?:[Ff]laws?|[Vv]ulnerabilit(?:y|ies)|[Bb]ugs?|[Zz]ero-[Dd]ays?)\\b`) },
];

const ROLE_RULES = ROLE_SOURCES.map((r) => ({ role: r.role, rule: r.rule, pattern: new NamePattern(r.re) }));

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function trimName(raw: string): string | null {
  const words = raw.replace(/[’']s$/, '').split(/\s+/);
  while (words.length > 0 && STOP.test(words[0])) words.shift();
  while (words.length > 0 && /^(of|and|&)$/.test(words[words.length - 1])) words.pop();
  const name = words.join(' ').replace(/[.,]$/, '');
  if (name.length < 3 || STOP.test(name) || /^\d/.test(name)) return null;
  return name;
}

// Threat groups are often one word ("Ashwren"): they are named by the words around them.
const ACTOR_NAME = /\b([A-Z][A-Za-z0-9]+(?:\s[A-Z][A-Za-z0-9]+)?)\s+(?:ransomware\s+|extortion\s+|threat\s+)?(?:group|gang|crew|operators|operation|cartel)\b|\b(?:group|gang|actor|crew)\s+(?:known as|called|dubbed|tracked as)\s+([A-Z][A-Za-z0-9]+(?:\s[A-Z][A-Za-z0-9]+)?)/g;
// "Social Security numbers" and "Department of Health and Human Services" are not found by NAME alone.
// "Fenwick Parcel, a logistics software company": an apposition names an organisation however often it appears.
const APPOSITION = /\b([A-Z][A-Za-z0-9&'’-]+(?:\s+(?:&\s+)?[A-Z][A-Za-z0-9&'’-]+){0,4}),\s+(?:a|an|the)\s+(?:[A-Za-z-]+\s+){0,4}(?:company|firm|provider|maker|vendor|organi[sz]ation|agency|hospital|bank|insurer|university|school|retailer|manufacturer|developer|startup|operator|nonprofit|practice|distributor|supplier|utility|municipality)\b/g;
// "the U.K. retail chain Marks & Spencer", "its hosting partner ESTT": a descriptor before a name says it is an organisation.
const DESCRIBED = /\b(?:retail chain|retailer|supermarket|provider|partner|company|firm|maker|manufacturer|airline|carrier|hospital|clinic|bank|insurer|university|agency|operator|supplier|giant|brand|house|chain)\s+([A-Z][A-Za-z0-9&'’.-]*(?:\s+(?:&\s+)?[A-Z][A-Za-z0-9&'’.-]*){0,3})/g;
const MAX_CANDIDATES = 400;
// Each one-word name is tried against every role rule: a long advisory's capitalised words are bounded to the most used.
const MAX_PROVISIONAL = 30;
const NOT_ORG_AFTER = /^\s+(numbers?|cards?|benefits?|act|rule|standard)\b/i;
const REGULATOR_NAMES = ['Department of Health and Human Services', 'Cybersecurity and Infrastructure Security Agency', 'Securities and Exchange Commission', 'Federal Bureau of Investigation', 'Office for Civil Rights'];
// One authority, one entry: the full name is dropped when the text also uses the acronym.
const ACRONYMS: Record<string, string> = {
  'Department of Health and Human Services': 'HHS', 'Cybersecurity and Infrastructure Security Agency': 'CISA',
  'Securities and Exchange Commission': 'SEC', 'Federal Bureau of Investigation': 'FBI', 'Office for Civil Rights': 'OCR',
};

/** Names that look like organisations: a corporate word, a regulator, or a capitalised name used twice. */
// A syndicated feed's closing line ("The post <headline> appeared first on <outlet>.") repeats the headline's capitals.
const BOILERPLATE = /^The post .* appeared first on /;

interface Candidates {
  names: string[];
  /** Names kept only when a role rule gives them a role. */
  provisional: Set<string>;
  /** Names that may only take the reporter role. */
  creditOnly: Set<string>;
}

/** A headline written like a sentence ("Hackers fooled Cognizant help desk, says Clorox"), whose capitals are names, not style. */
function sentenceCase(headline: string): boolean {
  const words = headline.match(/\b[A-Za-z][a-z]{3,}\b/g) ?? [];
  return words.length >= 3 && words.filter((w) => /^[a-z]/.test(w)).length * 2 > words.length;
}

function candidateNames(sentences: readonly Sentence[], known: readonly string[], exclude: ReadonlySet<string>): Candidates {
  const counts = new Map<string, number>();
  // Capitalised where no sentence start explains it (the headline capitalises every word).
  const midSentence = new Set<string>();
  // How often a word leads a longer capitalised run: "Toptal GitHub" in the headline is one more "Toptal".
  const leading = new Map<string, number>();
  sentences = sentences.filter((s) => !BOILERPLATE.test(s.text));
  // Names decided by their context (actors, appositions), kept however rarely they appear.
  const actors = new Set<string>();
  const regulators = REGULATOR_NAMES.filter((r) => sentences.some((s) => s.text.includes(r)));
  for (const s of sentences) {
    for (const m of s.text.matchAll(NAME)) {
      const name = trimName(m[1]);
      if (!name || NOT_ORG_AFTER.test(s.text.slice((m.index ?? 0) + m[0].length))) continue;
      const first = name.split(/\s+/)[0].replace(/[’']s$/, '');
      const before = s.text.slice(0, m.index ?? 0);
      if ((s.start > 0 || sentenceCase(s.text)) && /[a-z]/.test(before) && !/[:\-–•*]\s*$/.test(before)) midSentence.add(name).add(first);
      if (regulators.some((r) => r.includes(name))) continue;
      counts.set(name, (counts.get(name) ?? 0) + 1);
      if (first !== name) leading.set(first, (leading.get(first) ?? 0) + 1);
    }
    for (const m of s.text.matchAll(DESCRIBED)) {
      const name = trimName(m[1]);
      if (name && !SINGLE_NOT_ORG.test(name)) actors.add(name);
    }
    for (const m of s.text.matchAll(APPOSITION)) {
      const name = trimName(m[1]);
      if (name) actors.add(name);
    }
    for (const m of s.text.matchAll(ACTOR_NAME)) {
      const name = trimName(m[1] ?? m[2]);
      if (name && !/^(The|This|That|Ransomware|Threat|Security|Research)$/i.test(name)) actors.add(name);
    }
  }
  for (const r of regulators) if (!counts.has(ACRONYMS[r])) counts.set(r, 1);
  const names = new Set<string>();
  // A long report can name thousands of capitalised phrases; the most repeated ones are the organisations that matter.
  const ranked = [...counts].sort((a, b) => b[1] - a[1]).slice(0, MAX_CANDIDATES);
  // One capitalised word used twice ("Clorox", "Toptal") may be an organisation: it is one only where a role rule says so.
  const provisional = new Set<string>();
  // A name used once is read only as a reporter: research is credited once ("Sygnia said in a new report"), while
  // a victim or a vendor is the story and is named again.
  const creditOnly = new Set<string>();
  for (const [name, count] of ranked) {
    if (exclude.has(name)) continue;
    const words = name.split(/\s+/);
    const corporate = words.length > 1 && ORG_WORD.test(words[words.length - 1]);
    if (corporate || REGULATORS.test(name) || (words.length > 1 && count >= 2)) names.add(name);
    else if (name.length < 3 || STOP.test(name) || SINGLE_NOT_ORG.test(name)) continue;
    else if (provisional.size < MAX_PROVISIONAL && words.length === 1 && count + (leading.get(name) ?? 0) >= 2 && midSentence.has(name)) provisional.add(name);
    // The reporter rule's own words ("Kaspersky experts have discovered") vouch for a name that opens a sentence.
    // A longer run of capitals is a headline's words ("CERT-UA Discovers LAMEHUG Malware Linked"), not a name.
    else if (creditOnly.size < MAX_PROVISIONAL && words.length <= 3) creditOnly.add(name);
  }
  for (const [word, n] of leading) {
    if (provisional.size < MAX_PROVISIONAL && !counts.has(word) && !exclude.has(word) && n >= 2 && word.length >= 3 && !STOP.test(word) && !SINGLE_NOT_ORG.test(word) && midSentence.has(word)) provisional.add(word);
  }
  // "Halvorsen" for "Halvorsen Precision": the first word of a longer name is that name's alias, not another organisation.
  for (const n of names) for (const w of n.split(/\s+/)) { provisional.delete(w); creditOnly.delete(w); }
  for (const k of [...known, ...[...actors].slice(0, MAX_CANDIDATES)]) {
    if (!exclude.has(k) && sentences.some((s) => s.text.includes(k))) {
      names.add(k);
      provisional.delete(k);
      creditOnly.delete(k);
    }
  }
  for (const p of provisional) names.add(p);
  for (const c of creditOnly) if (!names.has(c)) { names.add(c); provisional.add(c); }
  return { names: [...names], provisional, creditOnly };
}

// Capitalised words that start sentences or name things other than organisations.
const SINGLE_NOT_ORG = /^(Hackers?|Attackers?|Threat|Security|Cybersecurity|Ransomware|Malware|Researchers?|Users?|Customers?|Organi[sz]ations?|Companies|Critical|High|Medium|Low|New|Today|Yesterday|Now|Also|However|There|Here|What|Why|How|Who|Which|Windows|Linux|Android|Google Chrome|Zero-Day|Exploit|Patch|Vulnerability|Flaw|Update|Operation|Campaign|Attack|Attacks|Data|Breach|Plus|Exclusive|Updated|Key|Takeaways\d*|CVE(?:-[\d-]+)?|CVSS|API|AI|LLM|VPN|RCE|SQL|XSS|DDoS|IT|OT|US|UK|EU)$/;

/** A short name ("Cadence") used for a long one ("Cadence Scheduling Cloud") is the same organisation. */
function aliasesOf(name: string): string[] {
  const first = name.split(/\s+/)[0];
  return first.length >= 4 && first !== name && !STOP.test(first) ? [name, first] : [name];
}

/**
 * `known`: names already known to be organisations (KEV vendors named in the text); `exclude`: names that are something
 * else (countries and demonyms the text uses).
 */
export function findOrganisations(sentences: readonly Sentence[], outlet: string | null, known: readonly string[] = [], exclude: readonly string[] = []): Organisation[] {
  const out: Organisation[] = [];
  const { names: all, provisional, creditOnly } = candidateNames(sentences, known, new Set(exclude));
  const names = all.filter((n) => n !== outlet);
  for (const name of names) {
    const aliases = aliasesOf(name);
    // Only sentences that contain the name can give it a role: a cheap test before the role patterns.
    const mentions = sentences.filter((x) => aliases.some((a) => x.text.includes(a)));
    if (REGULATORS.test(name)) {
      const s = mentions.find((x) => x.text.includes(name));
      if (s) out.push({ name, role: 'regulator', evidence: evidenceOf(s, 'role:regulator') });
      continue;
    }
    const roles = new Set<OrgRole>();
    for (const rule of ROLE_RULES) {
      // Headlines capitalise every word ("Storm-2603 Exploits SharePoint Flaws"): only a known vendor is read this way.
      if (rule.rule === 'role:vendor-flaw' && !known.includes(name)) continue;
      if (creditOnly.has(name) && rule.role !== 'reporter') continue;
      // "Co-op Group": the name's own last word is not the "group" an actor is called.
      // A product's first word ("SecureEdge" of "SecureEdge OS") before "zero-day" names the product, not a vendor.
      const whole = (rule.role === 'actor' && /\s(Group|Gang|Crew)$/.test(name)) || rule.rule === 'role:vendor-flaw';
      const s = mentions.find((x) => rule.pattern.test(x.text, whole ? [name] : aliases));
      if (s && !roles.has(rule.role)) {
        roles.add(rule.role);
        out.push({ name, role: rule.role, evidence: evidenceOf(s, rule.rule) });
      }
    }
    // An organisation that makes the product or was attacked is not also "reporting" it through its own advisory.
    if (roles.has('reporter') && (roles.has('vendor') || roles.has('victim'))) {
      const at = out.findIndex((o) => o.name === name && o.role === 'reporter');
      out.splice(at, 1);
      roles.delete('reporter');
    }
    if (roles.size === 0 && !provisional.has(name)) {
      const s = mentions.find((x) => x.text.includes(name));
      if (s) out.push({ name, role: 'other', evidence: evidenceOf(s, 'role:mentioned') });
    }
  }
  if (outlet && outlet !== 'local file' && outlet !== 'pasted text') {
    out.push({ name: outlet, role: 'reporter', evidence: { text: `Published by ${outlet}.`, rule: 'role:outlet' } });
  }
  return out;
}

const PRODUCT_BEFORE_VERSION = /\b((?:@[a-z0-9-]+\/)?[A-Z@][A-Za-z0-9@/_-]*(?:\s+[A-Z0-9][A-Za-z0-9_-]*){0,3})\s+(?:versions?\s+|v)?(\d+\.(?:\d+|x)(?:\.\d+)*)/g;
// A package name is scoped, quoted, or has a separator: "the PatientPay module are..." names no package.
const PACKAGE = /\b(?:package|library|module)\s+(?:[`"“']((?:@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]+)[`"”']|(@[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._-]+|[a-z0-9]+[._-][a-z0-9._-]+))/g;
const POSSESSIVE = (vendor: string) => new RegExp(`${escape(vendor)}(?:’s|'s)\\s+((?:[A-Z][A-Za-z0-9-]*\\s?){1,3})`, 'g');

/** Products named next to versions or as a vendor's possession, with the versions written beside them. */
export function findProducts(sentences: readonly Sentence[], vendors: readonly string[]): Product[] {
  const found = new Map<string, Product>();
  const add = (name: string, vendor: string | null, s: Sentence, rule: string, tail: string | null) => {
    const clean = name.trim().replace(/\s+(line|appliances?|platform|module|tool|service)$/i, '');
    if (clean.length < 3 || STOP.test(clean) || /^(IPv[46]|CVE|CWE|CVSS|SHA|MD5|TLS|HTTPS?|IP|TCP|UDP|Port|Item|Section|Article|Rule|Form|Part|Title|Chapter|Step|Phase|Level|Tier|Page|Figure|Table)\b/.test(clean)) return;
    const versions = tail === null ? [] : affectedVersions(tail);
    const ranges = tail === null ? [] : versionRanges(tail);
    const prev = found.get(clean);
    if (prev) {
      for (const v of versions) if (!prev.versions.includes(v)) prev.versions.push(v);
      for (const r of ranges) if (!prev.ranges?.some((x) => x.text === r.text)) (prev.ranges ??= []).push(r);
      return;
    }
    found.set(clean, { name: clean, vendor, versions: [...new Set(versions)], ranges, evidence: evidenceOf(s, rule), confidence: 'medium' });
  };
  const vendorOf = (name: string) => vendors.find((v) => name.startsWith(v.split(/\s+/)[0])) ?? vendors[0] ?? null;
  for (const s of sentences) {
    for (const m of s.text.matchAll(PRODUCT_BEFORE_VERSION)) {
      const name = trimName(m[1]);
      if (!name || /^(Chrome|Windows|Version|Release)$/.test(name) && !s.text.includes('affected')) continue;
      add(name, vendorOf(name), s, 'product:before-version', s.text.slice(m.index ?? 0, (m.index ?? 0) + 200));
    }
    for (const m of s.text.matchAll(PACKAGE)) {
      const name = m[1] ?? m[2];
      add(name, null, s, 'product:package', s.text.slice(m.index ?? 0, (m.index ?? 0) + 200));
    }
    for (const vendor of vendors) {
      for (const m of s.text.matchAll(POSSESSIVE(vendor))) {
        const name = trimName(m[1]);
        if (name) add(name, vendor, s, 'product:vendor-possessive', null);
      }
    }
  }
  return [...found.values()];
}
