// The per-host queue: concurrency per host, the gap between starts on a fake clock, independence of hosts, and aborts while waiting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HostQueue } from '../../src/fetch/index.js';

/** A promise with its resolve and reject handed out, so a test decides when each task finishes. */
function deferred<T = void>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((r) => setImmediate(r));

/** A clock that moves only when told: each step jumps to the earliest pending sleep and wakes it. */
function fakeClock() {
  let now = 0;
  const timers: Array<{ at: number; wake: () => void }> = [];
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: (ms: number) => {
      sleeps.push(ms);
      return new Promise<void>((wake) => timers.push({ at: now + ms, wake }));
    },
    advance: (ms: number) => void (now += ms),
    async drain() {
      await tick();
      while (timers.length > 0) {
        timers.sort((x, y) => x.at - y.at);
        const t = timers.shift() as { at: number; wake: () => void };
        now = Math.max(now, t.at);
        t.wake();
        await tick();
      }
    },
  };
}

test('no more than the concurrency runs at once for a host, and tasks start in the order given', async () => {
  const q = new HostQueue({ concurrency: 2, delayMs: 0 });
  const gates = Array.from({ length: 6 }, () => deferred());
  const started: number[] = [];
  let active = 0;
  let peak = 0;
  const runs = gates.map((gate, i) =>
    q.run('a.example', async () => {
      started.push(i);
      peak = Math.max(peak, ++active);
      await gate.promise;
      active--;
      return i;
    }),
  );
  await tick();
  assert.deepEqual(started, [0, 1]);
  assert.deepEqual(q.stats('a.example'), { active: 2, waiting: 4 });
  gates[1].resolve();
  await tick();
  assert.deepEqual(started, [0, 1, 2]);
  for (const g of gates) g.resolve();
  assert.deepEqual(await Promise.all(runs), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(started, [0, 1, 2, 3, 4, 5]);
  assert.equal(peak, 2);
  assert.deepEqual(q.stats('a.example'), { active: 0, waiting: 0 });
});

test('a busy host does not hold up another host', async () => {
  const q = new HostQueue({ concurrency: 1, delayMs: 0 });
  const gate = deferred();
  const slow = q.run('slow.example', () => gate.promise);
  const queued = q.run('slow.example', async () => 'second');
  assert.equal(await q.run('fast.example', async () => 'fast'), 'fast');
  assert.deepEqual(q.stats('slow.example'), { active: 1, waiting: 1 });
  gate.resolve();
  await slow;
  assert.equal(await queued, 'second');
});

test('starts to one host are at least delayMs apart on the clock, other hosts start at once', async () => {
  const clock = fakeClock();
  const q = new HostQueue({ concurrency: 3, delayMs: 1000 }, clock);
  const starts: Array<[string, number]> = [];
  const task = (host: string) => q.run(host, async () => void starts.push([host, clock.now()]));
  const all = Promise.all([task('a'), task('a'), task('a'), task('b'), task('b')]);
  await clock.drain();
  await all;
  assert.deepEqual(starts.filter(([h]) => h === 'a').map(([, t]) => t), [0, 1000, 2000]);
  assert.deepEqual(starts.filter(([h]) => h === 'b').map(([, t]) => t), [0, 1000]);
});

test('the gap counts from the last start, so a host idle long enough starts at once', async () => {
  const clock = fakeClock();
  const q = new HostQueue({ concurrency: 1, delayMs: 1000 }, clock);
  await q.run('a', async () => {});
  clock.advance(5000);
  await q.run('a', async () => {});
  assert.deepEqual(clock.sleeps, []);
  clock.advance(400);
  const third = q.run('a', async () => clock.now());
  await clock.drain();
  assert.equal(await third, 6000);
  assert.deepEqual(clock.sleeps, [600]);
});

test('a failing task frees its slot and its error reaches the caller', async () => {
  const q = new HostQueue({ concurrency: 1, delayMs: 0 });
  await assert.rejects(q.run('a', async () => Promise.reject(new Error('boom'))), /boom/);
  await assert.rejects(q.run('a', () => { throw new Error('sync boom'); }), /sync boom/);
  assert.equal(await q.run('a', async () => 'next'), 'next');
});

test('an abort while waiting takes the task out of the line without running it', async () => {
  const q = new HostQueue({ concurrency: 1, delayMs: 0 });
  const gate = deferred();
  const first = q.run('a', () => gate.promise);
  const controller = new AbortController();
  let ran = false;
  const waiting = q.run('a', async () => void (ran = true), controller.signal);
  const third = q.run('a', async () => 'third');
  controller.abort();
  await assert.rejects(waiting, { name: 'AbortError' });
  assert.deepEqual(q.stats('a'), { active: 1, waiting: 1 });
  gate.resolve();
  await first;
  assert.equal(await third, 'third');
  assert.equal(ran, false);
  await assert.rejects(q.run('a', async () => {}, AbortSignal.abort()), { name: 'AbortError' });
});

test('nonsense options are refused', () => {
  assert.throws(() => new HostQueue({ concurrency: 0, delayMs: 0 }), RangeError);
  assert.throws(() => new HostQueue({ concurrency: 1, delayMs: -1 }), RangeError);
});
