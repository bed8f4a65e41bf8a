/** The log-in, first-run set-up and refusal pages. */
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { PASSWORD_MIN } from '../auth/password.js';
import { Layout } from './layout.js';

export function LoginPage(props: { next: string; name?: string; error?: string }) {
  return (
    <Layout title="Sign in">
      <section class="auth-form">
        <h1>Sign in</h1>
        {props.error ? <p class="form-error" role="alert">{props.error}</p> : null}
        <form method="post" action="/login">
          <input type="hidden" name="next" value={props.next} />
          <label>Name <input name="name" autocomplete="username" required value={props.name ?? ''} autofocus /></label>
          <label>Password <input name="password" type="password" autocomplete="current-password" required /></label>
          <button type="submit">Sign in</button>
        </form>
        <p class="muted">An admin adds accounts on the Users page, or with <code>vigil users add NAME</code>.</p>
      </section>
    </Layout>
  );
}

export function SetupPage(props: { needsCode: boolean; name?: string; error?: string }) {
  return (
    <Layout title="Set up">
      <section class="auth-form">
        <h1>Set up Vigil</h1>
        <p>No account exists yet. Create the first admin: it adds the others.</p>
        {props.error ? <p class="form-error" role="alert">{props.error}</p> : null}
        <form method="post" action="/setup">
          {props.needsCode ? (
            <label>Set-up code <input name="code" autocomplete="off" required /> <span class="muted">printed by <code>vigil serve</code> at start</span></label>
          ) : null}
          <label>Admin name <input name="name" autocomplete="username" required value={props.name ?? ''} /></label>
          <label>Password <input name="password" type="password" autocomplete="new-password" minlength={PASSWORD_MIN} required /> <span class="muted">at least {PASSWORD_MIN} characters</span></label>
          <label>Password again <input name="confirm" type="password" autocomplete="new-password" minlength={PASSWORD_MIN} required /></label>
          <button type="submit">Create the admin</button>
        </form>
        <p class="muted">Or from the command line: <code>vigil users add NAME --role admin</code>.</p>
      </section>
    </Layout>
  );
}

export function DeniedPage(props: { status: number; message: string }) {
  const title = props.status === 429 ? 'Too many attempts' : props.status === 409 ? 'Already done' : 'Not allowed';
  return (
    <Layout title={title}>
      <h1>{title}</h1>
      <p>{props.message}</p>
      <p><a href="/">Back to the list</a></p>
    </Layout>
  );
}
