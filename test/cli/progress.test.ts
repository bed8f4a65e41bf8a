// Progress of long source runs: lines (not a bar) when the output is not a terminal; nothing for small runs.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { terminalProgress } from '../../src/cli/progress.js';

function sink() {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean };
  stream.isTTY = false;
  let text = '';
  stream.on('data', (d) => { text += d; });
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
}

test('a large run off a terminal prints progress lines with counts, ending at the total', () => {
  const out = sink();
  const p = terminalProgress(out.stream)('cisa-kev', 1404);
  for (let i = 0; i < 1404; i += 100) p.tick(Math.min(100, 1404 - i));
  p.done();
  assert.match(out.text(), /cisa-kev \[[^\]]*\] 100% 1404\/1404/);
  assert.doesNotMatch(out.text(), /\x1b\[/, 'no terminal escapes in a log');
});

test('a total learnt later (NVD says it in its first page) opens the bar then; small runs print nothing', () => {
  const out = sink();
  const p = terminalProgress(out.stream)('nvd', 0);
  p.total(2000);
  p.tick(2000);
  p.done();
  assert.match(out.text(), /nvd .* 2000\/2000/);
  const quiet = sink();
  const q = terminalProgress(quiet.stream)('feed', 12);
  q.tick(12);
  q.done();
  assert.equal(quiet.text(), '');
});
