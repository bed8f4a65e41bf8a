/** A minimal SMTP client over node:net/tls: EHLO, STARTTLS when offered, AUTH PLAIN, one message as UTF-8 text/plain in quoted-printable. */
import net from 'node:net';
import os from 'node:os';
import tls from 'node:tls';

export interface SmtpConfig {
  readonly host: string;
  readonly port: number;
  /** smtps:// — TLS from the first byte (port 465); otherwise STARTTLS is used when the server offers it. */
  readonly implicitTls: boolean;
  readonly user: string | null;
  readonly password: string | null;
  readonly from: string;
  /** For tests against a local sink with a self-signed certificate only. */
  readonly rejectUnauthorized?: boolean;
  readonly timeoutMs?: number;
}

export interface MailMessage {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly date: Date;
  readonly messageId?: string;
}

export class SmtpError extends Error {
  readonly code: number | null;
  /** 4xx answers and broken connections may pass; 5xx answers will not. */
  readonly retryable: boolean;
  constructor(message: string, code: number | null) {
    super(`smtp: ${message}`);
    this.name = 'SmtpError';
    this.code = code;
    this.retryable = code === null || (code >= 400 && code < 500);
  }
}

const ADDRESS = /^[^\s@<>,;"'\\()[\]]+@[^\s@<>,;"'\\()[\]]+$/;

/** An address goes on a command line and into a header: anything that could end either is refused, not cleaned. */
export function checkAddress(address: string): string {
  if (!ADDRESS.test(address)) throw new SmtpError(`not a usable mail address: ${JSON.stringify(address)}`, 501);
  return address;
}

/** Reads VIGIL_SMTP_URL: smtp://user:pass@host:587 or smtps://host:465, with ?from=alerts@example.org (or VIGIL_SMTP_FROM). */
export function smtpConfigFrom(env: NodeJS.ProcessEnv = process.env): SmtpConfig | null {
  const raw = env.VIGIL_SMTP_URL;
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('VIGIL_SMTP_URL is not a URL (smtp://user:pass@host:port)');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error(`VIGIL_SMTP_URL must be smtp:// or smtps://, not ${url.protocol}`);
  const implicitTls = url.protocol === 'smtps:';
  const from = url.searchParams.get('from') ?? env.VIGIL_SMTP_FROM ?? `vigil@${os.hostname()}`;
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: url.port ? Number(url.port) : implicitTls ? 465 : 587, implicitTls,
    user: url.username ? decodeURIComponent(url.username) : null, password: url.password ? decodeURIComponent(url.password) : null,
    from: checkAddress(from),
  };
}

/** A header value on one line: CR and LF (and every other control character) are gone, so no value can start a header of its own. */
export const headerValue = (s: string) => s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();

/** RFC 2047 encoded words for a non-ASCII header, cut on character boundaries so each word decodes alone. */
function encodeHeader(s: string): string {
  const v = headerValue(s);
  if (/^[\x20-\x7e]*$/.test(v)) return v;
  const words: string[] = [];
  let chunk = '';
  for (const ch of v) {
    if (Buffer.byteLength(chunk + ch) > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString('base64')}?=`).join('\r\n ');
}

/** Quoted-printable (RFC 2045): lines of at most 76 characters, CRLF line breaks, UTF-8 bytes over 126 and "=" encoded. */
export function quotedPrintable(text: string): string {
  const out: string[] = [];
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const bytes = Buffer.from(line, 'utf8');
    let encoded = '';
    let width = 0;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      const last = i === bytes.length - 1;
      // Whitespace at the end of a line is dropped by mail relays, so a final space or tab is encoded.
      const plain = (b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !last);
      const token = plain ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
      if (width + token.length > 75) {
        out.push(`${encoded}=`);
        encoded = '';
        width = 0;
      }
      encoded += token;
      width += token.length;
    }
    out.push(encoded);
  }
  return out.join('\r\n');
}

/** The message as sent after DATA: headers, a blank line, the body; CRLF throughout. */
export function buildMessage(from: string, m: MailMessage): string {
  const headers = [
    `From: Vigil <${checkAddress(from)}>`,
    `To: ${m.to.map(checkAddress).join(', ')}`,
    `Subject: ${encodeHeader(m.subject)}`,
    `Date: ${m.date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${headerValue(m.messageId ?? `${m.date.getTime()}.${Math.random().toString(36).slice(2)}`).replace(/[<>\s]/g, '')}@vigil>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: quoted-printable',
    'Auto-Submitted: auto-generated',
  ];
  return `${headers.join('\r\n')}\r\n\r\n${quotedPrintable(m.text)}`;
}

/** Transparency (RFC 5321 4.5.2): a line that starts with "." gets one more, so no line of the body can end DATA. */
export const dotStuff = (data: string) => data.replace(/(^|\r\n)\./g, '$1..');

const isLoopback = (host: string) => host === 'localhost' || net.isIP(host) !== 0 && /^(127\.|::1$|::ffff:127\.)/.test(host);

/** Reads SMTP replies off a socket: one promise per reply, multi-line replies ("250-...", "250 ...") joined. */
class Replies {
  #buffer = '';
  #lines: string[] = [];
  #waiting: { resolve: (r: { code: number; text: string }) => void; reject: (e: Error) => void } | null = null;
  #queue: { code: number; text: string }[] = [];
  #error: Error | null = null;

  attach(socket: net.Socket): void {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.#feed(chunk));
    socket.on('error', (e) => this.#fail(new SmtpError(`connection: ${e.message}`, null)));
    socket.on('close', () => this.#fail(new SmtpError('connection closed', null)));
  }

  detach(socket: net.Socket): void {
    socket.removeAllListeners('data');
    socket.removeAllListeners('error');
    socket.removeAllListeners('close');
  }

  #feed(chunk: string): void {
    this.#buffer += chunk;
    if (this.#buffer.length > 64 * 1024) return this.#fail(new SmtpError('reply too long', null));
    for (let i = this.#buffer.indexOf('\n'); i >= 0; i = this.#buffer.indexOf('\n')) {
      const line = this.#buffer.slice(0, i).replace(/\r$/, '');
      this.#buffer = this.#buffer.slice(i + 1);
      this.#lines.push(line);
      if (/^\d{3}-/.test(line)) continue;
      const code = Number(line.slice(0, 3));
      const reply = { code: Number.isInteger(code) ? code : 0, text: this.#lines.map((l) => l.slice(4)).join('\n') };
      this.#lines = [];
      if (this.#waiting) {
        this.#waiting.resolve(reply);
        this.#waiting = null;
      } else this.#queue.push(reply);
    }
  }

  #fail(e: Error): void {
    this.#error ??= e;
    this.#waiting?.reject(e);
    this.#waiting = null;
  }

  next(): Promise<{ code: number; text: string }> {
    const queued = this.#queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.#error) return Promise.reject(this.#error);
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
    });
  }
}

function connect(config: SmtpConfig): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const options = { host: config.host, port: config.port };
    const socket = config.implicitTls
      ? tls.connect({ ...options, servername: net.isIP(config.host) ? undefined : config.host, rejectUnauthorized: config.rejectUnauthorized ?? true }, () => resolve(socket))
      : net.connect(options, () => resolve(socket));
    socket.once('error', (e) => reject(new SmtpError(`cannot connect to ${config.host}:${config.port}: ${e.message}`, null)));
  });
}

function upgrade(socket: net.Socket, config: SmtpConfig): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const secure = tls.connect({ socket, servername: net.isIP(config.host) ? undefined : config.host, rejectUnauthorized: config.rejectUnauthorized ?? true }, () => resolve(secure));
    secure.once('error', (e) => reject(new SmtpError(`STARTTLS: ${e.message}`, null)));
  });
}

/** Sends one message; resolves with the server's answer to the message, rejects with an SmtpError. */
export async function sendMail(config: SmtpConfig, message: MailMessage): Promise<string> {
  const recipients = message.to.map(checkAddress);
  if (recipients.length === 0) throw new SmtpError('no recipients', 501);
  const data = buildMessage(config.from, message);
  let socket = await connect(config);
  socket.setTimeout(config.timeoutMs ?? 30_000, () => socket.destroy(new Error('timed out')));
  let replies = new Replies();
  replies.attach(socket);
  const expect = async (ok: (code: number) => boolean, what: string) => {
    const r = await replies.next();
    if (!ok(r.code)) throw new SmtpError(`${what}: ${r.code} ${r.text.replace(/\s+/g, ' ').slice(0, 300)}`, r.code || null);
    return r;
  };
  const command = async (line: string, ok: (code: number) => boolean, what = line.split(' ')[0]) => {
    socket.write(`${line}\r\n`);
    return expect(ok, what);
  };
  const is = (n: number) => (code: number) => code === n;
  try {
    await expect(is(220), 'greeting');
    const name = headerValue(os.hostname()).replace(/[^A-Za-z0-9.-]/g, '') || 'vigil';
    let ehlo = await command(`EHLO ${name}`, is(250));
    let secure = config.implicitTls;
    if (!secure && /^STARTTLS\b/im.test(ehlo.text)) {
      await command('STARTTLS', is(220));
      replies.detach(socket);
      socket = await upgrade(socket, config);
      replies = new Replies();
      replies.attach(socket);
      secure = true;
      ehlo = await command(`EHLO ${name}`, is(250));
    }
    if (config.user !== null) {
      // A password is never sent in the clear, except to a relay on this machine.
      if (!secure && !isLoopback(config.host)) throw new SmtpError(`${config.host} offers no STARTTLS; refusing to send the password in the clear`, 530);
      const token = Buffer.from(`\0${config.user}\0${config.password ?? ''}`).toString('base64');
      await command(`AUTH PLAIN ${token}`, is(235), 'AUTH');
    }
    await command(`MAIL FROM:<${checkAddress(config.from)}>`, is(250), 'MAIL FROM');
    for (const r of recipients) await command(`RCPT TO:<${r}>`, (c) => c === 250 || c === 251, 'RCPT TO');
    await command('DATA', is(354));
    socket.write(`${dotStuff(data)}\r\n.\r\n`);
    const done = await expect(is(250), 'message');
    await command('QUIT', () => true).catch(() => undefined);
    return done.text;
  } finally {
    socket.destroy();
  }
}
