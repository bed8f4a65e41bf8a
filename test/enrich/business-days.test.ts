// Calendar arithmetic behind the regulatory clocks: US federal holidays and business days.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addBusinessDays, isBusinessDay, usFederalHolidays } from '../../src/enrich/business-days.js';

test('US federal holidays of 2026, with observed days', () => {
  const h = usFederalHolidays(2026);
  for (const d of ['2026-01-01', '2026-01-19', '2026-02-16', '2026-05-25', '2026-06-19', '2026-07-03', '2026-09-07', '2026-10-12', '2026-11-11', '2026-11-26', '2026-12-25']) {
    assert.ok(h.has(d), d);
  }
  assert.ok(!h.has('2026-07-04'), 'July 4 2026 is a Saturday, observed on Friday July 3');
});

test('business days skip weekends and holidays', () => {
  assert.equal(isBusinessDay('2026-11-26'), false);
  assert.equal(addBusinessDays('2026-03-27', 4), '2026-04-02', 'Friday + 4 business days');
  assert.equal(addBusinessDays('2026-11-24', 4), '2026-12-01', 'Thanksgiving week');
  assert.equal(addBusinessDays('2026-12-30', 2), '2027-01-04', 'New Year holiday of 2027 on a Friday');
});
