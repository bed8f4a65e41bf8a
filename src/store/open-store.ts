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
  // First: another process (a --workers sibling, a CLI command) may hold the file's lock while this one switches to WAL.
  sqlite.pragma(`busy_timeout = ${BUSY_MS}`);
  // WAL lets the web server read while an ingest writes.
  if (file !== ':memory:') sqlite.pragma('journal_mode = WAL');
  // In WAL mode NORMAL never corrupts the database; a power cut may lose the last commits, which the next fetch redoes.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  registerSearchFunctions(sqlite);
  const store = new KyselyStore(new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingDatabase(sqlite) }) }), 'sqlite');
  await migrateLocked(sqlite, store);
  return store;
}

/** How long a SQLite write waits for another process's write to finish; a migration may take longer (see migrateLocked). */
const BUSY_MS = 5000;
const MIGRATION_WAIT_MS = 10 * 60_000;

/**
 * Kysely's migrator takes no lock on SQLite and runs each migration outside a transaction, so two processes opening one file
 * (`vigil serve --workers N`) would both run a migration, or one die of SQLITE_BUSY. Here the whole run holds the write lock
 * (BEGIN IMMEDIATE) on the one connection Kysely uses: a second opener waits, then finds nothing left to do; a failed
 * migration rolls back whole.
 */
async function migrateLocked(sqlite: SqliteDatabase.Database, store: KyselyStore): Promise<void> {
  sqlite.pragma(`busy_timeout = ${MIGRATION_WAIT_MS}`);
  try {
    sqlite.exec('begin immediate');
  } finally {
    sqlite.pragma(`busy_timeout = ${BUSY_MS}`);
  }
  try {
    await store.migrate();
    sqlite.exec('commit');
  } catch (e) {
    if (sqlite.inTransaction) sqlite.exec('rollback');
    throw e;
  }
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
