/** What every web request carries once the auth middleware has run: the signed-in user (or null) and the CSRF token forms echo back. */
export type Role = 'viewer' | 'analyst' | 'admin';

export interface SessionUser {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
}

/** Hono's environment for Vigil's app: `c.get('user')`, `c.get('csrfToken')`. */
export type AppEnv = { Variables: { user: SessionUser | null; csrfToken: string } };

export const ROLE_RANK: Readonly<Record<Role, number>> = { viewer: 1, analyst: 2, admin: 3 };

/** A form posts its CSRF token in this field; a script sends it in this header. */
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';
