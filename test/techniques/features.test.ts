// Tokenisation and features of the technique model: what a sentence turns into before any weight is read.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FEATURE_BITS, featurise, hashFeature, stem, terms, tokenise } from '../../src/techniques/features.js';

test('tokens keep file extensions and switches, drop hashes and bare numbers', () => {
  assert.deepEqual(
    tokenise('The loader ran powershell.exe -enc with 4096 bytes from 9f86d081884c7d659a2feaa0c55ad015.'),
    ['the', 'loader', 'ran', 'powershell', '.exe', '-enc', 'with', 'bytes', 'from'],
  );
  assert.deepEqual(tokenise("The actor's RAT"), ['the', 'actor', 'rat']);
});

test('terms drop function words and fold inflections together', () => {
  assert.deepEqual(terms('They executed the scripts'), ['execut', 'script']);
  assert.equal(stem('executes'), 'execute');
  assert.equal(stem('executing'), 'execut');
  assert.equal(stem('process'), 'process', 'a double s is no plural');
  assert.equal(stem('registries'), 'registry');
});

test('features are words and adjacent pairs, hashed into the feature space, sorted and distinct', () => {
  const v = featurise('Scheduled task created; scheduled task ran.');
  const expected = new Set(['schedul', 'task', 'creat', 'ran', 'schedul task', 'task creat', 'creat schedul', 'task ran'].map(hashFeature));
  assert.deepEqual(new Set(v.index), expected);
  assert.ok([...v.index].every((f, i, a) => f < 1 << FEATURE_BITS && (i === 0 || a[i - 1] < f)));
  assert.ok(Math.abs(v.value - 1 / Math.sqrt(expected.size)) < 1e-12);
  assert.equal(featurise('the of and').index.length, 0);
});
