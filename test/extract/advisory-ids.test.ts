// Advisory and catalog ids (CAPEC, GHSA, vendor advisories) from kb/advisory-ids.yaml: whole tokens, their issuer, their sentence.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findAdvisoryIds } from '../../src/extract/identifiers.js';
import { splitSentences } from '../../src/extract/sentences.js';
import { testKb } from '../helpers.js';

const find = (text: string) => findAdvisoryIds(splitSentences(text), testKb().advisoryIds).map((f) => [f.id, f.label]);

test('vendor advisories, GHSA and CAPEC are found with their issuer', () => {
  const text = `Cisco published cisco-sa-ise-unauth-rce-ZAd2GnJ6 and Fortinet FG-IR-24-015. Palo Alto Networks tracks it as PAN-SA-2024-0001.
    The npm fix is GHSA-9wx4-h78v-vm56; the weakness maps to CAPEC-66. Microsoft's ADV200005 and the old MS17-010 bulletin apply.
    Red Hat shipped RHSA-2024:1234, Ubuntu USN-6737-1, Debian DSA-5678-1. CISA issued AA23-352A and ICSA-24-046-01; ZDI-24-123 credits the finder.`;
  assert.deepEqual(find(text), [
    ['CAPEC-66', 'MITRE CAPEC attack pattern'],
    ['GHSA-9wx4-h78v-vm56', 'GitHub Security Advisory'],
    ['ADV200005', 'Microsoft security advisory'],
    ['MS17-010', 'Microsoft security bulletin'],
    ['cisco-sa-ise-unauth-rce-ZAd2GnJ6', 'Cisco security advisory'],
    ['FG-IR-24-015', 'Fortinet PSIRT advisory'],
    ['PAN-SA-2024-0001', 'Palo Alto Networks advisory'],
    ['RHSA-2024:1234', 'Red Hat security advisory'],
    ['DSA-5678-1', 'Debian security advisory'],
    ['USN-6737-1', 'Ubuntu security notice'],
    ['ICSA-24-046-01', 'CISA ICS advisory'],
    ['AA23-352A', 'CISA cybersecurity advisory'],
    ['ZDI-24-123', 'Zero Day Initiative advisory'],
  ]);
});

test('look-alikes inside longer tokens are not ids', () => {
  assert.deepEqual(find('Part XMS17-0100 and FG-IR-24-015X and GHSA-aaaa-bbbb-cccc (invalid letters) and CAPEC-12345 are not advisories.'), []);
});
