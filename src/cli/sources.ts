/** `vigil sources ...` and `vigil fetch`: the source list, its health, and running sources now. */
// The scheduler (and the pipeline behind it) is imported by the commands that run sources, so `vigil serve` registers these without loading it.
import fs from 'node:fs';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { Source } from '../domain/index.js';
import { Fetcher } from '../fetch/index.js';
import { defaultSources, nameFor, SourceError, validateSource } from '../sources/definitions.js';
import { sleep, type SourceDeps } from '../sources/deps.js';
import { NO_PROGRESS, type ProgressFactory } from '../sources/progress.js';
import type { RunReport } from '../sources/run-report.js';
import type { Store } from '../store/index.js';
import { openRuntime, type Runtime, withStore } from './context.js';
import { terminalProgress } from './progress.js';
import { alertWorker } from './alerts.js';

export const USER_AGENT = (version: string) => `Vigil/${version} (self-hosted security news center)`;

export function sourceDeps(rt: Runtime, version: string, progress: ProgressFactory = NO_PROGRESS): SourceDeps {
  const fetcher = new Fetcher({
    userAgent: USER_AGENT(version), allowPrivateNetworks: rt.config.allowPrivateNetworks, allowHosts: rt.config.allowHosts,
    maxBytes: Math.max(rt.config.maxDocumentBytes, 64 * 1024 * 1024),
  });
  return {
    store: rt.store, fetcher, pipeline: rt.pipeline, progress, maxBytes: Math.max(rt.config.maxDocumentBytes, 256 * 1024 * 1024),
    nvdApiKey: rt.config.nvdApiKey, nvdBackfillDays: rt.config.nvdBackfillDays, sleep,
  };
}

export function reportLine(r: RunReport): string {
  if (r.status === 'error') return `${r.source}: error (${r.error?.code}): ${r.error?.message}; next try ${r.nextRunAt}`;
  if (r.status === 'not-modified') return `${r.source}: not modified`;
  const extra = [
    r.failed > 0 ? `${r.failed} failed` : '', r.cvesChanged > 0 ? `${r.cvesChanged} CVEs changed` : '',
    r.itemsRescored > 0 ? `${r.itemsRescored} items re-scored` : '',
  ].filter(Boolean);
  return `${r.source}: ${r.entries} entries, ${r.inserted} new, ${r.updated} updated, ${r.unchanged} unchanged${extra.length ? `, ${extra.join(', ')}` : ''}`;
}

function healthRow(s: Source): string {
  const h = s.health;
  const state = !s.enabled ? 'disabled' : h.lastErrorCode ? `failing x${h.failures} (${h.lastErrorCode})` : h.lastSuccessAt ? 'ok' : 'never run';
  return [s.name, s.kind, state, h.lastSuccessAt ?? '-', String(h.entriesSeen), h.nextRunAt ?? 'now', s.location].join('\t');
}

async function requireSource(store: Store, name: string): Promise<Source> {
  const s = await store.getSource(name);
  if (!s) throw new SourceError(`no source named "${name}" (vigil sources list shows them)`);
  return s;
}

/** Adds definitions, leaving sources already present as they are; returns what was added. */
export async function addSources(store: Store, definitions: readonly ReturnType<typeof validateSource>[], now: string): Promise<string[]> {
  const added: string[] = [];
  for (const d of definitions) {
    if (await store.getSource(d.name)) continue;
    await store.saveSource(d, now);
    added.push(d.name);
  }
  return added;
}

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

export function sourcesCommands(p: Command, version: string, common: (c: Command) => Command): void {
  const s = p.command('sources').description('the feeds, catalogs and pages Vigil reads, and their health');
  common(s.command('list').description('every source with its health: state, last success, entries seen, next run'))
    .option('--json', 'print JSON (the same as GET /api/sources)')
    .action((flags) => withStore(flags, async (rt) => {
      const list = await rt.store.listSources();
      if (flags.json) return out(JSON.stringify(list, null, 2));
      if (list.length === 0) return out('no sources yet: vigil sources add URL, or vigil sources add --defaults');
      out(['name', 'kind', 'state', 'last success', 'entries', 'next run', 'location'].join('\t'));
      for (const src of list) out(healthRow(src));
    }));
  common(s.command('add').description('add a source: a feed URL, a page, a KEV/EPSS/NVD endpoint, a folder'))
    .argument('[location]', 'URL or local folder/file')
    .option('--name <name>', 'short name (default: from the location)')
    .addOption(new Option('--kind <kind>', 'feed, url, kev, epss, nvd, cve5 or folder').default('feed'))
    .option('--title <title>', 'the outlet name shown on items')
    .option('--interval <minutes>', 'minutes between runs')
    .option('--no-articles', 'do not fetch article pages for entries that carry only a summary')
    .option('--disabled', 'add it disabled')
    .option('--defaults', 'add the default source list (src/sources/default-sources.yaml)')
    .action((location, flags) => withStore(flags, async (rt) => {
      const now = rt.pipeline.now().toISOString();
      if (flags.defaults) {
        const added = await addSources(rt.store, defaultSources(), now);
        return out(`added ${added.length} default sources${added.length ? `: ${added.join(', ')}` : ' (all present already)'}`);
      }
      if (!location) throw new SourceError('name a location (a URL or a folder), or pass --defaults');
      const taken = new Set((await rt.store.listSources()).map((x) => x.name));
      const kind = flags.kind === 'feed' && !/^https?:/i.test(location) && fs.existsSync(location) && fs.statSync(location).isDirectory() ? 'folder' : flags.kind;
      const d = validateSource({
        name: flags.name ?? nameFor(location, taken), kind, location, title: flags.title ?? null,
        ...(flags.interval ? { intervalMinutes: Number(flags.interval) } : {}), enabled: !flags.disabled,
        fetchArticles: kind === 'feed' && flags.articles !== false,
      }, 'source');
      if (taken.has(d.name)) throw new SourceError(`a source named "${d.name}" exists; remove it first or pick --name`);
      await rt.store.saveSource(d, now);
      out(`added ${d.kind} source ${d.name}: ${d.location} (every ${d.intervalMinutes} min${d.enabled ? '' : ', disabled'})`);
    }));
  common(s.command('import').description('add the feeds of an OPML file (an export from another reader)'))
    .argument('<file>', 'OPML file')
    .action((file, flags) => withStore(flags, async (rt) => {
      const { parseOpml } = await import('../sources/opml.js');
      const feeds = parseOpml(fs.readFileSync(file));
      const taken = new Set((await rt.store.listSources()).map((x) => x.name));
      const known = new Set((await rt.store.listSources()).map((x) => x.location));
      const defs = [];
      for (const f of feeds) {
        if (known.has(f.xmlUrl)) continue;
        const name = nameFor(f.xmlUrl, taken);
        taken.add(name);
        defs.push(validateSource({ name, kind: 'feed', location: f.xmlUrl, title: f.title || null }, `${file}: ${f.xmlUrl}`));
      }
      const added = await addSources(rt.store, defs, rt.pipeline.now().toISOString());
      out(`${file}: ${feeds.length} feeds, ${added.length} added, ${feeds.length - added.length} present already`);
    }));
  common(s.command('remove').description('remove a source (its documents and items stay)')).argument('<name>')
    .action((name, flags) => withStore(flags, async (rt) => {
      if (!(await rt.store.removeSource(name))) throw new SourceError(`no source named "${name}"`);
      out(`removed ${name}`);
    }));
  for (const [verb, enabled] of [['enable', true], ['disable', false]] as const) {
    common(s.command(verb).description(`${verb} a source`)).argument('<name>')
      .action((name, flags) => withStore(flags, async (rt) => {
        const src = await requireSource(rt.store, name);
        await rt.store.saveSource({ ...src, enabled }, rt.pipeline.now().toISOString());
        out(`${name} ${enabled ? 'enabled' : 'disabled'}`);
      }));
  }
  common(s.command('test').description('fetch and parse a source without storing anything; says what it would add'))
    .argument('<name>')
    .action((name, flags) => withStore(flags, async (rt) => {
      const src = await requireSource(rt.store, name);
      // A throwaway store: the test run must leave the real one exactly as it was.
      const scratch = await openRuntime({ ...flags, db: ':memory:' }, ':memory:');
      try {
        await scratch.store.saveSource({ ...src, enabled: true }, rt.pipeline.now().toISOString());
        const { runSources } = await import('../sources/scheduler.js');
        const [r] = await runSources([(await scratch.store.getSource(name))!], sourceDeps(scratch, version));
        out(reportLine(r));
        for (const w of r.warnings) out(`  warning: ${w}`);
        process.exitCode = r.status === 'error' ? 1 : 0;
      } finally {
        await scratch.store.close();
      }
    }));
  common(p.command('worker').description('run the schedule without the web server: due sources, every minute, until stopped'))
    .action((flags) => Promise.all([openRuntime(flags), import('../sources/scheduler.js')]).then(([rt, { Scheduler }]) => {
      const scheduler = new Scheduler(sourceDeps(rt, version), { onReport: (r) => out(`fetch: ${reportLine(r)}`) });
      scheduler.start();
      const alerts = alertWorker(rt, version);
      alerts.start();
      out(`vigil ${version}: worker running the schedule (database ${rt.config.db})`);
      const stop = async () => {
        await scheduler.stop();
        await alerts.stop();
        await rt.store.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return new Promise<void>(() => {});
    }));
  common(p.command('fetch').description('run every enabled source once now (or one, with --source), then exit'))
    .option('--source <name>', 'run only this source (even when disabled)')
    .action((flags) => withStore(flags, async (rt) => {
      const all = await rt.store.listSources();
      const chosen = flags.source ? [await requireSource(rt.store, flags.source)] : all.filter((x) => x.enabled);
      if (chosen.length === 0) return out('no enabled sources: vigil sources add URL, or vigil sources add --defaults');
      const { runSources } = await import('../sources/scheduler.js');
      const reports = await runSources(chosen, sourceDeps(rt, version, terminalProgress()), undefined, (r) => out(reportLine(r)));
      if (reports.length < chosen.length) out(`${chosen.length - reports.length} sources skipped: another worker is running them`);
      process.exitCode = reports.some((r) => r.status === 'error') ? 1 : 0;
    }));
}
