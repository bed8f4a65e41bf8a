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

test('holidays are computed for any year, with the Saturday and Sunday observed-day rules', () => {
  const h2027 = usFederalHolidays(2027);
  for (const d of ['2027-01-01', '2027-01-18', '2027-02-15', '2027-05-31', '2027-06-18', '2027-07-05', '2027-09-06', '2027-10-11', '2027-11-11', '2027-11-25', '2027-12-24', '2027-12-31']) {
    assert.ok(h2027.has(d), d);
  }
  assert.ok(!h2027.has('2027-06-19') && !h2027.has('2027-07-04') && !h2027.has('2027-12-25'), 'weekend days themselves are not the observed holiday');
  assert.ok(usFederalHolidays(2021).has('2021-12-31'), 'New Year 2022 (a Saturday) is observed on 31 December 2021');
  assert.ok(!usFederalHolidays(2022).has('2021-12-31'));
  assert.ok(usFederalHolidays(2023).has('2023-01-02'), 'New Year 2023 (a Sunday) is observed on Monday 2 January');
  assert.ok(usFederalHolidays(2040).has('2040-11-22'), 'Thanksgiving 2040 is the fourth Thursday of November');
  assert.equal(usFederalHolidays(2031).size, 11);
});

test('business days across a long holiday stretch', () => {
  assert.equal(addBusinessDays('2027-12-23', 5), '2028-01-03', 'Thursday 23 December 2027: 24 and 31 December are observed holidays');
  assert.equal(addBusinessDays('2026-01-16', 1), '2026-01-20', 'Martin Luther King Jr. Day');
  assert.equal(isBusinessDay('2026-07-03'), false);
  assert.equal(isBusinessDay('2026-07-06'), true);
});
