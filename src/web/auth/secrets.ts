/** Random secrets and their sha256: session ids and API tokens are shown once and stored only as this hash. */
import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url, with an optional prefix (`vgl_` makes a leaked API token recognisable to secret scanners). */
export const newSecret = (prefix = '') => `${prefix}${randomBytes(32).toString('base64url')}`;

/** A short random public id (`usr_...`, `tok_...`). */
export const newId = (prefix: string) => `${prefix}${randomBytes(9).toString('base64url')}`;

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export const API_TOKEN_PREFIX = 'vgl_';
