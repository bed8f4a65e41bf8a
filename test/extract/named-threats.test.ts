import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findNamedThreats } from '../../src/extract/named-threats.js';
import { splitSentences } from '../../src/extract/sentences.js';

const names = (text: string, known: string[] = []) => findNamedThreats(splitSentences(text), known).map((f) => `${f.label}:${f.id.split(':')[0]}`);

describe('threats the catalog does not list', () => {
  it('reads vendors\' tracking ids as groups', () => {
    assert.deepEqual(names('Microsoft tied the activity to Storm-2603, and Mandiant to UNC6148.'), ['Storm-2603:unlisted-group', 'UNC6148:unlisted-group']);
  });

  it('reads names a report introduces, with the kind it introduces them as', () => {
    assert.deepEqual(names('CERT-UA found a new malware codenamed LAMEHUG.'), ['LAMEHUG:unlisted-malware']);
    assert.deepEqual(names('The activity is attributed to a crew it tracks as Fire Ant.'), ['Fire Ant:unlisted-group']);
    assert.deepEqual(names('A cluster known as "Void Mantis" ran it.'), ['Void Mantis:unlisted-group']);
    assert.deepEqual(names('Attackers deployed the HazyBeacon backdoor and Warlock ransomware.'), ['HazyBeacon:unlisted-malware', 'Warlock:unlisted-malware']);
  });

  it('takes no kind for a name, and leaves names the catalog matched to the catalog', () => {
    assert.deepEqual(names('A new Android malware and custom backdoors hit Chinese RAT users.'), []);
    assert.deepEqual(names('The LockBit ransomware returned.', ['LockBit']), []);
  });

  it('reads a long run of capitals in linear work', () => {
    assert.deepEqual(names(`${'A'.repeat(200_000)} malware`), []);
  });
});
