// Mail alerts through the SMTP client into a local sink on 127.0.0.1: the conversation, the headers, the body, dot-stuffing, no header injection.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { deliverDue, sendMessage } from '../../src/alerts/index.js';
import { buildMessage, dotStuff, quotedPrintable, type SmtpConfig, smtpConfigFrom } from '../../src/alerts/smtp.js';
import { validateWatchlist } from '../../src/domain/watchlist.js';
import { ingest } from '../../src/pipeline.js';
import { EXAMPLES, testContext } from '../helpers.js';
import { SITE, smtpSink, type SmtpSink, storeWith, testClock, testDeps, VPN } from './receivers.js';

const sinks: SmtpSink[] = [];
afterEach(async () => {
  for (const s of sinks.splice(0)) await s.close();
});

async function sink(): Promise<{ sink: SmtpSink; config: SmtpConfig }> {
  const s = await smtpSink();
  sinks.push(s);
  return { sink: s, config: { host: '127.0.0.1', port: s.port, implicitTls: false, user: 'alerts', password: 'p@ss word', from: 'vigil@team.example' } };
}

/** Undoes quoted-printable, for reading back what the sink received. */
function unQp(s: string): string {
  const flat = s.replace(/=\r\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < flat.length; i++) {
    if (flat[i] === '=') {
      bytes.push(parseInt(flat.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(flat.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}

const split = (raw: string) => {
  const at = raw.indexOf('\r\n\r\n');
  return { headers: raw.slice(0, at).split('\r\n'), body: raw.slice(at + 4) };
};

describe('SMTP', () => {
  test('a watchlist mail arrives with the right envelope, headers and quoted-printable body', async () => {
    const { sink: s, config } = await sink();
    const clock = testClock();
    const { store, ids } = await storeWith([], clock.now);
    await store.saveWatchlist(validateWatchlist({ name: 'mail', rules: { minSeverity: 'CRITICAL' }, channels: [{ kind: 'email', to: ['soc@team.example', 'oncall@team.example'] }] }), clock.now().toISOString());
    const item = (await ingest(store, { bytes: fs.readFileSync(path.join(EXAMPLES, VPN)), origin: VPN, example: false }, testContext({ now: clock.now }))).item;
    ids.push(item.id);
    const reports = await deliverDue(store, testDeps(clock.now, { smtp: config }));
    assert.deepEqual(reports.map((r) => [r.channel, r.status]), [['email:soc@team.example,oncall@team.example', 'sent']]);
    await store.close();

    const verbs = s.commands.map((c) => c.split(/[ :]/)[0]);
    assert.deepEqual(verbs, ['EHLO', 'AUTH', 'MAIL', 'RCPT', 'RCPT', 'DATA', 'QUIT']);
    assert.equal(Buffer.from(s.commands[1].split(' ')[2], 'base64').toString(), '\0alerts\0p@ss word');
    assert.equal(s.commands[2], 'MAIL FROM:<vigil@team.example>');
    assert.deepEqual(s.commands.slice(3, 5), ['RCPT TO:<soc@team.example>', 'RCPT TO:<oncall@team.example>']);
    assert.equal(s.messages.length, 1);
    const { headers, body } = split(s.messages[0]);
    assert.ok(headers.includes('From: Vigil <vigil@team.example>'));
    assert.ok(headers.includes('To: soc@team.example, oncall@team.example'));
    assert.ok(headers.includes(`Subject: [Vigil] CRITICAL: ${item.title}`));
    assert.ok(headers.includes('Date: Tue, 01 Dec 2026 12:00:00 +0000'));
    assert.ok(headers.includes('MIME-Version: 1.0'));
    assert.ok(headers.includes('Content-Type: text/plain; charset=UTF-8'));
    assert.ok(headers.includes('Content-Transfer-Encoding: quoted-printable'));
    assert.ok(body.split('\r\n').every((l) => l.length <= 76), 'quoted-printable lines are at most 76 characters');
    const text = unQp(body);
    assert.ok(text.includes(item.title));
    assert.ok(text.includes(`Severity: CRITICAL · Priority: ${item.priority.value.toFixed(3)}`), 'UTF-8 survives the encoding');
    assert.ok(text.includes(`${SITE}/items/${item.id}`));
    assert.ok(text.includes('Matched: severity CRITICAL (at least CRITICAL)'));
  });

  test('a body line starting with "." is dot-stuffed on the wire; a CRLF in a title cannot add a header', async () => {
    const { sink: s, config } = await sink();
    const clock = testClock();
    const entry = {
      itemId: 'itm_x', title: 'Hostile\r\nBcc: victim@evil.example\r\n\r\nInjected body', severity: 'HIGH', priority: 0.5, triage: 'URGENT',
      reasons: ['vendor Ünïcode'], summary: 'First line.\n.\n.hidden line\n..two dots',
    };
    await sendMessage({ kind: 'email', to: ['soc@team.example'] }, { watchlist: 'w', schedule: 'immediate', entries: [entry] }, testDeps(clock.now, { smtp: config }), 'k1');
    const raw = s.messages[0];
    assert.ok(raw.includes('\r\n..\r\n..hidden line\r\n...two dots'), 'each line starting with "." gets one more');
    const unstuffed = raw.replace(/(^|\r\n)\./g, '$1');
    const { headers, body } = split(unstuffed);
    assert.ok(unQp(body).includes('First line.\n.\n.hidden line\n..two dots'.replace(/\n/g, '\r\n')), 'the reader sees the lines as written');
    assert.deepEqual(headers.filter((h) => /^bcc:/i.test(h)), [], 'no Bcc header');
    assert.ok(headers.includes('Subject: [Vigil] HIGH: Hostile Bcc: victim@evil.example Injected body'));
    assert.ok(headers.every((h) => /^[A-Za-z-]+: /.test(h)), 'every header line is a header of ours');
    assert.deepEqual(s.commands.filter((c) => c.startsWith('RCPT')), ['RCPT TO:<soc@team.example>'], 'the envelope has only the real recipient');
  });

  test('non-ASCII subjects are RFC 2047 encoded words; addresses that could break a line are refused', () => {
    const raw = buildMessage('vigil@team.example', { to: ['a@b.example'], subject: 'Fuite de données chez Æsir\r\nX-Evil: 1', text: 'x', date: new Date(0) });
    const subject = raw.split('\r\n\r\n')[0].split('\r\nSubject: ')[1].split(/\r\n(?! )/)[0];
    const decoded = subject.split('\r\n ').map((w) => Buffer.from(/^=\?UTF-8\?B\?(.*)\?=$/.exec(w)![1], 'base64').toString('utf8')).join('');
    assert.equal(decoded, 'Fuite de données chez Æsir X-Evil: 1');
    assert.ok(!/\r\nX-Evil/.test(raw));
    assert.throws(() => buildMessage('vigil@team.example', { to: ['a@b.example>\r\nRCPT TO:<c@d.example'], subject: 's', text: 'x', date: new Date(0) }), /not a usable mail address/);
    assert.equal(dotStuff('.a\r\nb\r\n.c'), '..a\r\nb\r\n..c');
    assert.equal(quotedPrintable('a=b trailing '), 'a=3Db trailing=20');
  });

  test('VIGIL_SMTP_URL gives host, port, credentials and sender', () => {
    assert.deepEqual(smtpConfigFrom({ VIGIL_SMTP_URL: 'smtp://u%40x:p%3Aw@mail.example:2525?from=alerts@team.example' }), {
      host: 'mail.example', port: 2525, implicitTls: false, user: 'u@x', password: 'p:w', from: 'alerts@team.example',
    });
    assert.equal(smtpConfigFrom({ VIGIL_SMTP_URL: 'smtps://mail.example', VIGIL_SMTP_FROM: 'a@b.example' })!.port, 465);
    assert.equal(smtpConfigFrom({ VIGIL_SMTP_URL: 'smtp://mail.example' })!.port, 587);
    assert.equal(smtpConfigFrom({}), null);
    assert.throws(() => smtpConfigFrom({ VIGIL_SMTP_URL: 'http://mail.example' }), /smtp:\/\//);
    assert.throws(() => smtpConfigFrom({ VIGIL_SMTP_URL: 'smtp://mail.example?from=a@b%0d%0aX:y' }), /not a usable mail address/);
  });

  test('an email channel without VIGIL_SMTP_URL is dead at once, with the reason', async () => {
    const clock = testClock();
    await assert.rejects(
      sendMessage({ kind: 'email', to: ['a@b.example'] }, { watchlist: 'w', schedule: 'immediate', entries: [] }, testDeps(clock.now), 'k'),
      /VIGIL_SMTP_URL is not set/,
    );
  });
});
