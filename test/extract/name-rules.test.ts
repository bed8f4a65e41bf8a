import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { NamePattern } from '../../src/extract/name-rules.js';
import { ROLE_SOURCES } from '../../src/extract/organisations.js';
import { SHARED } from '../helpers.js';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The plain reading: the pattern built with the names put in, as one regex. */
const plain = (build: (n: string) => RegExp, text: string, names: string[]) => build(`(?:${names.map(escape).join('|')})`).test(text);

describe('NamePattern', () => {
  it('matches where the name sits between the parts before and after it', () => {
    const p = new NamePattern((n) => new RegExp(`breach (at|of) ${n}|${n} (was|has been) hacked`, 'i'));
    assert.equal(p.test('A breach at Acme Corp was found.', ['Acme Corp']), true);
    assert.equal(p.test('acme corp has been hacked', ['Acme Corp']), true);
    assert.equal(p.test('Acme Corp has been patched', ['Acme Corp']), false);
    assert.equal(p.test('A breach at Beta was found; Acme Corp said nothing.', ['Acme Corp']), false);
  });

  it('keeps a case-sensitive pattern case-sensitive', () => {
    const p = new NamePattern((n) => new RegExp(`${n} (?:[Ff]laws?)`));
    assert.equal(p.test('Cisco Flaw', ['Cisco']), true);
    assert.equal(p.test('cisco Flaw', ['Cisco']), false);
  });

  it('refuses a pattern that names the organisation twice in one alternative', () => {
    assert.throws(() => new NamePattern((n) => new RegExp(`${n} and ${n}`)), /twice/);
  });

  it('agrees with the plain regexes of every role rule on real feed sentences', () => {
    const xml = fs.readdirSync(path.join(SHARED, 'feeds')).filter((f) => f.endsWith('.xml'))
      .map((f) => fs.readFileSync(path.join(SHARED, 'feeds', f), 'utf8')).join('\n');
    const sentences = xml.replace(/<[^>]+>/g, ' ').split(/(?<=[.!?])\s+/).filter((s) => s.length > 40 && s.length < 400);
    let checked = 0; let matched = 0;
    for (const sentence of sentences.filter((_, i) => i % 40 === 0).slice(0, 120)) {
      const names = [...new Set(sentence.match(/\b[A-Z][A-Za-z0-9-]+(?: [A-Z][A-Za-z0-9-]+)?/g) ?? [])].slice(0, 3);
      for (const name of names) {
        for (const rule of ROLE_SOURCES) {
          const expected = plain(rule.re, sentence, [name]);
          assert.equal(new NamePattern(rule.re).test(sentence, [name]), expected, `${rule.rule} / ${name} / ${sentence}`);
          checked++; if (expected) matched++;
        }
      }
    }
    assert.ok(checked > 300, `only ${checked} checks`);
    assert.ok(matched > 0, 'no sentence gave any name a role: the check proves nothing');
  });
});
