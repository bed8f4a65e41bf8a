// The team's profile: parsing (CPE and plain products), its effect on relevance ("affects us"), and on the item.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { lackedTools, parseProfile, productRef } from '../../src/config/profile.js';
import type { Product } from '../../src/domain/index.js';
import { ingest } from '../../src/pipeline.js';
import { relevanceTo } from '../../src/score/index.js';
import { openSqliteStore } from '../../src/store/index.js';
import { EXAMPLES, testContext, testKb } from '../helpers.js';
import { facts, label, profile } from './facts-fixture.js';

const kb = testKb();
const product = (name: string, vendor: string | null, versions: string[] = []): Product => ({ name, vendor, versions, evidence: { text: name, rule: 'test' } });

test('profile products: CPE 2.3 names and plain names with versions', () => {
  assert.deepEqual(productRef('cpe:2.3:o:fortinet:fortios:7.2.4:*:*:*:*:*:*:*'), { text: 'cpe:2.3:o:fortinet:fortios:7.2.4:*:*:*:*:*:*:*', vendor: 'fortinet', product: 'fortios', version: '7.2.4' });
  assert.deepEqual(productRef('cpe:2.3:a:microsoft:exchange_server:*:*:*:*:*:*:*:*'), { text: 'cpe:2.3:a:microsoft:exchange_server:*:*:*:*:*:*:*:*', vendor: 'microsoft', product: 'exchange server', version: null });
  assert.deepEqual(productRef('FortiOS 7.2'), { text: 'FortiOS 7.2', vendor: null, product: 'FortiOS', version: '7.2' });
  assert.deepEqual(productRef('Okta'), { text: 'Okta', vendor: null, product: 'Okta', version: null });
});

test('a profile file is validated field by field', () => {
  const p = parseProfile({ name: 'Clinic', sectors: ['healthcare'], missionPrevalence: 'essential', internetFacing: ['Citrix NetScaler'] });
  assert.deepEqual(p.internetFacing, ['Citrix NetScaler']);
  assert.deepEqual(lackedTools(p), ['siem', 'edr', 'pam', 'dlp', 'grc', 'vendor-risk']);
  assert.throws(() => parseProfile({ missionPrevalence: 'vital' }, 'team.yaml'), /profile: team\.yaml: \/missionPrevalence/);
  assert.throws(() => parseProfile({ colour: 'blue' }, 'team.yaml'), /profile: team\.yaml/);
});

test('relevance tiers: internet-facing, product (with its version), vendor, sector, nothing, no profile', () => {
  const f = facts({ products: [product('FortiOS', 'Fortinet', ['7.2.4', '7.4.1'])], organisations: [{ name: 'Fortinet', role: 'vendor', evidence: { text: 'Fortinet', rule: 'test' } }] });
  const r = (p: ReturnType<typeof profile> | null, sector: string | null = null, text = 'fortinet fixed fortios') => relevanceTo({ facts: f, profile: p, sector, text }, kb.priority);
  assert.deepEqual([r(profile({ internetFacing: ['FortiOS'] })).match, r(profile({ internetFacing: ['FortiOS'] })).value], ['internetFacing', 1]);
  const product72 = r(profile({ products: ['cpe:2.3:o:fortinet:fortios:7.2:*:*:*:*:*:*:*'] }));
  assert.equal(product72.match, 'product');
  assert.match(product72.reason, /version 7\.2\.4 is named/);
  assert.match(r(profile({ products: ['FortiOS 6.4'] })).reason, /the versions named are 7\.2\.4, 7\.4\.1; confirm yours is not affected/);
  assert.deepEqual([r(profile({ vendors: ['Fortinet'] })).match, r(profile({ vendors: ['Fortinet'] })).value], ['vendor', 0.9]);
  assert.equal(r(profile({ products: ['cpe:2.3:a:fortinet:forticlient:*:*:*:*:*:*:*:*'] })).match, 'vendor', "another product of the same vendor");
  assert.equal(r(profile({ sectors: ['healthcare'] }), 'healthcare').match, 'sector');
  assert.equal(r(profile({ sectors: ['healthcare'] }), 'healthcare').affectsUs, false);
  assert.equal(r(profile({ vendors: ['Okta'] })).match, 'none');
  assert.equal(r(null).match, 'noProfile');
  assert.equal(r(profile({ vendors: ['Forti'] }), null, 'fortinet fixed fortios').match, 'none', 'names match on word boundaries');
});

test('the profile changes relevance, priority, SSVC and the clocks of a stored item', async () => {
  const file = path.join(EXAMPLES, '01-saas-vendor-breach.txt');
  const raw = { bytes: fs.readFileSync(file), origin: file, example: true };
  const plain = await openSqliteStore(':memory:');
  const base = (await ingest(plain, raw, testContext())).item;
  await plain.close();
  const vendor = base.facts.organisations.find((o) => o.role === 'vendor')?.name;
  assert.ok(vendor, 'the example names a vendor');
  const team = profile({ vendors: [vendor], jurisdictions: ['us', 'us-tx'], regimes: ['hipaa'], missionWellbeing: 'high' });
  const store = await openSqliteStore(':memory:');
  const item = (await ingest(store, raw, testContext({ profile: team, profileName: 'team.yaml' }))).item;
  await store.close();
  const rel = (i: typeof item) => i.priority.factors.find((f) => f.id === 'relevance');
  assert.equal(rel(base)?.value, kb.priority.values.relevance.noProfile);
  assert.equal(rel(item)?.value, kb.priority.values.relevance.vendor);
  assert.match(rel(item)?.reason ?? '', new RegExp(`lists ${vendor}`));
  assert.ok(item.priority.value > base.priority.value);
  assert.equal(item.enrichment.profile, 'team.yaml');
  assert.ok(item.facts.dataTypes.some((d) => d.id === 'pii'), 'the example exposes personal information');
  assert.ok(item.triage.deadlines.some((d) => d.citation.includes('521.053')), 'us-tx brings the Texas clock');
  assert.ok(!base.triage.deadlines.some((d) => d.citation.includes('521.053')));
});

test('/profile shows the loaded profile and what it drives, escaped; /api/profile gives the same as JSON', async () => {
  const { createApp } = await import('../../src/web/app.js');
  const store = await openSqliteStore(':memory:');
  const team = parseProfile({
    name: 'Riverside <script>alert(1)</script> Clinic', sectors: ['healthcare'], jurisdictions: ['us', 'us-ny'], regimes: ['hipaa', 'nydfs'],
    vendors: ['Cadence Scheduling Cloud'], products: ['cpe:2.3:o:fortinet:fortios:7.2.4:*:*:*:*:*:*:*'], internetFacing: ['FortiOS'], tools: ['edr'],
    missionPrevalence: 'essential', publicWellbeing: 'material',
  });
  const app = createApp({ store, profile: team, profileName: 'riverside.yaml', kb, auth: { anonymousRead: true } });
  const res = await app.request('/profile');
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.ok(html.includes('Riverside &lt;script&gt;alert(1)&lt;/script&gt; Clinic') && !html.includes('<script>alert'), 'escaped by construction');
  assert.match(html, /<code>riverside\.yaml<\/code>/);
  assert.match(html, /<td>fortinet<\/td><td>fortios<\/td><td>7\.2\.4<\/td>/);
  assert.match(html, /siem, pam, dlp, grc, vendor-risk/);
  assert.match(html, /Mission and Well-being high, from the profile&#39;s Mission Prevalence essential/);
  assert.match(html, /23 NYCRR 500\.17\(a\)<\/td><td>72 hours<\/td><td>any incident/);
  assert.match(html, /45 CFR 164\.408\(c\)<\/td><td>60 calendar days after the end of the year of discovery<\/td><td>phi exposed, fewer than 500 affected/);
  assert.match(html, /N\.Y\. Gen\. Bus\. Law 899-aa/, "New York's law follows a team in us-ny");
  assert.doesNotMatch(html, /521\.053/, "Texas's law needs Texas residents (us-tx)");
  assert.doesNotMatch(html, /Regulation \(EU\) 2016\/679 Art\. 33<\/td>/, 'no EU jurisdiction, no GDPR clock');
  const api = await (await app.request('/api/profile')).json() as { regimes: { id: string; inScope: boolean }[]; lacks: string[] };
  assert.deepEqual(api.regimes.filter((r) => r.inScope).map((r) => r.id), ['hipaa', 'pci-dss', 'us-state-breach-laws', 'nydfs', 'circia']);
  assert.deepEqual(api.lacks, ['siem', 'pam', 'dlp', 'grc', 'vendor-risk']);
  const none = await (await createApp({ store, kb, auth: { anonymousRead: true } }).request('/profile')).text();
  assert.match(none, /No profile is loaded, so relevance is neutral \(0\.3\)/);
  await store.close();
});
