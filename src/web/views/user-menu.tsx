/** The user menu at the right end of the top bar: who is signed in, with a log-out form, or a sign-in link. */
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { CSRF_FIELD } from '../context.js';

/** The signed-in user's name and role with a log-out form, or a sign-in link: the right end of the top bar. */
export function UserMenu(props: { user: { name: string; role: string } | null; csrfToken: string }) {
  if (!props.user) return <span class="user-menu"><a href="/login">Sign in</a></span>;
  return (
    <span class="user-menu">
      <span>{props.user.name} <span class="muted">({props.user.role})</span></span>
      <form method="post" action="/logout" class="inline">
        <input type="hidden" name={CSRF_FIELD} value={props.csrfToken} />
        <button type="submit" class="link">Sign out</button>
      </form>
    </span>
  );
}
