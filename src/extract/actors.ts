/** Recognises threat groups and malware named in text, from the ATT&CK catalog's names and aliases. */
import type { LabelFact } from '../domain/index.js';
import type { Catalogs } from '../knowledge/catalogs.js';
import { evidenceOf } from './evidence.js';
import type { Sentence } from './sentences.js';

// Aliases that are ordinary words would fire on every article.
const TOO_COMMON = /^(.{0,3}|[a-z]+|Equation|Sandworm Team|Carbanak|Turla|Mustang|Ember|Storm|Cobalt|Gold|Silence|Patchwork|Ke3chang|Magic Hound|Leviathan|Machete)$/;

export function findActors(sentences: readonly Sentence[], catalogs: Catalogs): LabelFact[] {
  const out: LabelFact[] = [];
  const text = sentences.map((s) => s.text).join('\n');
  for (const actor of catalogs.actors()) {
    for (const alias of actor.aliases) {
      if (alias.length < 4 || (TOO_COMMON.test(alias) && alias !== actor.name)) continue;
      if (!text.includes(alias)) continue;
      const re = new RegExp(`(^|[^A-Za-z0-9])${alias.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9])`);
      const s = sentences.find((x) => re.test(x.text));
      if (s) {
        // An alias that is one short capitalised word (Sofacy, Pony) is a name more texts use for other things.
        const confidence = alias === actor.name || alias.length >= 8 || /[\d\s-]/.test(alias) ? 'high' : 'medium';
        out.push({
          id: actor.id, label: actor.name, evidence: evidenceOf(s, `actor:attack-${actor.kind}`), confidence,
          ...(alias !== actor.name ? { matched: alias } : {}),
        });
        break;
      }
    }
  }
  return out;
}
