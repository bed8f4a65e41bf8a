// The Markdown export escapes what it prints.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { md } from '../../src/export/markdown.js';

test('Markdown text is escaped: no links, HTML or tables can be injected', () => {
  assert.equal(md('<img src=x onerror=alert(1)>'), '\\<img src=x onerror=alert(1)\\>');
  assert.equal(md('[click](javascript:alert(1))'), '\\[click\\](javascript:alert(1))');
  assert.equal(md('a | b\nc'), 'a \\| b c');
});
