/** Opens a Store: embedded SQLite by default (a file, or ":memory:" for a throwaway store), PostgreSQL for a postgres:// URL. */
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { KyselyStore, StoreError } from './kysely-store.js';
import { registerSearchFunctions } from './search-plan.js';
import { cachingDatabase } from './statement-cache.js';
import type { Database } from './schema.js';
import type { Store } from './store.js';

export async function openSqliteStore(file: string): Promise<Store> {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  let sqlite: SqliteDatabase.Database;
  try {
    sqlite = new SqliteDatabase(file);
  } catch (cause) {
    throw new StoreError(`cannot open SQLite database ${file}: ${(cause as Error).message}`, { cause });
  }
  // WAL lets the web server read while an ingest writes.
  if (file !== ':memory:') sqlite.pragma('journal_mode = WAL');
  // In WAL mode NORMAL never corrupts the database; a power cut may lose the last commits, which the next fetch redoes.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  registerSearchFunctions(sqlite);
  const store = new KyselyStore(new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingDatabase(sqlite) }) }), 'sqlite');
  await store.migrate();
  return store;
}

export async function openPostgresStore(url: string): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 10_000 });
  try {
    (await pool.connect()).release();
  } catch (cause) {
    await pool.end();
    throw new StoreError(`cannot connect to PostgreSQL at ${url.replace(/\/\/[^@/]*@/, '//***@')}: ${(cause as Error).message}`, { cause });
  }
  const store = new KyselyStore(new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), 'postgres');
  await store.migrate();
  return store;
}

/** `--db` and VIGIL_DB take a SQLite file path or a postgres:// URL. */
export function openStore(location: string): Promise<Store> {
  return /^postgres(ql)?:\/\//.test(location) ? openPostgresStore(location) : openSqliteStore(location);
}
