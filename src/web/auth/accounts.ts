/** Account operations shared by the set-up page and `vigil users|tokens`: names and passwords checked, the last admin kept, tokens made. */
import { type ApiTokenRecord, isRole, ROLES, type UserRecord, type UserRole } from '../../domain/user.js';
import type { Store } from '../../store/index.js';
import { ROLE_RANK } from '../context.js';
import { hashPassword, passwordProblem } from './password.js';
import { API_TOKEN_PREFIX, newId, newSecret, sha256 } from './secrets.js';

export type AccountErrorCode = 'bad-name' | 'weak-password' | 'name-taken' | 'not-first' | 'no-such-user' | 'no-such-token' | 'bad-role' | 'last-admin' | 'bad-expiry';

export class AccountError extends Error {
  readonly code: AccountErrorCode;
  constructor(code: AccountErrorCode, message: string) {
    super(`accounts: ${message}`);
    this.name = 'AccountError';
    this.code = code;
  }
}

const NAME = /^[a-z0-9][a-z0-9._@-]{0,63}$/;

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
export async function addUser(store: Store, input: { name: string; password: string; role: UserRole }, now: Date, options: { onlyFirst?: boolean } = {}): Promise<UserRecord> {
  const name = userName(input.name);
  const at = now.toISOString();
  const user: UserRecord = { id: newId('usr_'), name, role: role(input.role), passwordHash: await passwordHash(input.password), createdAt: at, passwordChangedAt: at };
  const r = await store.createUser(user, options);
  if (r === 'name-taken') throw new AccountError('name-taken', `a user named "${name}" exists`);
  if (r === 'not-first') throw new AccountError('not-first', 'Vigil is already set up: an admin adds further users');
  return user;
}

export async function findUser(store: Store, rawName: string): Promise<UserRecord> {
  const user = await store.getUserByName(userName(rawName));
  if (!user) throw new AccountError('no-such-user', `no user named "${rawName.trim().toLowerCase()}"`);
  return user;
}

/** A new password ends every session of the account: whoever knew the old one is signed out. */
export async function setPassword(store: Store, rawName: string, password: string, now: Date): Promise<UserRecord> {
  const user = await findUser(store, rawName);
  await store.updateUser(user.id, { passwordHash: await passwordHash(password), passwordChangedAt: now.toISOString() });
  await store.deleteSessions({ userId: user.id });
  return user;
}

async function assertNotLastAdmin(store: Store, user: UserRecord): Promise<void> {
  if (user.role !== 'admin') return;
  const admins = (await store.listUsers()).filter((u) => u.role === 'admin');
  if (admins.length <= 1) throw new AccountError('last-admin', `"${user.name}" is the only admin: make another admin first`);
}

export async function setRole(store: Store, rawName: string, newRole: UserRole): Promise<UserRecord> {
  const user = await findUser(store, rawName);
  if (newRole !== 'admin') await assertNotLastAdmin(store, user);
  await store.updateUser(user.id, { role: role(newRole) });
  return { ...user, role: newRole };
}

export async function removeUser(store: Store, rawName: string): Promise<UserRecord> {
  const user = await findUser(store, rawName);
  await assertNotLastAdmin(store, user);
  await store.removeUser(user.id);
  return user;
}

/** A new API token: the secret is returned once, and only its sha256 is stored. Its role never exceeds its owner's. */
export async function createToken(
  store: Store, input: { user: string; name: string; role?: UserRole; expiresInDays?: number }, now: Date,
): Promise<{ token: string; record: ApiTokenRecord }> {
  const owner = await findUser(store, input.user);
  const tokenRole = input.role ?? owner.role;
  if (ROLE_RANK[tokenRole] > ROLE_RANK[owner.role]) throw new AccountError('bad-role', `a token of ${owner.name} (${owner.role}) cannot have the role ${tokenRole}`);
  const label = input.name.trim();
  if (label.length < 1 || label.length > 100) throw new AccountError('bad-name', 'a token name is 1 to 100 characters');
  const days = input.expiresInDays;
  if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 3650)) throw new AccountError('bad-expiry', `a token expires in 1 to 3650 days; got ${days}`);
  const token = newSecret(API_TOKEN_PREFIX);
  const record: ApiTokenRecord = {
    id: newId('tok_'), userId: owner.id, name: label, role: tokenRole, tokenHash: sha256(token), createdAt: now.toISOString(), lastUsedAt: null,
    expiresAt: days === undefined ? null : new Date(now.getTime() + days * 86_400_000).toISOString(),
  };
  await store.saveApiToken(record);
  return { token, record };
}

export async function revokeToken(store: Store, id: string): Promise<void> {
  if (!(await store.revokeApiToken(id))) throw new AccountError('no-such-token', `no token with id "${id}" (vigil tokens list)`);
}
