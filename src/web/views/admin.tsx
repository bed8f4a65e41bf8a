/** The admin page: local accounts and API tokens, with the forms that add, change, reset, remove, create and revoke them. */
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { ROLES } from '../../domain/user.js';
import type { AccountView, TokenView } from '../auth/accounts.js';
import { PASSWORD_MIN } from '../auth/password.js';
import { CopyValue, CsrfField, when } from './item/parts.js';
import { Layout } from './layout.js';

/** The page's form posts: a refused one is shown again with what was typed (never a password). */
export const ADD_USER = '/admin/users';
export const CREATE_TOKEN = '/admin/tokens';
const userPath = (name: string, action: string) => `/admin/users/${encodeURIComponent(name)}/${action}`;

export interface AdminPageProps {
  readonly users: readonly AccountView[];
  readonly tokens: readonly TokenView[];
  readonly csrf: string;
  /** The admin looking at the page. */
  readonly me: string;
  readonly notice?: string | null;
  readonly error?: string | null;
  /** What a refused form held, by its action. */
  readonly draft?: { readonly form: string; readonly values: Readonly<Record<string, string>> } | null;
  /** A token just made: the only time its secret is shown. */
  readonly created?: { readonly token: string; readonly record: TokenView } | null;
}

function RoleSelect(props: { name: string; value: string; label: string; ownersRole?: boolean }) {
  return (
    <select name={props.name} aria-label={props.label}>
      {props.ownersRole ? <option value="" selected={props.value === ''}>the owner's</option> : null}
      {ROLES.map((r) => <option value={r} selected={r === props.value}>{r}</option>)}
    </select>
  );
}

/** With `username`, the account the password is for rides along hidden, so a password manager files the new password under it. */
function PasswordFields(props: { label: string; username?: string }) {
  return (
    <>
      {props.username === undefined ? null : <input type="text" name="username" autocomplete="username" value={props.username} readonly hidden />}
      <label>{props.label} <input type="password" name="password" autocomplete="new-password" minlength={PASSWORD_MIN} required /></label>
      <label>Again <input type="password" name="confirm" autocomplete="new-password" minlength={PASSWORD_MIN} required /></label>
    </>
  );
}

function NewToken(props: { token: string; record: TokenView }) {
  const { record } = props;
  return (
    <section class="new-token" aria-labelledby="new-token">
      <h2 id="new-token">New token “{record.name}”</h2>
      <p><strong>Copy it now: it is shown this once.</strong> Vigil keeps only its hash; a lost token is revoked and made again.</p>
      <CopyValue display={props.token} />
      <p class="muted">
        For {record.user}, acting as {record.role}, {record.expiresAt ? `until ${when(record.expiresAt)}` : 'with no expiry'}. Send it
        as <code>Authorization: Bearer …</code>.
      </p>
    </section>
  );
}

function UserRow(props: { user: AccountView; me: string; csrf: string }) {
  const { user: u, csrf } = props;
  return (
    <tr>
      <td>{u.name}{u.name === props.me ? <span class="muted"> (you)</span> : null}</td>
      <td>
        <form method="post" action={userPath(u.name, 'role')} class="inline">
          <CsrfField token={csrf} />
          <RoleSelect name="role" value={u.role} label={`Role of ${u.name}`} />{' '}
          <button type="submit">Change<span class="sr-only"> the role of {u.name}</span></button>
        </form>
      </td>
      <td class="date">{when(u.createdAt)}</td>
      <td class="date">{when(u.passwordChangedAt)}</td>
      <td>
        <details class="more">
          <summary>Reset password<span class="sr-only"> of {u.name}</span></summary>
          <form method="post" action={userPath(u.name, 'password')}>
            <CsrfField token={csrf} />
            <PasswordFields label="New password" username={u.name} />
            <button type="submit">Set the password<span class="sr-only"> of {u.name}</span></button>
            <p class="muted">Every session of {u.name} ends.</p>
          </form>
        </details>
        <details class="more">
          <summary>Remove<span class="sr-only"> {u.name}</span></summary>
          <form method="post" action={userPath(u.name, 'remove')}>
            <CsrfField token={csrf} />
            <button type="submit">Remove {u.name} with their sessions and tokens</button>
          </form>
        </details>
      </td>
    </tr>
  );
}

function TokenRow(props: { token: TokenView; csrf: string }) {
  const t = props.token;
  return (
    <tr>
      <td>{t.name}</td><td>{t.user}</td><td>{t.role}</td>
      <td class="date">{when(t.createdAt)}</td>
      <td class="date">{t.lastUsedAt ? when(t.lastUsedAt) : <span class="muted">never</span>}</td>
      <td class="date">{t.expiresAt ? when(t.expiresAt) : <span class="muted">never</span>}</td>
      <td><code>{t.id}</code></td>
      <td>
        <form method="post" action={`/admin/tokens/${encodeURIComponent(t.id)}/revoke`} class="inline">
          <CsrfField token={props.csrf} />
          <button type="submit">Revoke<span class="sr-only"> {t.name} of {t.user}</span></button>
        </form>
      </td>
    </tr>
  );
}

export function AdminPage(props: AdminPageProps) {
  const { users, tokens, csrf, me } = props;
  const typed = (form: string, field: string, fallback = '') => (props.draft?.form === form ? props.draft.values[field] ?? fallback : fallback);
  return (
    <Layout title="Users and tokens">
      <div class="admin">
        <h1>Users and tokens</h1>
        <p class="muted">
          Local accounts and the API tokens that act for them. Every change here is recorded in the <a href="/audit">audit log</a>. The
          command line does the same: <code>vigil users</code>, <code>vigil tokens</code>.
        </p>
        {props.notice ? <p class="notice" role="status">{props.notice}</p> : null}
        {props.error ? <p class="form-error" role="alert">{props.error}</p> : null}
        {props.created ? <NewToken token={props.created.token} record={props.created.record} /> : null}

        <h2 id="users">Users</h2>
        <p class="muted">A viewer reads; an analyst also works on items and sources; an admin also manages users and tokens. The last admin cannot be removed or demoted.</p>
        <table>
          <thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Created</th><th scope="col">Password changed</th><th scope="col"><span class="sr-only">Password and removal</span></th></tr></thead>
          <tbody>{users.map((u) => <UserRow user={u} me={me} csrf={csrf} />)}</tbody>
        </table>
        <h3>Add a user</h3>
        <form method="post" action={ADD_USER}>
          <CsrfField token={csrf} />
          <label>Name <input type="text" name="name" autocomplete="username" maxlength={64} required value={typed(ADD_USER, 'name')} /></label>
          <label>Role <RoleSelect name="role" value={typed(ADD_USER, 'role', 'analyst')} label="Role" /></label>
          <PasswordFields label="Password" />
          <button type="submit">Add the user</button>
        </form>
        <p class="muted">A name is 1 to 64 letters, digits, “.”, “_”, “@” or “-”, in lower case; a password has at least {PASSWORD_MIN} characters.</p>

        <h2 id="tokens">API tokens</h2>
        <p class="muted">For the JSON API, feeds and TAXII. A token acts with its own role, never above its owner's; only its hash is kept.</p>
        {tokens.length === 0 ? <p>No token yet.</p> : (
          <table>
            <thead><tr><th scope="col">Name</th><th scope="col">Owner</th><th scope="col">Role</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Expires</th><th scope="col">Id</th><th scope="col"><span class="sr-only">Revoke</span></th></tr></thead>
            <tbody>{tokens.map((t) => <TokenRow token={t} csrf={csrf} />)}</tbody>
          </table>
        )}
        <h3>Create a token</h3>
        <form method="post" action={CREATE_TOKEN}>
          <CsrfField token={csrf} />
          <label>Name <input type="text" name="name" maxlength={100} required placeholder="siem-pull" value={typed(CREATE_TOKEN, 'name')} /></label>
          <label>Owner
            <select name="user">{users.map((u) => <option value={u.name} selected={u.name === typed(CREATE_TOKEN, 'user', me)}>{u.name} ({u.role})</option>)}</select>
          </label>
          <label>Role <RoleSelect name="role" value={typed(CREATE_TOKEN, 'role')} label="Role" ownersRole /></label>
          <label>Expires after (days) <input type="number" name="expiresDays" min={1} max={3650} value={typed(CREATE_TOKEN, 'expiresDays')} /></label>
          <button type="submit">Create the token</button>
        </form>
        <p class="muted">No expiry when the days are left empty.</p>
      </div>
    </Layout>
  );
}
