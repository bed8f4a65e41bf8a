// The pictures, the sources and the team profile in a real browser (headless Chromium): no axe-core violations, light and dark.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseProfile } from '../../src/config/profile.js';
import { ingest } from '../../src/pipeline.js';
import { openSqliteStore, type Store } from '../../src/store/index.js';
import { axeAcross, type BrowserRig, CHROMIUM, serveToBrowser } from '../browser/browser.js';
import { EXAMPLES, exampleFiles, signIn, testContext, testKb } from '../helpers.js';

describe('the charts, sources and profile pages in a browser', { skip: fs.existsSync(CHROMIUM) ? false : `no ${CHROMIUM} here (.ci/run installs it)` }, () => {
  let store: Store;
  let rig: BrowserRig;
  let cookie: string;

  before(async () => {
    store = await openSqliteStore(':memory:');
    for (const f of exampleFiles()) await ingest(store, { bytes: fs.readFileSync(path.join(EXAMPLES, f)), origin: f, example: true }, testContext());
    // A source in each state the health panel draws: fetched, failing, never fetched, turned off.
    const at = '2026-12-01T00:00:00Z';
    const feed = (name: string, enabled = true) => store.saveSource({ name, kind: 'feed', location: `https://${name}.example/feed`, title: `The ${name}`, intervalMinutes: 60, enabled, fetchArticles: false }, at);
    for (const [name, enabled] of [['wire', true], ['broken', true], ['new', true], ['paused', false]] as const) await feed(name, enabled);
    const health = (await store.getSource('wire'))!.health;
    await store.saveSourceHealth('wire', { ...health, lastSuccessAt: new Date(Date.now() - 3_600_000).toISOString(), entriesSeen: 40 });
    await store.saveSourceHealth('broken', { ...health, lastErrorCode: 'timeout-body', lastError: 'body timed out', failures: 3 });
    const profile = parseProfile({
      name: 'Riverside Clinic', sectors: ['healthcare'], jurisdictions: ['us', 'us-ny'], regimes: ['hipaa'], vendors: ['Cadence Scheduling Cloud'],
      products: ['cpe:2.3:o:fortinet:fortios:7.2.4:*:*:*:*:*:*:*'], internetFacing: ['FortiOS'], tools: ['edr'],
    });
    ({ cookie } = await signIn(store, 'analyst', 'ann'));
    rig = await serveToBrowser({ store, profile, profileName: 'riverside.yaml', kb: testKb() });
  });
  after(async () => {
    await rig?.close();
    await store?.close();
  });

  test('no axe-core violations on the dashboard, the ATT&CK heatmap, the sources and the profile, light and dark', async () => {
    const pages = [
      '/dashboard', '/dashboard?from=2026-05-01&to=2026-12-01', '/dashboard?from=2026-05-01&to=2026-12-01&sector=healthcare',
      '/attack', '/attack?basis=all', '/attack?basis=all&severity=HIGH', '/attack?basis=sometimes',
      '/sources', '/profile',
    ];
    // The pages hold what axe is to judge: bars, cells, every health state, the profile's clocks, an error.
    const holds: Record<string, RegExp[]> = {
      '/dashboard?from=2026-05-01&to=2026-12-01': [/<svg class="daily"[^>]*>[\s\S]*<rect class="sev-fill-CRITICAL"/, /<svg class="health"/],
      '/attack?basis=all': [/<a href="\/\?technique=T1486"><title>/],
      '/sources': [/The wire/, /The broken/, /The new/, /The paused/, /body timed out/],
      '/profile': [/Riverside Clinic/, /45 CFR 164\.408/],
      '/attack?basis=sometimes': [/basis must be observed or all/],
    };
    for (const [p, marks] of Object.entries(holds)) {
      const html = await (await fetch(`${rig.server.url}${p}`, { headers: { cookie } })).text();
      for (const m of marks) assert.match(html, m, p);
    }
    assert.deepEqual(await axeAcross(rig, cookie, pages), []);
  });
});
