/** Reuses SQLite prepared statements by their SQL: Kysely prepares every query anew, and preparing costs more than running a point lookup. */
import type SqliteDatabase from 'better-sqlite3';

/** Enough for every distinct query the app makes; IN lists of many lengths are what pushes old ones out. */
const MAX_STATEMENTS = 500;

/** The database as Kysely's SQLite dialect sees it, with `prepare` answered from a bounded cache (least recently used out first). */
export function cachingDatabase(db: SqliteDatabase.Database): Pick<SqliteDatabase.Database, 'prepare' | 'close'> {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    prepare(source: string) {
      // Kysely begins a transaction with a plain (deferred) BEGIN: a read-then-write transaction of one process then fails with
      // SQLITE_BUSY, without waiting, when another process wrote in between. IMMEDIATE takes the write lock up front, waiting
      // (busy_timeout) for the other to commit.
      if (source === 'begin') source = 'begin immediate';
      const hit = cache.get(source);
      // A statement an open iterator still holds is busy: that caller gets a fresh one.
      if (hit && !hit.busy) {
        cache.delete(source);
        cache.set(source, hit);
        return hit;
      }
      const stmt = db.prepare(source);
      if (!hit) {
        cache.set(source, stmt);
        if (cache.size > MAX_STATEMENTS) cache.delete(cache.keys().next().value!);
      }
      return stmt;
    },
    close() {
      cache.clear();
      return db.close();
    },
  } as Pick<SqliteDatabase.Database, 'prepare' | 'close'>;
}
