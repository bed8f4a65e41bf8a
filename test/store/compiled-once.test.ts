// A query compiled once gives each call's own values, however often an argument appears; a build that hides an argument is refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { compiledOnce } from '../../src/store/compiled-once.js';

test('each call fills in its own arguments; an argument that is no parameter is refused', async () => {
  const db = new Kysely<{ t: { a: string; b: string } }>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) });
  await sql`create table t (a text, b text)`.execute(db);
  await sql`insert into t values ('x', 'y'), ('x', 'z'), ('w', 'w')`.execute(db);
  const q = compiledOnce(db, (a: string, b: string) => db.selectFrom('t').select('b').where('a', '=', a).where((eb) => eb.or([eb('b', '=', b), eb('a', '=', b)])).orderBy('b'), 2);
  assert.deepEqual((await q('x', 'z')).map((r) => r.b), ['z']);
  assert.deepEqual((await q('w', 'w')).map((r) => r.b), ['w']);
  assert.deepEqual(await q("x' or 1=1 --", 'y'), [], 'values are parameters, never SQL');
  const hidden = compiledOnce(db, (a: string) => db.selectFrom('t').select('b').where('a', '=', a.toUpperCase()), 1);
  await assert.rejects(hidden('x'), /argument 0 is not a parameter/);
  await db.destroy();
});
