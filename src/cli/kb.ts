/** `vigil kb import|sync|status`: the official catalogs imported from a folder or downloaded, and the versions loaded. */
import { type Command, Option } from 'commander';
import type { ImportReport } from '../knowledge/import-catalogs.js';
import { withStore } from './context.js';
import { TECHNIQUE_MODEL_CATALOG } from '../knowledge/store-catalogs.js';
import { loadModel } from '../techniques/model.js';
import { USER_AGENT } from './sources.js';

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;

function importLine(r: ImportReport): string {
  if (r.error) return `${r.name}: FAILED, previous version kept: ${r.error}`;
  const files = r.files.map((f) => `${f.path}${f.raw ? '' : ' (derived index: no raw publication in the folder)'}`).join(', ');
  return `${r.name} ${r.version}: ${r.entries} entries from ${files}`;
}

export function kbCatalogCommands(kb: Command, version: string): void {
  kb.command('import').description('import official catalogs (ATT&CK, CWE, SP 800-53, CSF, CTID mappings, KEV, EPSS, MISP warninglists, TRAM) from a folder')
    .argument('<dir>', 'folder laid out like the official publications (attack/, cwe/, nist-800-53/, nist-csf/, ctid-mappings/, kev/, epss/...)')
    .option('--only <name>', 'import only this catalog')
    .addOption(new Option('--db <path>', 'SQLite database file').env('VIGIL_DB'))
    .action(async (dir, flags) => {
      await withStore(flags, async (rt) => {
        const { importCatalogs } = await import('../knowledge/import-catalogs.js');
        const reports = await importCatalogs(rt.store, dir, new Date().toISOString(), flags.only ? { only: [flags.only] } : {});
        for (const r of reports) process.stdout.write(`${importLine(r)}\n`);
        if (reports.some((r) => r.error)) process.exitCode = 1;
      });
    });
  kb.command('train').description("train the ATT&CK technique model on this machine from ATT&CK's own text (and labelled sentences, e.g. TRAM's) in a folder, and keep it in the database")
    .argument('<dir>', 'folder holding attack/enterprise-attack-*.json and, optionally, attack-mapping/ or tram/ *sentences.jsonl')
    .addOption(new Option('--db <path>', 'SQLite database file').env('VIGIL_DB'))
    .action(async (dir, flags) => {
      await withStore(flags, async (rt) => {
        const started = Date.now();
        const { techniqueModelFromDir } = await import('../techniques/from-dir.js');
        const json = techniqueModelFromDir(dir);
        const model = loadModel(json);
        await rt.store.saveCatalog(TECHNIQUE_MODEL_CATALOG, rt.pipeline.catalogs.versions.attack ?? 'unknown', { model: json }, new Date().toISOString());
        process.stdout.write(`technique model: ${model.classes.length} techniques, ${(json.length / 1e6).toFixed(1)} MB, trained in ${((Date.now() - started) / 1000).toFixed(1)} s; enrichment uses it from the next start\n`);
      });
    });
  kb.command('sync').description('download the official catalogs (kb/catalog-sources.yaml), verify and import them; a failure keeps the previous version')
    .option('--only <name>', 'sync only this catalog')
    .option('--sources <file>', 'another file of catalog URLs, shaped like kb/catalog-sources.yaml')
    .addOption(new Option('--db <path>', 'SQLite database file').env('VIGIL_DB'))
    .action(async (flags) => {
      const { loadCatalogSources, syncCatalogs } = await import('../knowledge/sync-catalogs.js');
      const sources = loadCatalogSources(flags.sources);
      await withStore(flags, async (rt) => {
        const reports = await syncCatalogs(rt.store, {
          sources, only: flags.only, now: new Date().toISOString(),
          policy: { userAgent: USER_AGENT(version), allowPrivateNetworks: rt.config.allowPrivateNetworks, allowHosts: rt.config.allowHosts },
        });
        for (const r of reports) {
          const got = r.downloads.map((d) => `${d.url} (${mb(d.bytes)})`).join(', ');
          process.stdout.write(r.ok && r.imported ? `${importLine(r.imported)}; downloaded ${got}\n` : `${r.catalog}: FAILED, previous version kept: ${r.error}\n`);
        }
        if (reports.some((r) => !r.ok)) process.exitCode = 1;
      });
    });
  kb.command('status').description('the catalog versions loaded, and every version imported before')
    .option('--json', 'print JSON')
    .addOption(new Option('--db <path>', 'SQLite database file').env('VIGIL_DB'))
    .action(async (flags) => {
      await withStore(flags, async (rt) => {
        const current = await rt.store.catalogVersions();
        const history = await rt.store.catalogHistory();
        if (flags.json) return void process.stdout.write(`${JSON.stringify({ current, history }, null, 2)}\n`);
        if (Object.keys(current).length === 0) return void process.stdout.write('no catalog imported yet (vigil kb import DIR, or vigil kb sync)\n');
        process.stdout.write('catalog\tversion\timported at\tentries\tfiles\n');
        for (const [name, v] of Object.entries(current)) {
          const last = history.find((h) => h.name === name && h.version === v);
          const files = last?.files.map((f) => `${f.origin} sha256:${f.sha256.slice(0, 12)} ${mb(f.size)}${f.raw ? '' : ' derived'}`).join('; ') ?? '-';
          process.stdout.write(`${name}\t${v}\t${last?.importedAt ?? '-'}\t${last?.entries ?? '-'}\t${files}\n`);
        }
        const earlier = history.filter((h) => current[h.name] !== h.version);
        if (earlier.length > 0) {
          process.stdout.write('\nearlier versions\n');
          for (const h of earlier) process.stdout.write(`${h.name}\t${h.version}\t${h.importedAt}\t${h.entries}\n`);
        }
      });
    });
}
