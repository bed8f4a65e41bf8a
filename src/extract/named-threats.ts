/** Threat groups and malware the ATT&CK catalog does not list yet, read from how reports introduce them. */
import type { LabelFact } from '../domain/index.js';
import { evidenceOf } from './evidence.js';
import type { Sentence } from './sentences.js';

/**
 * Tracking names vendors give clusters before anyone names them: Microsoft's Storm-2603, Mandiant's UNC6148,
 * Proofpoint's TA577, CERT-UA's UAC-0001, Palo Alto's CL-STA-0048, Cisco's UAT-4356. A number in a known
 * scheme is a group however the sentence reads.
 */
const TRACKING_ID = /\b(Storm-\d{4}|DEV-\d{4}|UNC\d{3,5}|TA\d{3,4}|UAC-\d{4}|UAT-\d{4}|TAG-\d{2,3}|CL-(?:STA|CRI|UNK)-\d{4}|APT-C-\d{2,3}|UNG\d{4})\b/g;

/** What a report calls a piece of malware; the name before it is the malware's ("Warlock ransomware", "HazyBeacon backdoor"). */
const MALWARE_NOUN = 'ransomware|malware|backdoor|loader|dropper|downloader|stealer|infostealer|RAT|botnet|spyware|surveillanceware|trojan|wiper|rootkit|implant|web ?shell|worm|cryptominer|miner';
const NAMED_BEFORE = new RegExp(`\\b([A-Z][A-Za-z0-9]{0,40}(?: \\d(?:\\.\\d)?)?) (?:${MALWARE_NOUN})\\b`, 'g');
/** "a new malware codenamed LAMEHUG", "a backdoor dubbed HazyBeacon", "a crew it tracks as Fire Ant". */
const NAMED_AFTER = new RegExp(
  `\\b(?:${MALWARE_NOUN}|group|gang|crew|actor|cluster|tool|framework|family|variant|strain)s?\\b[^.;]{0,60}?\\b(?:codenamed|code-named|dubbed|called|named|tracked as|tracks as|known as)\\s+['"“‘]?([A-Z][A-Za-z0-9]{0,40}(?:[- ][A-Z0-9][A-Za-z0-9]{0,40})?)`,
  'g',
);
const GROUP_AFTER = /\b(?:group|gang|crew|actor|cluster)s?\b[^.;]{0,60}?\b(?:codenamed|code-named|dubbed|called|named|tracked as|tracks as|known as)\s+['"“‘]?$/;

/**
 * Capitalised words that stand before "malware" or "backdoor" without naming one: "New Android malware",
 * "Custom backdoors", "Chinese RAT". Demonyms and platforms are a kind, not a name.
 */
const NOT_A_NAME = /^(?:A|An|The|This|That|These|Those|Its|Their|New|Novel|Custom|Fake|Malicious|Modular|Mobile|Android|Linux|Windows|macOS|Mac|iOS|Unix|Python|Go|Rust|Java|JavaScript|PowerShell|Node|NPM|PyPI|AI|LLM|Cloud|Web|Email|Banking|Commodity|Remote|Sophisticated|Stealthy|Persistent|Known|Unknown|Previously|Ransomware|Malware|Backdoor|Loader|Dropper|Stealer|Infostealer|Botnet|Spyware|Trojan|Wiper|Rootkit|Chinese|Russian|Iranian|Korean|North|South|Ukrainian|Israeli|American|European|Asian|IoT|ESXi|VMware|SharePoint|Crypto|Cryptocurrency|Info|Data|Multi|Cross|Open|Second|First|Final|Additional|Other|Several|Multiple|Many|Same|Two|Three|Four)$/;

function usable(name: string): boolean {
  const first = name.split(/[\s-]/)[0];
  return name.length >= 3 && !NOT_A_NAME.test(first) && !NOT_A_NAME.test(name);
}

/**
 * Named threats outside the catalog: tracking ids, names introduced by "dubbed"/"tracked as", and names
 * before a malware noun. `known` are the names the catalog already matched (their aliases too), so an
 * ATT&CK group or software is reported once, by the catalog.
 */
export function findNamedThreats(sentences: readonly Sentence[], known: readonly string[]): LabelFact[] {
  const seen = new Set(known.map((k) => k.toLowerCase()));
  const out: LabelFact[] = [];
  const add = (name: string, kind: 'group' | 'malware', s: Sentence, rule: string, confidence: 'high' | 'medium') => {
    const key = name.toLowerCase();
    if (seen.has(key) || !usable(name)) return;
    seen.add(key);
    out.push({ id: `unlisted-${kind}:${key}`, label: name, evidence: evidenceOf(s, rule), confidence });
  };
  for (const s of sentences) {
    for (const m of s.text.matchAll(TRACKING_ID)) add(m[1], 'group', s, 'threat-name:tracking-id', 'high');
    for (const m of s.text.matchAll(NAMED_AFTER)) {
      const kind = GROUP_AFTER.test(s.text.slice(0, (m.index ?? 0) + m[0].length - m[1].length)) ? 'group' : 'malware';
      add(m[1], kind, s, 'threat-name:introduced', 'medium');
    }
    for (const m of s.text.matchAll(NAMED_BEFORE)) add(m[1], 'malware', s, 'threat-name:malware-noun', 'medium');
  }
  return out;
}
