/** `vigil users ...` and `vigil tokens ...`: local accounts and API tokens; and the auth settings `vigil serve` hands the web app. */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import readline from 'node:readline';
import { type Command, Option } from 'commander';
import { ROLES, type UserRole } from '../domain/user.js';
import type { Audited } from '../domain/work.js';
import { addUser, createToken, listAccounts, listTokens, removeUser, revokeToken, role, setPassword, setRole } from '../web/auth/accounts.js';
import type { AuthOptions } from '../web/auth/index.js';
import { type Runtime, withStore } from './context.js';

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** The password from stdin (one line, for scripts), or typed twice at a terminal without echo; never from argv, which `ps` shows. */
async function readPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin) {
    let text = '';
    for await (const chunk of process.stdin) text += chunk;
    return text.replace(/\r?\n$/, '');
  }
  if (!process.stdin.isTTY) throw new Error('no terminal to type the password on: pass it on stdin with --password-stdin');
  const ask = (question: string) => new Promise<string>((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    // Echo the question, not the keystrokes.
    const rlOut = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WritableStream };
    rlOut._writeToOutput = (s: string) => { if (s.startsWith(question)) rlOut.output.write(s); };
    rl.question(question, (answer) => { rl.close(); process.stdout.write('\n'); resolve(answer); });
  });
  const first = await ask('Password: ');
  if ((await ask('Password again: ')) !== first) throw new Error('the two passwords differ');
  return first;
}

/** The audit log's "who" for a change made here: the command line, as the system account that ran it. */
function cliActor(now: Date): Audited {
  let account = 'unknown';
  try {
    account = os.userInfo().username;
  } catch {
    // A container's uid may have no passwd entry: the change is still recorded, by an unknown account.
  }
  return { actor: `cli:${account}`, at: now.toISOString() };
}

const roleOption = (description: string, fallback?: UserRole) => {
  const o = new Option('--role <role>', description).choices([...ROLES]);
  return fallback ? o.default(fallback) : o;
};

export function usersCommands(p: Command, common: (c: Command) => Command): void {
  const users = p.command('users').description('local accounts: viewer reads, analyst works on items and sources, admin also manages users and tokens');
  common(users.command('add').description('add an account (the first admin of a new install, or another user)'))
    .argument('<name>', 'log-in name: letters, digits, . _ @ -')
    .addOption(roleOption('its role (default: admin for the first account, analyst after)'))
    .option('--password-stdin', 'read the password from stdin instead of asking')
    .action(async (name: string, flags) => {
      const password = await readPassword(Boolean(flags.passwordStdin));
      await withStore(flags, async (rt) => {
        const chosen = flags.role ? role(flags.role) : (await rt.store.countUsers()) === 0 ? 'admin' : 'analyst';
        const now = new Date();
        const u = await addUser(rt.store, { name, password, role: chosen }, now, { who: cliActor(now) });
        out(`added ${u.name} (${u.role})`);
      });
    });
  common(users.command('list').description('every account with its role'))
    .option('--json', 'as JSON')
    .action((flags) => withStore(flags, async (rt) => {
      const list = await listAccounts(rt.store);
      if (flags.json) out(JSON.stringify(list, null, 2));
      else if (list.length === 0) out('no accounts yet: vigil users add NAME --role admin');
      else for (const u of list) out(`${u.name}\t${u.role}\tsince ${u.createdAt.slice(0, 10)}`);
    }));
  common(users.command('passwd').description("set an account's password (signs it out everywhere)"))
    .argument('<name>')
    .option('--password-stdin', 'read the password from stdin instead of asking')
    .action(async (name: string, flags) => {
      const password = await readPassword(Boolean(flags.passwordStdin));
      await withStore(flags, async (rt) => {
        const now = new Date();
        const u = await setPassword(rt.store, name, password, now, cliActor(now));
        out(`password of ${u.name} changed; its sessions ended`);
      });
    });
  common(users.command('role').description("change an account's role").argument('<name>').argument('<role>', ROLES.join('|')))
    .action((name: string, newRole: string, flags) => withStore(flags, async (rt) => {
      const u = await setRole(rt.store, name, role(newRole), cliActor(new Date()));
      out(`${u.name} is now ${u.role}`);
    }));
  common(users.command('remove').description('remove an account with its sessions and tokens').argument('<name>'))
    .action((name: string, flags) => withStore(flags, async (rt) => {
      const u = await removeUser(rt.store, name, cliActor(new Date()));
      out(`removed ${u.name}`);
    }));

  const tokens = p.command('tokens').description('API tokens for the JSON API, feeds and TAXII (Authorization: Bearer vgl_...)');
  common(tokens.command('create').description('make a token: it is printed once, and only its hash is kept'))
    .requiredOption('--user <name>', 'the account it acts for')
    .requiredOption('--name <label>', 'what it is for ("siem-pull")')
    .addOption(roleOption("its role, at most the account's (default: the account's)"))
    .option('--expires-days <n>', 'expire after this many days (default: never)')
    .action((flags) => withStore(flags, async (rt) => {
      const days = flags.expiresDays === undefined ? undefined : Number(flags.expiresDays);
      const now = new Date();
      const input = { user: flags.user, name: flags.name, role: flags.role ? role(flags.role) : undefined, expiresInDays: days };
      const { token, record } = await createToken(rt.store, input, now, cliActor(now));
      process.stderr.write(`token ${record.id} (${record.role}) for ${flags.user.toLowerCase()}${record.expiresAt ? `, expires ${record.expiresAt}` : ''}; store it now, it is not shown again:\n`);
      out(token);
    }));
  common(tokens.command('list').description('tokens with their owner, role, creation, last use and expiry (never the token)'))
    .option('--user <name>', "one account's tokens")
    .option('--json', 'as JSON')
    .action((flags) => withStore(flags, async (rt) => {
      const list = await listTokens(rt.store, flags.user);
      if (flags.json) out(JSON.stringify(list, null, 2));
      else if (list.length === 0) out('no tokens');
      else for (const t of list) out(`${t.id}\t${t.user}\t${t.role}\t${t.name}\tcreated ${t.createdAt.slice(0, 10)}\tlast used ${t.lastUsedAt ?? 'never'}\texpires ${t.expiresAt ?? 'never'}`);
    }));
  common(tokens.command('revoke').description('revoke a token by its id (vigil tokens list)').argument('<id>'))
    .action((id: string, flags) => withStore(flags, async (rt) => {
      await revokeToken(rt.store, id, cliActor(new Date()));
      out(`revoked ${id}`);
    }));
}

/** The web app's auth settings for `vigil serve`; on a database with no account, a set-up code is printed for the first-run page. */
export async function serveAuth(rt: Runtime, options: { quiet?: boolean } = {}): Promise<AuthOptions> {
  let setupCode: string | null = null;
  if (!options.quiet && (await rt.store.countUsers()) === 0) {
    setupCode = randomBytes(6).toString('hex');
    out(`vigil: no account yet: open /setup and enter the set-up code ${setupCode} (or run: vigil users add NAME --role admin)`);
  }
  return { anonymousRead: rt.config.anonymousRead, secureCookies: rt.config.secureCookies ?? undefined, siteUrl: rt.config.siteUrl ?? undefined, setupCode };
}
