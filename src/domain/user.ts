/** Local accounts, their sessions and API tokens, as the store holds them (secrets only ever as hashes). */
export const ROLES = ['viewer', 'analyst', 'admin'] as const;
/** viewer reads; analyst does the work on items and sources; admin also manages users and tokens. */
export type UserRole = (typeof ROLES)[number];

export const isRole = (value: string): value is UserRole => (ROLES as readonly string[]).includes(value);

export interface UserRecord {
  readonly id: string;
  /** The log-in name: lower case, unique. */
  readonly name: string;
  readonly role: UserRole;
  /** scrypt$N$r$p$salt$hash (src/web/auth/password.ts): the parameters travel with the hash so they can be raised later. */
  readonly passwordHash: string;
  readonly createdAt: string;
  readonly passwordChangedAt: string;
}

export interface SessionRecord {
  /** sha256 of the cookie's value: a copy of the database opens no session. */
  readonly idHash: string;
  readonly userId: string;
  readonly createdAt: string;
  /** The absolute end of the session, however active it is. */
  readonly expiresAt: string;
  /** Last request seen: the idle timeout runs from here. */
  readonly lastSeenAt: string;
}

export interface ApiTokenRecord {
  /** A public handle (`tok_...`) to list and revoke the token by; never the token. */
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  /** The token's own role; it never acts above its owner's current role. */
  readonly role: UserRole;
  readonly tokenHash: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly expiresAt: string | null;
}
