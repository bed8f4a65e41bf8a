/** Calendar arithmetic for regulatory clocks: US federal holidays (with their observed days) and business days. */
const DAY = 86_400_000;

function utc(y: number, m: number, d: number): number {
  return Date.UTC(y, m, d);
}
function nthWeekday(y: number, m: number, weekday: number, n: number): number {
  const first = new Date(utc(y, m, 1)).getUTCDay();
  return utc(y, m, 1 + ((weekday - first + 7) % 7) + (n - 1) * 7);
}
function lastWeekday(y: number, m: number, weekday: number): number {
  const last = new Date(utc(y, m + 1, 0));
  return last.getTime() - ((last.getUTCDay() - weekday + 7) % 7) * DAY;
}
/** A holiday on a Saturday is observed on the Friday before, on a Sunday the Monday after (5 U.S.C. 6103). */
function observed(t: number): number {
  const wd = new Date(t).getUTCDay();
  return wd === 6 ? t - DAY : wd === 0 ? t + DAY : t;
}

export function usFederalHolidays(year: number): Set<string> {
  const days = [
    observed(utc(year, 0, 1)), nthWeekday(year, 0, 1, 3), nthWeekday(year, 1, 1, 3), lastWeekday(year, 4, 1),
    observed(utc(year, 5, 19)), observed(utc(year, 6, 4)), nthWeekday(year, 8, 1, 1), nthWeekday(year, 9, 1, 2),
    observed(utc(year, 10, 11)), nthWeekday(year, 10, 4, 4), observed(utc(year, 11, 25)),
  ];
  // New Year's Day of the next year may be observed on December 31.
  const nextNewYear = observed(utc(year + 1, 0, 1));
  if (new Date(nextNewYear).getUTCFullYear() === year) days.push(nextNewYear);
  // This year's New Year's Day may be observed on December 31 of the year before: that day belongs to that year.
  return new Set(days.filter((t) => new Date(t).getUTCFullYear() === year).map((t) => new Date(t).toISOString().slice(0, 10)));
}

export function isBusinessDay(isoDate: string): boolean {
  const t = Date.parse(`${isoDate}T00:00:00Z`);
  const wd = new Date(t).getUTCDay();
  return wd !== 0 && wd !== 6 && !usFederalHolidays(new Date(t).getUTCFullYear()).has(isoDate);
}

/** The date `n` business days after `start` (the start day itself not counted). */
export function addBusinessDays(start: string, n: number): string {
  let t = Date.parse(`${start.slice(0, 10)}T00:00:00Z`);
  let left = n;
  while (left > 0) {
    t += DAY;
    if (isBusinessDay(new Date(t).toISOString().slice(0, 10))) left--;
  }
  return new Date(t).toISOString().slice(0, 10);
}
