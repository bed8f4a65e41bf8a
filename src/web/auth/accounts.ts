/**
 * Account operations shared by the set-up page, the admin pages and `vigil users|tokens`: names and passwords checked, the last
 * admin kept, tokens made. Given `who`, each change is audited as that actor's.
 */
import { type ApiTokenRecord, isRole, ROLES, type UserRecord, type UserRole } from '../../domain/user.js';
import type { Audited } from '../../domain/work.js';
import type { Store } from '../../store/index.js';
import { ROLE_RANK } from '../context.js';
import { hashPassword, passwordProblem } from './password.js';
import { API_TOKEN_PREFIX, newId, newSecret, sha256 } from './secrets.js';

export type AccountErrorCode = 'bad-name' | 'weak-password' | 'name-taken' | 'not-first' | 'no-such-user' | 'no-such-token' | 'bad-role' | 'last-admin' | 'bad-expiry';

export class AccountError extends Error {
  readonly code: AccountErrorCode;
  /** The message without its "accounts:" prefix, for a page or a JSON answer. */
  readonly reason: string;
  constructor(code: AccountErrorCode, message: string) {
    super(`accounts: ${message}`);
    this.name = 'AccountError';
    this.code = code;
    this.reason = message;
  }
}

const NAME = /^[a-z0-9][a-z0-9._@-]{0,63}$/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Log-in names are compared in lower case: "Alice" and "alice" are one account. */
export function userName(raw: string): string {
  const name = raw.trim().toLowerCase();
  if (!NAME.test(name)) throw new AccountError('bad-name', `a user name is 1 to 64 letters, digits, ".", "_", "@" or "-", starting with a letter or digit; got "${raw.slice(0, 80)}"`);
  return name;
}

export function role(raw: string): UserRole {
  if (!isRole(raw)) throw new AccountError('bad-role', `a role is one of ${ROLES.join(', ')}; got "${raw}"`);
  return raw;
}

async function passwordHash(password: string): Promise<string> {
  const problem = passwordProblem(password);
  if (problem) throw new AccountError('weak-password', problem);
  return hashPassword(password);
}

/** Adds a user; `onlyFirst` is the first-run set-up, which must fail once anyone exists. */
export async function addUser(store: Store, input: { name: string; password: string; role: UserRole }, now: Date, options: { onlyFirst?: boolean; who?: Audited } = {}): Promise<UserRecord> {
  const name = userName(input.name);
  const at = now.toISOString();
  const user: UserRecord = { id: newId('usr_'), name, role: role(input.role), passwordHash: await passwordHash(input.password), createdAt: at, passwordChangedAt: at };
  const r = await store.createUser(user, options);
  if (r === 'name-taken') throw new AccountError('name-taken', `a user named "${name}" exists`);
  if (r === 'not-first') throw new AccountError('not-first', 'Vigil is already set up: an admin adds further users');
  return user;
}

/** What may be shown of an account: everything but its password hash. */
export interface AccountView {
  readonly id: string;
  readonly name: string;
  readonly role: UserRole;
  readonly createdAt: string;
  readonly passwordChangedAt: string;
}

/** What may be shown of an API token: never the token or its hash; the owner by name. */
export interface TokenView {
  readonly id: string;
  readonly user: string;
  readonly name: string;
  readonly role: UserRole;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly expiresAt: string | null;
}

export const accountView = (u: UserRecord): AccountView => ({ id: u.id, name: u.name, role: u.role, createdAt: u.createdAt, passwordChangedAt: u.passwordChangedAt });

export const tokenView = (t: ApiTokenRecord, owner: string): TokenView => ({
  id: t.id, user: owner, name: t.name, role: t.role, createdAt: t.createdAt, lastUsedAt: t.lastUsedAt, expiresAt: t.expiresAt,
});

export async function listAccounts(store: Store): Promise<AccountView[]> {
  return (await store.listUsers()).map(accountView);
}

/** Every token, or one account's, oldest first. */
export async function listTokens(store: Store, rawOwner?: string): Promise<TokenView[]> {
  const owner = rawOwner ? await findUser(store, rawOwner) : null;
  const names = new Map((await store.listUsers()).map((u) => [u.id, u.name]));
  return (await store.listApiTokens(owner?.id)).map((t) => tokenView(t, names.get(t.userId) ?? t.userId));
}

export async function findUser(store: Store, rawName: string): Promise<UserRecord> {
  const user = await store.getUserByName(userName(rawName));
  if (!user) throw new AccountError('no-such-user', `no user named "${rawName.trim().toLowerCase()}"`);
  return user;
}

/** A new password ends every session of the account: whoever knew the old one is signed out. */
export async function setPassword(store: Store, rawName: string, password: string, now: Date, who?: Audited): Promise<UserRecord> {
  const user = await findUser(store, rawName);
  if (!(await store.updateUser(user.id, { passwordHash: await passwordHash(password), passwordChangedAt: now.toISOString() }, { who }))) throw noSuchUser(user.name);
  await store.deleteSessions({ userId: user.id });
  return user;
}

const noSuchUser = (name: string) => new AccountError('no-such-user', `no user named "${name}"`);

/** The store's answer to a change that keeps an admin: the refusal says what to do instead. */
function kept(result: boolean | 'last-admin', user: UserRecord): void {
  if (result === 'last-admin') throw new AccountError('last-admin', `"${user.name}" is the only admin: make another admin first`);
  // Removed between the look-up and the change (another admin, at the same moment).
  if (!result) throw noSuchUser(user.name);
}

export async function setRole(store: Store, rawName: string, newRole: UserRole, who?: Audited): Promise<UserRecord> {
  const user = await findUser(store, rawName);
  kept(await store.updateUser(user.id, { role: role(newRole) }, { who, keepAdmin: true }), user);
  return { ...user, role: newRole };
}

export async function removeUser(store: Store, rawName: string, who?: Audited): Promise<UserRecord> {
  const user = await findUser(store, rawName);
  kept(await store.removeUser(user.id, { who, keepAdmin: true }), user);
  return user;
}

/** A new API token: the secret is returned once, and only its sha256 is stored. Its role never exceeds its owner's. */
export async function createToken(
  store: Store, input: { user: string; name: string; role?: UserRole; expiresInDays?: number }, now: Date, who?: Audited,
): Promise<{ token: string; record: ApiTokenRecord; owner: UserRecord }> {
  const owner = await findUser(store, input.user);
  const tokenRole = input.role ?? owner.role;
  if (ROLE_RANK[tokenRole] > ROLE_RANK[owner.role]) throw new AccountError('bad-role', `a token of ${owner.name} (${owner.role}) cannot have the role ${tokenRole}`);
  const label = input.name.trim();
  // Control characters would break the one-line listing of `vigil tokens list`, and could hide what a name says.
  if (label.length < 1 || label.length > 100 || CONTROL.test(label)) throw new AccountError('bad-name', 'a token name is 1 to 100 characters, without control characters');
  const days = input.expiresInDays;
  if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 3650)) throw new AccountError('bad-expiry', `a token expires in 1 to 3650 days; got ${days}`);
  const token = newSecret(API_TOKEN_PREFIX);
  const record: ApiTokenRecord = {
    id: newId('tok_'), userId: owner.id, name: label, role: tokenRole, tokenHash: sha256(token), createdAt: now.toISOString(), lastUsedAt: null,
    expiresAt: days === undefined ? null : new Date(now.getTime() + days * 86_400_000).toISOString(),
  };
  await store.saveApiToken(record, { who });
  return { token, record, owner };
}

export async function revokeToken(store: Store, id: string, who?: Audited): Promise<void> {
  if (!(await store.revokeApiToken(id, { who }))) throw new AccountError('no-such-token', `no token with id "${id}" (vigil tokens list)`);
}
