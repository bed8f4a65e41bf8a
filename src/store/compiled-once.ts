/** Hot queries built and compiled once, their values filled in per call: Kysely otherwise builds and compiles a query each call. */
import { type Compilable, CompiledQuery, type Kysely } from 'kysely';

/**
 * `build`, compiled with a stand-in for each argument; a call passes the same SQL with the stand-ins' parameters replaced by the
 * arguments. Every argument must reach the query as a parameter of its own (the check below refuses a build where one does not).
 */
export function compiledOnce<D, A extends string[], R>(db: Kysely<D>, build: (...args: A) => Compilable<R>, arity: number, rewrite: (sql: string) => string = (s) => s) {
  const standIns = Array.from({ length: arity }, (_, i) => `\u0000compiled-once-argument-${i}\u0000`) as A;
  let compiled: CompiledQuery<R> | null = null;
  let slots: number[] = [];
  return async (...args: A): Promise<R[]> => {
    if (!compiled) {
      const built = build(...standIns).compile();
      compiled = { ...built, sql: rewrite(built.sql) };
      slots = compiled.parameters.map((p) => standIns.indexOf(p as string));
      for (let i = 0; i < arity; i++) if (!slots.includes(i)) throw new Error(`compiledOnce: argument ${i} is not a parameter of ${compiled.sql}`);
    }
    const parameters = compiled.parameters.map((p, i) => (slots[i] >= 0 ? args[slots[i]] : p));
    return (await db.executeQuery<R>({ ...compiled, parameters })).rows;
  };
}
