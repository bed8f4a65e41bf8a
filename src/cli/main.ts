/** The `vigil` command line: analyze, ingest, serve, reenrich, kb and schema. */
// Modules only some commands need (the pipeline with its parsers, catalog import, the scheduler) are imported in those commands:
// `vigil serve` starts without loading them.
import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { ItemSchema } from '../domain/index.js';
import { itemToMarkdown } from '../export/markdown.js';
import { exportFormat, FORMATS, isIocType } from '../export/formats.js';
import type { Tlp } from '../export/misp.js';
import { loadKb } from '../knowledge/load-kb.js';
import { loadCatalogs } from '../knowledge/store-catalogs.js';
import { createApp } from '../web/app.js';
import { startServer } from '../web/serve.js';
import { type CommonFlags, openRuntime } from './context.js';
import { defaultSources, isWebLocation } from '../sources/definitions.js';
import { addSources, reportLine, sourceDeps, sourcesCommands } from './sources.js';
import { alertsCommands, alertWorker } from './alerts.js';
import { serveAuth, usersCommands } from './users.js';
import { kbCatalogCommands } from './kb.js';
import { loadCrosswalks } from '../knowledge/crosswalks.js';

const VERSION = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version as string;

function common(cmd: Command, withDb = true): Command {
  if (withDb) cmd.addOption(new Option('--db <path>', 'SQLite database file').env('VIGIL_DB'));
  return cmd
    .addOption(new Option('--kb-dir <dir>', 'knowledge base folder').env('VIGIL_KB_DIR'))
    .addOption(new Option('--profile <file>', "the team's profile (YAML or JSON)").env('VIGIL_PROFILE'))
    .option('--as-of <date>', 'analysis date YYYY-MM-DD (default: today)');
}

async function analyzeCommand(files: string[], flags: CommonFlags & { format: string; catalogs?: string }): Promise<number> {
  if (!['json', 'markdown'].includes(flags.format)) throw new Error(`--format must be json or markdown, got "${flags.format}"`);
  const rt = await openRuntime(flags, ':memory:');
  const [{ importCatalogs }, { ingest }, { readInput }] = await Promise.all([import('../knowledge/import-catalogs.js'), import('../pipeline.js'), import('../ingest/read-input.js')]);
  let failed = 0;
  try {
    if (flags.catalogs) {
      for (const r of await importCatalogs(rt.store, flags.catalogs, new Date().toISOString())) if (r.error) process.stderr.write(`vigil: catalog ${r.name} not used: ${r.error}\n`);
    }
    const pipeline = flags.catalogs ? { ...rt.pipeline, catalogs: await loadCatalogs(rt.store, { kbDir: rt.pipeline.kb.dir }) } : rt.pipeline;
    const items = [];
    for (const file of files) {
      try {
        items.push((await ingest(rt.store, await readInput(file, rt.config.maxDocumentBytes), pipeline)).item);
      } catch (e) {
        failed++;
        process.stderr.write(`${(e as Error).message}\n`);
      }
    }
    if (flags.format === 'markdown') process.stdout.write(items.map(itemToMarkdown).join('\n---\n\n'));
    else if (items.length > 0) process.stdout.write(`${JSON.stringify(items.length === 1 && files.length === 1 ? items[0] : items, null, 2)}\n`);
  } finally {
    await rt.store.close();
  }
  return failed > 0 ? 1 : 0;
}

async function ingestCommand(files: string[], flags: CommonFlags): Promise<number> {
  const rt = await openRuntime(flags);
  const [{ ingest, ingestDocument }, { readInput }, { fetchPage }] = await Promise.all([import('../pipeline.js'), import('../ingest/read-input.js'), import('../sources/read-local.js')]);
  let failed = 0;
  try {
    const deps = files.some(isWebLocation) ? sourceDeps(rt, VERSION) : null;
    for (const file of files) {
      try {
        const r = deps && isWebLocation(file)
          ? await ingestDocument(rt.store, await fetchPage(file, deps), rt.pipeline)
          : await ingest(rt.store, await readInput(file, rt.config.maxDocumentBytes), rt.pipeline);
        process.stdout.write(`${file}: document ${r.document_}, item ${r.item.id} ${r.item_} (${r.item.severity.level}, priority ${r.item.priority.value.toFixed(3)})\n`);
      } catch (e) {
        failed++;
        process.stderr.write(`${(e as Error).message}\n`);
      }
    }
  } finally {
    await rt.store.close();
  }
  return failed > 0 ? 1 : 0;
}

async function serveCommand(flags: CommonFlags & { port?: string; host?: string; examples: boolean; schedule: boolean; defaultSources: boolean; workers?: string }): Promise<number> {
  const workers = Number(flags.workers ?? 1);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new Error(`--workers must be a whole number from 1 to 64, got ${flags.workers}`);
  const { forkWorkers, forksWorkers, isWorker, workerSetupCode } = await import('../web/workers.js');
  const rt = await openRuntime(flags);
  // A web worker answers HTTP only: the first process set the database up and keeps the schedule.
  const worker = isWorker();
  if (!worker && rt.config.examples && (await rt.store.countItems()) === 0) {
    const { ingestExamples } = await import('./examples.js');
    const n = await ingestExamples(rt.store, rt.pipeline, rt.config.maxDocumentBytes);
    process.stdout.write(`vigil: empty database, ingested ${n} example documents (--no-examples turns this off)\n`);
  }
  if (!worker && rt.config.defaultSources && (await rt.store.listSources()).length === 0) {
    const added = await addSources(rt.store, defaultSources(), rt.pipeline.now().toISOString());
    process.stdout.write(`vigil: no sources yet, added the ${added.length} default sources (vigil sources list; --no-default-sources turns this off)\n`);
  }
  const auth = worker ? { ...(await serveAuth(rt, { quiet: true })), setupCode: workerSetupCode() } : await serveAuth(rt);
  const pool = forksWorkers(workers) ? forkWorkers(workers, auth.setupCode ?? null) : null;
  const server = pool ? null : await startServer(createApp({
    store: rt.store, taxiiTokens: rt.config.taxiiTokens, auth,
    profile: rt.pipeline.profile, profileName: rt.pipeline.profileName, kb: rt.pipeline.kb,
  }), rt.config.port, rt.config.host);
  const where = server ? server.url : `${await pool!.listening} (${workers} web workers)`;
  if (!worker) process.stdout.write(`vigil ${VERSION}: news center at ${where} (database ${rt.config.db})\n`);
  // After the server listens: the scheduler and the pipeline it runs load while the first requests are answered.
  const scheduler = rt.config.schedule && !worker
    ? new (await import('../sources/scheduler.js')).Scheduler(sourceDeps(rt, VERSION), { onReport: (r) => process.stdout.write(`fetch: ${reportLine(r)}\n`) })
    : null;
  scheduler?.start();
  const alerts = rt.config.schedule && !worker ? alertWorker(rt, VERSION) : null;
  alerts?.start();
  // Item pages of revisions not yet rendered (new items, a migration) are kept in the background; a request never waits for it.
  const pageKeeper = worker ? null : (await import('../web/item-pages.js')).startPageKeeper(rt.store);
  const stop = async () => {
    await pool?.stop();
    await pageKeeper?.stop();
    await scheduler?.stop();
    await alerts?.stop();
    await server?.close();
    await rt.store.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return new Promise(() => {});
}

export function program(): Command {
  const p = new Command('vigil').description('Vigil: a self-hosted cybersecurity news center').version(VERSION);
  p.showHelpAfterError();
  common(p.command('analyze').description('run the whole pipeline on local documents in a throwaway store and print the items'), false)
    .argument('<files...>', 'documents (.txt, .md, .html); - reads stdin')
    .option('--format <format>', 'json or markdown', 'json')
    .option('--catalogs <dir>', 'import official catalogs (ATT&CK, CWE, KEV, EPSS...) from this folder first')
    .action(async (files, flags) => { process.exitCode = await analyzeCommand(files, flags); });
  common(p.command('ingest').description('store documents and their items'))
    .argument('<files...>', 'documents (.txt, .md, .html), or http(s) URLs of article pages; - reads stdin')
    .action(async (files, flags) => { process.exitCode = await ingestCommand(files, flags); });
  common(p.command('serve').description('serve the news center and its JSON API'))
    .addOption(new Option('--port <port>', 'port').env('VIGIL_PORT'))
    .addOption(new Option('--host <host>', 'address to listen on').env('VIGIL_HOST'))
    .option('--no-examples', 'do not ingest examples/ into an empty database')
    .option('--no-schedule', 'do not fetch sources in this process (another worker does, or fetch by hand)')
    .option('--no-default-sources', 'do not add the default sources to a database that has none')
    .addOption(new Option('--workers <n>', 'web processes answering HTTP on one port (node:cluster); this one keeps the schedule').env('VIGIL_WORKERS'))
    .action(async (flags) => { process.exitCode = await serveCommand(flags); });
  common(p.command('reenrich').description('re-run extraction and enrichment for every stored item (after a knowledge update)'))
    .action(async (flags) => {
      const rt = await openRuntime(flags);
      try {
        const { reenrich } = await import('../pipeline.js');
        const r = await reenrich(rt.store, rt.pipeline);
        process.stdout.write(`reenriched ${r.items} items, ${r.updated} changed (knowledge ${rt.pipeline.kb.version})\n`);
      } finally {
        await rt.store.close();
      }
    });
  sourcesCommands(p, VERSION, common);
  alertsCommands(p, VERSION, common);
  usersCommands(p, common);
  common(p.command('export').description(`export items: ${FORMATS.map((f) => f.name).join(', ')}`))
    .argument('[items...]', 'item ids (default: every item, highest priority first, up to --limit)')
    .requiredOption('--format <format>', FORMATS.map((f) => `${f.name} (${f.description})`).join('; '))
    .option('--type <ioc-type>', 'the IOC type of a blocklist (ipv4, domain, sha256...)')
    .addOption(new Option('--tlp <level>', 'TLP marking of STIX and MISP exports').choices(['clear', 'green', 'amber', 'amber+strict', 'red']).default('clear'))
    .option('--limit <n>', 'at most this many items when none are named', '200')
    .option('--site-url <url>', 'where the news center is served, for links in feeds', 'http://127.0.0.1:8080')
    .action(async (ids: string[], flags) => {
      const format = exportFormat(flags.format);
      if (flags.type !== undefined && !isIocType(flags.type)) throw new Error(`--type must be an IOC type, got "${flags.type}"`);
      const rt = await openRuntime(flags);
      try {
        const chosen = ids.length > 0 ? ids : (await rt.store.listItems({ limit: Number(flags.limit) || 200, offset: 0 })).map((i) => i.id);
        const items = [];
        for (const id of chosen) {
          const item = await rt.store.getItem(await rt.store.resolveItemId(id));
          if (!item) throw new Error(`no item ${id}`);
          items.push(item);
        }
        process.stdout.write(format.render(items, { tlp: flags.tlp as Tlp, iocType: flags.type, now: rt.pipeline.now().toISOString(), siteUrl: flags.siteUrl.replace(/\/$/, '') }));
      } finally {
        await rt.store.close();
      }
    });
  const items = p.command('items').description("an analyst's decisions on stories: they hold against every later grouping");
  common(items.command('merge').description('make two items one: the reports of OTHER move into ITEM').argument('<item>').argument('<other>'))
    .action(async (item, other, flags) => {
      const rt = await openRuntime(flags);
      try {
        const { mergeStories } = await import('../pipeline.js');
        const merged = await mergeStories(rt.store, item, other, rt.pipeline);
        process.stdout.write(`${other} merged into ${merged.id}: ${merged.sources.length} reports\n`);
      } finally {
        await rt.store.close();
      }
    });
  common(items.command('split').description('take report DOCUMENT out of ITEM into an item of its own').argument('<item>').argument('<document>'))
    .action(async (item, document, flags) => {
      const rt = await openRuntime(flags);
      try {
        const { splitReport } = await import('../pipeline.js');
        const r = await splitReport(rt.store, item, document, rt.pipeline);
        process.stdout.write(`${document} split out of ${r.left.id} into ${r.split.id}\n`);
      } finally {
        await rt.store.close();
      }
    });
  const kb = p.command('kb').description('knowledge base and reference catalogs');
  kb.command('check').description('validate the knowledge base files')
    .addOption(new Option('--kb-dir <dir>', 'knowledge base folder').env('VIGIL_KB_DIR'))
    .action(async (flags) => {
      const { loadCatalogSources } = await import('../knowledge/sync-catalogs.js');
      const k = loadKb(flags.kbDir);
      const crosswalks = loadCrosswalks(k.dir);
      const catalogSources = loadCatalogSources(path.join(k.dir, 'catalog-sources.yaml'));
      process.stdout.write(`kb ${k.version}: ${k.archetypes.length} archetypes, ${k.steps.size} steps, ${k.techniques.size} techniques, ${k.weaknesses.length} weaknesses, ${k.regulations.length} regulations, ${crosswalks.size} cross-walks, ${catalogSources.length} catalog sources: valid\n`);
    });
  kbCatalogCommands(kb, VERSION);
  p.command('schema').description('print the JSON Schema of an item (the output of analyze and GET /api/items/:id)')
    .action(() => { process.stdout.write(`${JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...ItemSchema }, null, 2)}\n`); });
  return p;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await program().parseAsync(argv);
  } catch (e) {
    process.stderr.write(`vigil: ${(e as Error).message}\n`);
    process.exitCode = 2;
  }
}

await main(process.argv);
