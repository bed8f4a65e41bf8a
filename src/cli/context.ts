/** Builds what every command needs from its flags: config, knowledge base, catalogs, profile and store. */
import path from 'node:path';
import { type Config, loadConfig } from '../config/config.js';
import { loadProfile, type Profile } from '../config/profile.js';
import { rewriterFromConfig } from '../enrich/rewrite.js';
import { loadKbSnapshot } from '../knowledge/kb-snapshot.js';
import { loadCatalogs, TECHNIQUE_MODEL_CATALOG } from '../knowledge/store-catalogs.js';
import type { TechniqueModel } from '../techniques/model.js';
import type { PipelineContext } from '../pipeline.js';
import { openStore, type Store } from '../store/index.js';

export interface CommonFlags {
  db?: string;
  kbDir?: string;
  profile?: string;
  asOf?: string;
}

export interface Runtime {
  readonly config: Config;
  readonly store: Store;
  readonly pipeline: PipelineContext;
}

export function assertIsoDate(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
  if (!valid) throw new Error(`${flag} must be a real date YYYY-MM-DD, got "${value}"`);
  return value;
}

/** The trained technique model, when `vigil kb train` made one; one that no longer loads is reported and left out. */
async function storedTechniqueModel(store: Store): Promise<TechniqueModel | null> {
  const row = await store.loadCatalog(TECHNIQUE_MODEL_CATALOG);
  if (!row) return null;
  const { loadModel } = await import('../techniques/model.js');
  try {
    return loadModel(String((row.data as { model?: unknown }).model));
  } catch (e) {
    process.stderr.write(`vigil: the stored technique model is not usable (${(e as Error).message}); run vigil kb train again\n`);
    return null;
  }
}

/** Opens the runtime; the knowledge base is validated before any database is touched. */
export async function openRuntime(flags: CommonFlags & { port?: string; host?: string; examples?: boolean; schedule?: boolean; defaultSources?: boolean }, dbOverride?: string): Promise<Runtime> {
  const config = loadConfig({
    db: flags.db, kbDir: flags.kbDir, profile: flags.profile, port: flags.port, host: flags.host, examples: flags.examples,
    schedule: flags.schedule === false ? false : undefined, defaultSources: flags.defaultSources === false ? false : undefined,
  });
  // Validated once per change of kb/ (or of the code), then read from its snapshot: YAML and schema checks cost most of a start.
  const { kb, crosswalks } = loadKbSnapshot(config.kbDir ?? undefined);
  const profile: Profile | null = config.profile ? loadProfile(config.profile) : null;
  const asOf = assertIsoDate(flags.asOf, '--as-of');
  const store = await openStore(dbOverride ?? config.db);
  const catalogs = await loadCatalogs(store, { kbDir: kb.dir, crosswalks });
  // Read and parsed at the first enrichment, once: a start that only serves pages never pays for the model.
  let techniqueModel: Promise<TechniqueModel | null> | undefined;
  return {
    config,
    store,
    // With --as-of the run is reproducible to the byte: the clock stands at that date too.
    pipeline: {
      kb, catalogs, profile, profileName: config.profile ? path.basename(config.profile) : null, now: asOf ? () => new Date(`${asOf}T00:00:00Z`) : () => new Date(), asOf,
      rewriter: rewriterFromConfig(config), loadTechniqueModel: () => (techniqueModel ??= storedTechniqueModel(store)),
    },
  };
}

/** Runs a command against the runtime and always closes its store, whatever the command throws. */
export async function withStore<T>(flags: CommonFlags, fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const rt = await openRuntime(flags);
  try {
    return await fn(rt);
  } finally {
    await rt.store.close();
  }
}
