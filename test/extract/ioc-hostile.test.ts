/** IOC extraction on hostile input: huge lines, floods of dots, hex, brackets, defang marks, roots and U+FFFD finish with the right output. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractIocs } from '../../src/extract/iocs.js';

/** type:value of every indicator, in text order. */
const found = (text: string): string[] => extractIocs(text).map((i) => `${i.type}:${i.value}`);

// Each case once made a stage super-linear or wrong; the assertions are on output, the benchmark measures speed.
describe('hostile input: one huge line', () => {
  it('20 MB of prose on one line keeps the indicators at its start, middle and end', () => {
    const text = `C2 45.153.243.142 ${'lorem ipsum '.repeat(850_000)}hxxp://mid[.]evil[.]com/p ${'dolor sit '.repeat(1_000_000)}end evil[.]org`;
    assert.ok(text.length > 20_000_000);
    assert.deepEqual(found(text), ['ipv4:45.153.243.142', 'url:http://mid.evil.com/p', 'domain:mid.evil.com', 'domain:evil.org']);
  });

  it('a URL running for megabytes is cut at the URL length limit', () => {
    const url = extractIocs(`http://evil.com/${'a'.repeat(5_000_000)}`).find((i) => i.type === 'url');
    assert.ok(url && url.value.length <= 2100 && url.value.startsWith('http://evil.com/aaa'));
  });
});

describe('hostile input: floods of one character', () => {
  it('dots', () => {
    assert.deepEqual(found('.'.repeat(100_000)), []);
    assert.deepEqual(found('a.'.repeat(100_000)), []);
    assert.deepEqual(found('1.'.repeat(100_000)), []);
    assert.deepEqual(found(`${'.'.repeat(100_000)} beacon to evil.com`), ['domain:evil.com']);
  });

  it('hex', () => {
    const sha256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    assert.deepEqual(found('f'.repeat(5_000_000)), []);
    assert.deepEqual(found(`${'a'.repeat(1_000_000)} ${sha256} ${'0'.repeat(1_000_000)}`), [`sha256:${sha256}`]);
  });

  it('colons, at signs, backslashes, percent signs and blanks', () => {
    assert.deepEqual(found(':'.repeat(1_000_000)), []);
    assert.deepEqual(found(`${':'.repeat(1_000_000)} 1.2.3.4`), ['ipv4:1.2.3.4']);
    assert.deepEqual(found('a@'.repeat(500_000)), []);
    assert.deepEqual(found(`${'@'.repeat(1_000_000)} user@evil.com`), ['email:user@evil.com', 'domain:evil.com']);
    assert.deepEqual(found(`${'\\'.repeat(1_000_000)} C:\\Windows\\evil.exe`), ['path:C:\\Windows\\evil.exe']);
    assert.deepEqual(found(`${'%'.repeat(1_000_000)} %APPDATA%\\x\\y.dll`), ['path:%APPDATA%\\x\\y.dll']);
    assert.deepEqual(found(' '.repeat(5_000_000)), []);
  });
});

describe('hostile input: brackets and defang marks', () => {
  it('deeply nested brackets around an indicator', () => {
    assert.deepEqual(found(`${'['.repeat(100_000)}evil.com${']'.repeat(100_000)}`), ['domain:evil.com']);
    assert.deepEqual(found(`${'(['.repeat(50_000)}hxxp://evil[.]com/x${'])'.repeat(50_000)}`), ['url:http://evil.com/x', 'domain:evil.com']);
    assert.deepEqual(found(`${'(('.repeat(50_000)}.${'))'.repeat(50_000)}`), []);
  });

  it('endless [.] and chains of " dot "', () => {
    assert.deepEqual(found(`a${'[.]a'.repeat(200_000)}`), []);
    assert.deepEqual(found(`x ${'[.]'.repeat(200_000)} y`), []);
    // One name of 200,000 labels: far too long to be a host.
    assert.deepEqual(found(`${'a dot '.repeat(200_000)}com`), []);
  });
});

describe('hostile input: repeated roots and schemes', () => {
  it('schemes with no host, and URLs glued one onto the next', () => {
    assert.deepEqual(found('http://'.repeat(300_000)), []);
    assert.deepEqual(found('http://a.com/x'.repeat(100_000)), ['url:http://a.com/x', 'domain:a.com']);
  });

  it('a path or registry root glued onto the previous path starts a path of its own', () => {
    assert.deepEqual(found('C:\\x/'.repeat(100_000)), ['path:C:\\x/']);
    assert.deepEqual(found('HKLM\\x/'.repeat(100_000)), ['registry:HKLM\\x/']);
    assert.deepEqual(found("@'C:\\A\\LAYOUTS', @'C:\\B\\LAYOUTS'"), ['path:C:\\A\\LAYOUTS', 'path:C:\\B\\LAYOUTS']);
  });

  it('the same address a hundred thousand times is one indicator', () => {
    assert.deepEqual(found('2001:db8::1 '.repeat(100_000)), ['ipv6:2001:db8::1']);
    assert.deepEqual(found('a@evil.com '.repeat(100_000)), ['email:a@evil.com', 'domain:evil.com']);
  });
});

describe('hostile input: invalid UTF-8, decoded as U+FFFD', () => {
  it('replacement characters between indicators leave them whole', () => {
    const text = `${'\uFFFD'.repeat(1_000_000)} C2 evil[.]com \uFFFD 45.153.243.142\uFFFD http://bad.example.org/a\uFFFDb`;
    assert.deepEqual(found(text), ['domain:evil.com', 'ipv4:45.153.243.142', 'url:http://bad.example.org/a', 'domain:bad.example.org']);
  });

  it('what is left of a word around a lost character names no host', () => {
    assert.deepEqual(found('ev\uFFFDil.com and evil.co\uFFFDm'), []);
  });
});
