/** The Store's account and token writes: each one given an actor appends its audit row in its own transaction, and the last admin stays when asked. */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Audited } from '../domain/work.js';
import type { ApiTokenRecord, UserRecord, UserRole } from '../domain/user.js';
import type { Engine } from './migrations.js';
import type { Database } from './schema.js';
import type { AccountChange, KeepAdmin } from './store.js';
import { audit } from './work-store.js';

type Tx = Transaction<Database>;

// Arbitrary constants naming Vigil's account locks among PostgreSQL advisory locks (the story lock is 7_301_946).
/** Held while the first-run set-up decides whether any user exists. */
const FIRST_USER_LOCK = 7_301_947;
/** Held while a change decides whether an admin remains. */
const ADMIN_LOCK = 7_301_948;

const userTarget = (name: string) => `user ${name}`;
const tokenTarget = (id: string) => `token ${id}`;

/** Audits only a change made for someone: the log-in's own password re-hash is no one's action. */
async function auditIf(tx: Tx, who: Audited | undefined, action: string, target: string, before: unknown, after: unknown): Promise<void> {
  if (who) await audit(tx, who, action, null, target, before, after);
}

export class AccountWrites {
  readonly #db: Kysely<Database>;
  readonly #engine: Engine;

  constructor(db: Kysely<Database>, engine: Engine) {
    this.#db = db;
    this.#engine = engine;
  }

  /** On PostgreSQL two transactions would otherwise each decide on a count the other changes; SQLite's writes already run one at a time. */
  async #lock(tx: Tx, key: number): Promise<void> {
    if (this.#engine === 'postgres') await sql`select pg_advisory_xact_lock(${key})`.execute(tx);
  }

  async #anotherAdmin(tx: Tx, id: string): Promise<boolean> {
    return (await tx.selectFrom('users').select('id').where('role', '=', 'admin').where('id', '!=', id).limit(1).executeTakeFirst()) !== undefined;
  }

  createUser(user: UserRecord, options: { onlyFirst?: boolean } & AccountChange = {}): Promise<'created' | 'name-taken' | 'not-first'> {
    return this.#db.transaction().execute(async (tx) => {
      if (options.onlyFirst) {
        await this.#lock(tx, FIRST_USER_LOCK);
        const any = await tx.selectFrom('users').select('id').limit(1).executeTakeFirst();
        if (any) return 'not-first';
      }
      if (await tx.selectFrom('users').select('id').where('name', '=', user.name).executeTakeFirst()) return 'name-taken';
      await tx.insertInto('users').values({
        id: user.id, name: user.name, role: user.role, password_hash: user.passwordHash, created_at: user.createdAt,
        password_changed_at: user.passwordChangedAt,
      }).execute();
      await auditIf(tx, options.who, 'user.add', userTarget(user.name), null, { role: user.role });
      return 'created';
    });
  }

  updateUser(id: string, patch: { role?: UserRole; passwordHash?: string; passwordChangedAt?: string }, options: AccountChange & KeepAdmin = {}): Promise<boolean | 'last-admin'> {
    return this.#db.transaction().execute(async (tx) => {
      if (options.keepAdmin) await this.#lock(tx, ADMIN_LOCK);
      const before = await tx.selectFrom('users').select(['name', 'role']).where('id', '=', id).executeTakeFirst();
      if (!before) return false;
      const demotes = before.role === 'admin' && patch.role !== undefined && patch.role !== 'admin';
      if (demotes && options.keepAdmin && !(await this.#anotherAdmin(tx, id))) return 'last-admin';
      const set = {
        ...(patch.role ? { role: patch.role } : {}),
        ...(patch.passwordHash ? { password_hash: patch.passwordHash } : {}),
        ...(patch.passwordChangedAt ? { password_changed_at: patch.passwordChangedAt } : {}),
      };
      if (Object.keys(set).length === 0) return true;
      await tx.updateTable('users').set(set).where('id', '=', id).execute();
      if (patch.role && patch.role !== before.role) await auditIf(tx, options.who, 'user.role', userTarget(before.name), { role: before.role }, { role: patch.role });
      // The hash is a secret too: the row says only that and when the password changed.
      if (patch.passwordHash) await auditIf(tx, options.who, 'user.password', userTarget(before.name), null, { passwordChangedAt: patch.passwordChangedAt ?? null });
      return true;
    });
  }

  removeUser(id: string, options: AccountChange & KeepAdmin = {}): Promise<boolean | 'last-admin'> {
    return this.#db.transaction().execute(async (tx) => {
      if (options.keepAdmin) await this.#lock(tx, ADMIN_LOCK);
      const before = await tx.selectFrom('users').select(['name', 'role']).where('id', '=', id).executeTakeFirst();
      if (!before) return false;
      if (before.role === 'admin' && options.keepAdmin && !(await this.#anotherAdmin(tx, id))) return 'last-admin';
      // Deleted explicitly as well as by cascade: SQLite enforces foreign keys only when the connection asks it to.
      await tx.deleteFrom('sessions').where('user_id', '=', id).execute();
      const tokens = await tx.deleteFrom('api_tokens').where('user_id', '=', id).executeTakeFirst();
      await tx.deleteFrom('users').where('id', '=', id).execute();
      await auditIf(tx, options.who, 'user.remove', userTarget(before.name), { role: before.role, tokens: Number(tokens.numDeletedRows) }, null);
      return true;
    });
  }

  saveApiToken(t: ApiTokenRecord, options: AccountChange = {}): Promise<void> {
    return this.#db.transaction().execute(async (tx) => {
      await tx.insertInto('api_tokens').values({
        id: t.id, user_id: t.userId, name: t.name, role: t.role, token_hash: t.tokenHash, created_at: t.createdAt, last_used_at: t.lastUsedAt,
        expires_at: t.expiresAt,
      }).execute();
      if (!options.who) return;
      const owner = await tx.selectFrom('users').select('name').where('id', '=', t.userId).executeTakeFirst();
      await auditIf(tx, options.who, 'token.create', tokenTarget(t.id), null, { name: t.name, owner: owner?.name ?? t.userId, role: t.role, expiresAt: t.expiresAt });
    });
  }

  revokeApiToken(id: string, options: AccountChange = {}): Promise<boolean> {
    return this.#db.transaction().execute(async (tx) => {
      const before = await tx.selectFrom('api_tokens').innerJoin('users', 'users.id', 'api_tokens.user_id')
        .select(['api_tokens.name', 'api_tokens.role', 'users.name as owner']).where('api_tokens.id', '=', id).executeTakeFirst();
      const r = await tx.deleteFrom('api_tokens').where('id', '=', id).executeTakeFirst();
      if (Number(r.numDeletedRows) === 0) return false;
      await auditIf(tx, options.who, 'token.revoke', tokenTarget(id), before ?? null, null);
      return true;
    });
  }
}
