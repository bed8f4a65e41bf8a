// The Markdown export escapes what it prints.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { code, md } from '../../src/export/markdown.js';
import { unescaped } from '../helpers.js';

test('Markdown text is escaped: no links, HTML or tables can be injected', () => {
  assert.equal(md('<img src=x onerror=alert(1)>'), '\\<img src=x onerror=alert(1)\\>');
  assert.equal(md('[click](javascript:alert(1))'), '\\[click\\](javascript:alert(1))');
  assert.equal(md('a | b\nc'), 'a \\| b c');
});

test('a code span holds a value literally, backticks, pipes and markup included, even in a table cell', async () => {
  const { marked } = await import('marked');
  const values = ['`${alert(5)}`<b>.exe', 'a``b`c', '"><svg onload=alert(3)>[.]evil', "C:\\x|y'z", '`', 'plain'];
  const table = ['| value | n |', '| --- | --- |', ...values.map((v) => `| ${code(v)} | 1 |`)].join('\n');
  const html = await marked.parse(table);
  const cells = [...html.matchAll(/<td><code>([\s\S]*?)<\/code><\/td>/g)].map((m) => m[1]);
  assert.deepEqual(cells.map(unescaped), values, 'each cell is one code span with the value as it is');
  assert.doesNotMatch(html, /<(b|svg)\b/, 'no markup from the values');
  assert.equal(code('CVSS:3.1/AV:N'), '`CVSS:3.1/AV:N`');
});
