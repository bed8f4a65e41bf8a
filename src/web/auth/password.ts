/** Password hashing with node:crypto scrypt, encoded with its parameters (scrypt$N$r$p$salt$hash) so they can be raised later. */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** OWASP's floor for scrypt is N=2^17 with r=8; 2^15 keeps a log-in near 50 ms on a small server and is what the issue asks at least. */
export const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;
/** NIST SP 800-63B-4 asks at least 15 characters of a password that is the only factor; the cap bounds the work of one attempt. */
export const PASSWORD_MIN = 15;
export const PASSWORD_MAX = 256;

interface Params {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

function derive(password: string, salt: Buffer, params: Params, keyLength: number): Promise<Buffer> {
  // scrypt needs 128 * N * r bytes; Node's default cap (32 MiB) is exactly 2^15 * 8 * 128, so leave room for raised parameters.
  const maxmem = 256 * params.N * params.r + 1024 * 1024;
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, keyLength, { N: params.N, r: params.r, p: params.p, maxmem }, (err, key) => (err ? reject(err) : resolve(key))));
}

/** Why a password is refused, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  const length = [...password.normalize('NFKC')].length;
  if (length < PASSWORD_MIN) return `a password needs at least ${PASSWORD_MIN} characters (got ${length})`;
  if (length > PASSWORD_MAX) return `a password has at most ${PASSWORD_MAX} characters`;
  return null;
}

export async function hashPassword(password: string, params: Params = SCRYPT): Promise<string> {
  const salt = randomBytes(SCRYPT.saltLength);
  const key = await derive(password, salt, params, SCRYPT.keyLength);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

function parse(encoded: string): { params: Params; salt: Buffer; key: Buffer } | null {
  const m = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([\w-]+)\$([\w-]+)$/.exec(encoded);
  if (!m) return null;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // A stored hash is trusted data, but a corrupt one must not make a log-in allocate gigabytes.
  if (N < 2 || N > 2 ** 20 || (N & (N - 1)) !== 0 || r < 1 || r > 32 || p < 1 || p > 16) return null;
  return { params: { N, r, p }, salt: Buffer.from(m[4], 'base64url'), key: Buffer.from(m[5], 'base64url') };
}

/** True when `password` matches the encoded hash; compared in constant time. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const stored = parse(encoded);
  if (!stored || stored.key.length < 16 || password.length > PASSWORD_MAX * 4) return false;
  const key = await derive(password, stored.salt, stored.params, stored.key.length);
  return timingSafeEqual(key, stored.key);
}

/** A hash made with weaker parameters than today's: re-hash it at the next successful log-in. */
export function needsRehash(encoded: string): boolean {
  const stored = parse(encoded);
  return !stored || stored.params.N < SCRYPT.N || stored.params.r < SCRYPT.r || stored.params.p < SCRYPT.p;
}

let dummy: Promise<string> | undefined;
/** Spends the time of one verification on a name that has no account, so the response time does not say which names exist. */
export async function verifyNobody(password: string): Promise<false> {
  dummy ??= hashPassword('vigil-no-such-account-placeholder');
  await verifyPassword(password, await dummy);
  return false;
}
