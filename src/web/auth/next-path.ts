/** Where to go after log-in: only a path on this site, never another host (no open redirect). */
export function safeNext(raw: string | undefined | null): string {
  if (!raw || raw.length > 2000) return '/';
  // "//evil.example" and "/\evil.example" are read by browsers as another host; control characters can hide either.
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\') || /[\u0000-\u001f\u007f\\]/.test(raw)) return '/';
  const base = 'http://vigil.invalid';
  const url = new URL(raw, base);
  if (url.origin !== base || url.pathname.startsWith('/login') || url.pathname.startsWith('/logout')) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The log-in address that comes back to this request's page. */
export function loginPath(path: string, search: string): string {
  const back = safeNext(`${path}${search}`);
  return back === '/' ? '/login' : `/login?next=${encodeURIComponent(back)}`;
}
