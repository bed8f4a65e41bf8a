/** IOC extraction and refang: content per type, defanged forms, normalisation, raw offsets, reserved ranges (hostile input: ioc-hostile.test.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IocType, RawIoc } from '../../src/domain/ioc.js';
import { extractIocs, isReservedAddress } from '../../src/extract/iocs.js';
import { defang, refang, refangWithMap } from '../../src/extract/refang.js';

const values = (text: string, type: IocType): string[] => extractIocs(text).filter((i) => i.type === type).map((i) => i.value);
const one = (text: string, type: IocType): RawIoc => {
  const found = extractIocs(text).filter((i) => i.type === type);
  assert.equal(found.length, 1, `${type} in ${JSON.stringify(text)}: ${JSON.stringify(found)}`);
  return found[0];
};

describe('refang', () => {
  it('undoes the common defang forms', () => {
    assert.equal(refang('hxxp://evil[.]com/a'), 'http://evil.com/a');
    assert.equal(refang('hXXps://evil(.)com'), 'https://evil.com');
    assert.equal(refang('fxp://files{.}evil[dot]com'), 'ftp://files.evil.com');
    assert.equal(refang('evil(dot)co\\.uk'), 'evil.co.uk');
    assert.equal(refang('http[://]evil.com[/]x'), 'http://evil.com/x');
    assert.equal(refang('http[:]//evil.com'), 'http://evil.com');
    assert.equal(refang('user[at]evil.com user(at)evil.com user[@]evil.com'), 'user@evil.com user@evil.com user@evil.com');
    assert.equal(refang('mail admin at evil dot com dot ru'), 'mail admin at evil.com.ru');
    assert.equal(refang('http__evil.com https:__evil.com http:\\\\evil.com'), 'http://evil.com https://evil.com http://evil.com');
    assert.equal(refang('hxxp:// evil .com /x'), 'http://evil.com/x');
    assert.equal(refang('1[.]2.3[.]4 and 111[.111.]111[.111'), '1.2.3.4 and 111.111.111.111');
  });

  it('leaves prose alone', () => {
    for (const s of ['see (.NET Framework) here', 'connect the dot to the line', 'hxxpfoo', 'C:\\Users\\bob\\.ssh\\id_rsa',
      'look at [::1] and [...]', 'the dot com bubble']) assert.equal(refang(s), s);
  });

  it('maps offsets back to the original text', () => {
    const text = 'go to hxxp://evil[.]com/x now';
    const { text: out, map } = refangWithMap(text);
    const a = out.indexOf('http'); const b = out.indexOf(' now');
    assert.equal(text.slice(map.toOriginal(a, 'start'), map.toOriginal(b, 'end')), 'hxxp://evil[.]com/x');
    assert.equal(map.changed(a, b), true);
    assert.equal(map.changed(0, 5), false);
  });

  it('defangs for display', () => {
    assert.equal(defang('http://evil.com/x.php', 'url'), 'hxxp://evil[.]com/x.php');
    assert.equal(defang('127.0.0.1', 'ipv4'), '127[.]0[.]0[.]1');
    assert.equal(defang('user@evil.com', 'email'), 'user[@]evil[.]com');
    assert.equal(defang('evil.com', 'domain'), 'evil[.]com');
    assert.equal(defang('d41d8cd98f00b204e9800998ecf8427e', 'md5'), 'd41d8cd98f00b204e9800998ecf8427e');
  });
});

describe('extractIocs: types', () => {
  it('IPv4, IPv6 and CIDR', () => {
    assert.deepEqual(values('C2 at 45.153.243.142, then 01.1.1.1 and 999.1.1.1 and 1.2.3.4.5', 'ipv4'), ['45.153.243.142', '1.1.1.1']);
    assert.deepEqual(values('a 2001:0db8:0000:0000:0000:ff00:0042:8329 b ::1 c 1:1 d 12:30:45', 'ipv6'), ['2001:db8::ff00:42:8329', '::1']);
    assert.deepEqual(values('ranges 10.0.0.0/8 and 2001:db8::/32', 'cidr'), ['10.0.0.0/8', '2001:db8::/32']);
    assert.deepEqual(values('ranges 10.0.0.0/8', 'ipv4'), []);
    assert.deepEqual(values('version 10.0.19041.1 and Chrome/17.0.963.56', 'ipv4'), []);
  });

  it('domains are public-suffix validated, lower-cased, punycoded, without trailing dot', () => {
    assert.deepEqual(values('Beacons to Evil-Corp.CO.UK. and www.github.io', 'domain'), ['evil-corp.co.uk', 'www.github.io']);
    assert.deepEqual(values('visit テスト.example.com', 'domain'), ['xn--zckzah.example.com']);
    assert.deepEqual(values('example.nope and a.b-.de', 'domain'), []);
  });

  it('file names are not domains unless defanged or in an IOC context', () => {
    assert.deepEqual(values('Open report.pdf, invoice.docx, script.js, readme.md and video.mov', 'domain'), []);
    assert.deepEqual(values('archive.zip was attached', 'domain'), []);
    assert.deepEqual(values('phishing page on microsoft-update[.]zip', 'domain'), ['microsoft-update.zip']);
    assert.deepEqual(values('C2 domain: update-check.zip', 'domain'), ['update-check.zip']);
    assert.deepEqual(values('hxxps://login.office.mov/x', 'domain'), ['login.office.mov']);
  });

  it('URLs: trailing punctuation and unbalanced brackets trimmed, case of path kept', () => {
    assert.deepEqual(values('Foo https://citizenlab.ca/about/), bar', 'url'), ['https://citizenlab.ca/about/']);
    assert.deepEqual(values('(see https://EVIL.com/Path/A.php?q=1#x).', 'url'), ['https://evil.com/Path/A.php?q=1#x']);
    assert.deepEqual(values('http://example.com/!!!!', 'url'), ['http://example.com/']);
    assert.deepEqual(values('https://en.wikipedia.org/wiki/Foo_(bar) x', 'url'), ['https://en.wikipedia.org/wiki/Foo_(bar)']);
    assert.deepEqual(values('<a href="https://bit.ly/12345">', 'url'), ['https://bit.ly/12345']);
    assert.deepEqual(values('a http://[fdc4::1]:80/path b', 'url'), ['http://[fdc4::1]:80/path']);
    assert.deepEqual(values('payload at 5.253[.]84[.]159/x', 'url'), ['http://5.253.84.159/x']);
    assert.deepEqual(values('http://example,com/ and http://192,168,0,1', 'url'), []);
  });

  it('e-mail addresses', () => {
    assert.deepEqual(values('mail Bad@Example.com, "foo@bar.com and -----x@y.org', 'email'), ['bad@example.com', 'foo@bar.com', 'x@y.org']);
    assert.deepEqual(values('hoge@hoge and myuser @ words. Sentence', 'email'), []);
  });

  it('hashes of exact length only, never a slice of a longer hex run', () => {
    const md5 = 'd41d8cd98f00b204e9800998ecf8427e';
    const sha1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
    const sha256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    const sha512 = 'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e';
    const found = extractIocs(`${md5.toUpperCase()} ${sha1} ${sha256} ${sha512}`).map((i) => [i.type, i.value]);
    assert.deepEqual(found, [['md5', md5], ['sha1', sha1], ['sha256', sha256], ['sha512', sha512]]);
    assert.deepEqual(values(`${md5}ab ${'a'.repeat(48)} word${md5}`, 'md5'), []);
    assert.deepEqual(values(`${md5}ab`, 'sha1'), []);
  });

  it('ssdeep, registry keys, ASNs, MACs', () => {
    const ss = '1536:yB+A8bMtMeRlbIzvDqZL4QzNxVDm+5gt+M2hDDDvNZ3YZ7sU:N4tMsbOGcyrV6BQvnoZ4U';
    assert.deepEqual(values(`fuzzy ${ss},"x"`, 'ssdeep'), [ss]);
    assert.deepEqual(values('at 12:30:45 and 7:abcdefghij:kl', 'ssdeep'), []);
    assert.deepEqual(values('HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Console\\ConsoleIME HKCU\\Software\\Run.', 'registry'),
      ['HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Console\\ConsoleIME', 'HKCU\\Software\\Run']);
    assert.deepEqual(values('reg add HKEY_LOCAL_MACHINE\\Software\\X /v Y', 'registry'), ['HKEY_LOCAL_MACHINE\\Software\\X']);
    assert.deepEqual(values('AS1234, ASN 15169 and AS 9009 but not AS1234foobar', 'asn'), ['AS1234', 'AS15169', 'AS9009']);
    assert.deepEqual(values('AA-F2-C9-A6-B3-4F ab:f2:c9:a6:b3:4f ACF2.C9A6.B34F', 'mac'), ['aa:f2:c9:a6:b3:4f', 'ab:f2:c9:a6:b3:4f', 'ac:f2:c9:a6:b3:4f']);
  });

  it('BTC (base58 and bech32 with checksum) and XMR', () => {
    const text = 'pay 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 or 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy or bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';
    assert.deepEqual(values(text, 'btc'), ['1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq']);
    assert.deepEqual(values('1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3 bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdx', 'btc'), []);
    const xmr = '496aKKdqF1xQSSEzw7wNrkZkDUsCD5cSmNCfVhVgEps52WERBcLDGzdF5UugmFoHMm9xRJdewvK2TFfAJNwEV25rTcVF5Vp';
    assert.deepEqual(values(`wallet ${xmr}.`, 'xmr'), [xmr]);
  });

  it('paths and file names', () => {
    assert.deepEqual(values('drops C:\\Program Files\\Evil Co\\evil.exe and %APPDATA%\\x\\y.dll', 'path'),
      ['C:\\Program Files\\Evil Co\\evil.exe', '%APPDATA%\\x\\y.dll']);
    assert.deepEqual(values('reads /etc/passwd and ~/foo/bar.py, not and/or or https://x.com/etc/y', 'path'), ['/etc/passwd', '~/foo/bar.py']);
    assert.deepEqual(values('ran update.exe and helper.dll; the payload script.js; see page.html', 'file'), ['update.exe', 'helper.dll', 'script.js']);
  });
});

describe('extractIocs: defanged forms, offsets, dedup', () => {
  it('reports the raw span and the defanged flag', () => {
    const text = 'C2: hxxp://evil[.]com/a.php and 1.2.3[.]4, also evil.com and user[@]evil[.]org';
    const all = extractIocs(text);
    for (const i of all) assert.equal(text.slice(i.start, i.end), i.raw, JSON.stringify(i));
    const url = one(text, 'url');
    assert.deepEqual([url.value, url.raw, url.defanged], ['http://evil.com/a.php', 'hxxp://evil[.]com/a.php', true]);
    const ip = one(text, 'ipv4');
    assert.deepEqual([ip.value, ip.raw, ip.defanged], ['1.2.3.4', '1.2.3[.]4', true]);
    const mail = one(text, 'email');
    assert.deepEqual([mail.value, mail.raw], ['user@evil.org', 'user[@]evil[.]org']);
    const dom = all.filter((i) => i.type === 'domain').map((i) => [i.value, i.defanged]);
    // The hosts of the URL and the address are their parts; evil.com written on its own is reported there, plainly.
    assert.deepEqual(dom, [['evil.com', false], ['evil.org', true]]);
  });

  it('keeps the first occurrence per (type, value)', () => {
    const all = extractIocs('evil.com EVIL.com evil[.]com');
    assert.equal(all.length, 1);
    assert.deepEqual([all[0].raw, all[0].start, all[0].defanged], ['evil.com', 0, false]);
  });

  it('a plain URL is not defanged', () => {
    assert.equal(one('see https://example.com/x', 'url').defanged, false);
    assert.equal(one('see HTTPS://example.com/x', 'url').defanged, false);
  });
});

describe('isReservedAddress', () => {
  it('names the range', () => {
    assert.equal(isReservedAddress('10.1.2.3'), 'private range 10.0.0.0/8 (RFC 1918)');
    assert.equal(isReservedAddress('192.0.2.5'), 'documentation range 192.0.2.0/24 (RFC 5737)');
    assert.match(isReservedAddress('127.0.0.1') ?? '', /loopback/);
    assert.match(isReservedAddress('169.254.1.1') ?? '', /link-local/);
    assert.match(isReservedAddress('100.64.3.3') ?? '', /CGNAT.*100\.64\.0\.0\/10/);
    assert.match(isReservedAddress('239.1.1.1') ?? '', /multicast/);
    assert.match(isReservedAddress('172.31.255.255') ?? '', /RFC 1918/);
    assert.match(isReservedAddress('2001:db8::1') ?? '', /documentation.*2001:db8::\/32/);
    assert.match(isReservedAddress('fd00::1') ?? '', /unique local/);
    assert.match(isReservedAddress('fe80::1') ?? '', /link-local/);
    assert.match(isReservedAddress('::1') ?? '', /loopback/);
    assert.match(isReservedAddress('::ffff:192.168.1.1') ?? '', /RFC 1918/);
  });
  it('returns null for public addresses', () => {
    for (const ip of ['8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '45.153.243.142']) assert.equal(isReservedAddress(ip), null, ip);
  });
});
