import { describe, expect, it } from 'vitest';
import { STL } from '../index.js';
import { compareDateLike, parseDateString, unifyDateLike } from '../dates.js';
import type { HogValue } from '../../values.js';
import { call, makeContext } from './helpers.js';

const dt = (seconds: number, zone = 'UTC'): HogValue => ({ __hogDateTime__: true, dt: seconds, zone });
const date = (year: number, month: number, day: number): HogValue => ({ __hogDate__: true, year, month, day });
const utc = (...parts: [number, number, number, number?, number?, number?]): number =>
  Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3] ?? 0, parts[4] ?? 0, parts[5] ?? 0) / 1000;

describe('the strict date-like grammar', () => {
  it('accepts dates, times, fractions and offsets in the documented forms', () => {
    const ok: [string, number][] = [
      ['2024-05-03', utc(2024, 5, 3)],
      ['  2024-05-03  ', utc(2024, 5, 3)],
      ['2024-05-03T12:34', utc(2024, 5, 3, 12, 34)],
      ['2024-05-03 12:34:56', utc(2024, 5, 3, 12, 34, 56)],
      ['2024-05-03t12:34:56Z', utc(2024, 5, 3, 12, 34, 56)],
      ['2024-05-03T12:34:56.789123456z', utc(2024, 5, 3, 12, 34, 56) + 0.789],
      ['2024-05-03T12:34:56,5', utc(2024, 5, 3, 12, 34, 56) + 0.5],
      ['2024-05-03T12:34:56+02:00', utc(2024, 5, 3, 10, 34, 56)],
      ['2024-05-03T12:34:56-0530', utc(2024, 5, 3, 18, 4, 56)],
      ['2024-05-03T12:34+05', utc(2024, 5, 3, 7, 34)],
      ['0001-01-01', -62135596800],
    ];
    for (const [text, seconds] of ok) expect(parseDateString(text)?.toMillis(), text).toBe(Math.round(seconds * 1000));
  });

  it('rejects everything else', () => {
    const bad = [
      '2024', '2024-01', '20240101', '2024-W05', '2024-001', '12:30', '2024-1-1', '2024-01-01T1:00',
      '2024-01-01T24:00', '2024-01-01T12:60', '2024-01-01T12:00:00.', '2024-01-01T12:00.5', '0000-01-01',
      '2024-02-30', '2023-02-29', '2024-13-01', '2024-01-01T12:00:00+24:00', '2024-01-01x', '２０２４-01-01', '',
    ];
    for (const text of bad) expect(parseDateString(text), text).toBe(null);
    expect(parseDateString(20240101)).toBe(null);
    expect(parseDateString(null)).toBe(null);
  });

  it('accepts 29 February only in leap years', () => {
    expect(parseDateString('2024-02-29')).not.toBe(null);
    expect(parseDateString('2000-02-29')).not.toBe(null);
    expect(parseDateString('1900-02-29')).toBe(null);
  });

  it('reads a string without an offset in the given zone', () => {
    expect(parseDateString('2024-05-03 12:00:00', 'Europe/Brussels')?.toMillis()).toBe(utc(2024, 5, 3, 10) * 1000);
    expect(parseDateString('2024-05-03 12:00:00Z', 'Europe/Brussels')?.toMillis()).toBe(utc(2024, 5, 3, 12) * 1000);
  });
});

describe('date comparisons for the VM', () => {
  it('unifies dates, datetimes and date strings as epoch seconds', () => {
    expect(unifyDateLike(date(2024, 5, 3), dt(utc(2024, 5, 3)))).toEqual([utc(2024, 5, 3), utc(2024, 5, 3)]);
    expect(compareDateLike(dt(utc(2024, 5, 3, 1)), '2024-05-03')).toBe(1);
    expect(compareDateLike('2024-05-02', date(2024, 5, 3))).toBe(-1);
  });

  it('leaves non-date comparisons alone', () => {
    expect(unifyDateLike('2024-05-03', '2024-05-04')).toBe(null);
    expect(unifyDateLike(date(2024, 5, 3), 'not a date')).toBe(null);
    expect(unifyDateLike(date(2024, 5, 3), 5)).toBe(null);
    expect(compareDateLike(1, 2)).toBe(null);
  });
});

describe('now and today', () => {
  it('read the context clock', () => {
    const ctx = makeContext(Date.UTC(2024, 1, 29, 23, 30));
    expect(STL.now.fn([], ctx)).toEqual(dt(utc(2024, 2, 29, 23, 30)));
    expect(STL.now.fn(['Europe/Brussels'], ctx)).toEqual(dt(utc(2024, 2, 29, 23, 30), 'Europe/Brussels'));
    expect(STL.today.fn([], ctx)).toEqual(date(2024, 2, 29));
  });

  it('rejects an unknown zone', () => {
    expect(() => STL.now.fn(['Mars/Olympus'], makeContext())).toThrow('Invalid time zone: Mars/Olympus');
  });
});

describe('toDate and toDateTime', () => {
  it('toDate reads date strings, epoch seconds and datetimes', () => {
    expect(call('toDate', '2024-05-03')).toEqual(date(2024, 5, 3));
    expect(call('toDate', '2024-05-03T23:30:00-02:00')).toEqual(date(2024, 5, 3));
    expect(call('toDate', utc(2024, 5, 3, 12))).toEqual(date(2024, 5, 3));
    expect(call('toDate', dt(utc(2024, 5, 3, 23), 'Asia/Tokyo'))).toEqual(date(2024, 5, 4));
    expect(call('toDate', 'nope')).toBe(null);
  });

  it('toDateTime reads strings in the zone and keeps the zone', () => {
    expect(call('toDateTime', '2024-05-03 12:34:56')).toEqual(dt(utc(2024, 5, 3, 12, 34, 56)));
    expect(call('toDateTime', '2024-05-03 12:34:56', 'Europe/Brussels')).toEqual(
      dt(utc(2024, 5, 3, 10, 34, 56), 'Europe/Brussels'),
    );
    expect(call('toDateTime', 1714739696.5)).toEqual(dt(1714739696.5));
    expect(call('toDateTime', date(2024, 5, 3), 'America/New_York')).toEqual(dt(utc(2024, 5, 3, 4), 'America/New_York'));
    expect(call('toDateTime', 'garbage')).toBe(null);
  });

  it('fromUnixTimestamp and fromUnixTimestampMilli build UTC datetimes', () => {
    expect(call('fromUnixTimestamp', 1714739696)).toEqual(dt(1714739696));
    expect(call('fromUnixTimestampMilli', 1714739696123)).toEqual(dt(1714739696.123));
  });

  it('toUnixTimestamp accepts datetimes, dates and date strings', () => {
    expect(call('toUnixTimestamp', dt(123.5))).toBe(123.5);
    expect(call('toUnixTimestamp', date(1970, 1, 2))).toBe(86400);
    expect(call('toUnixTimestamp', '2024-05-03T00:00:00Z')).toBe(utc(2024, 5, 3));
    expect(call('toUnixTimestamp', '2024-05-03', 'Asia/Kolkata')).toBe(utc(2024, 5, 2, 18, 30));
    expect(call('toUnixTimestampMilli', dt(123.5))).toBe(123500);
    expect(call('toUnixTimestamp', 'bad')).toBe(null);
  });

  it('toTimeZone keeps the instant and changes the zone', () => {
    expect(call('toTimeZone', dt(100), 'Asia/Tokyo')).toEqual(dt(100, 'Asia/Tokyo'));
    expect(() => call('toTimeZone', date(2024, 1, 1), 'UTC')).toThrow('Expected a DateTime');
    expect(() => call('toTimeZone', dt(100), 'Nope/Nope')).toThrow('Invalid time zone');
  });
});

describe('formatDateTime', () => {
  const sample = dt(1234377543.123); // 2009-02-11 18:39:03.123 UTC, a Wednesday

  it('formats every documented ClickHouse code', () => {
    const expected: Record<string, string> = {
      a: 'Wed', b: 'Feb', c: '02', C: '09', d: '11', D: '02/11/09', e: '11', f: '123', F: '2009-02-11',
      g: '09', G: '2009', h: '06', H: '18', i: '39', I: '06', j: '042', k: '18', l: '06', m: '02',
      M: 'February', n: '\n', p: 'PM', Q: '1', r: '06:39 PM', R: '18:39', s: '03', S: '03', t: '\t',
      T: '18:39:03', u: '3', V: '07', w: '3', W: 'Wednesday', y: '09', Y: '2009', z: '+0000', '%': '%',
    };
    for (const [code, out] of Object.entries(expected)) expect(call('formatDateTime', sample, `%${code}`), code).toBe(out);
  });

  it('keeps literal text and drops unknown codes', () => {
    expect(call('formatDateTime', sample, 'at %H:%i on %Y-%m-%d!')).toBe('at 18:39 on 2009-02-11!');
    expect(call('formatDateTime', sample, '[%q%]')).toBe('[');
    expect(call('formatDateTime', sample, '100%')).toBe('100');
  });

  it('formats in the datetime zone or an explicit zone', () => {
    expect(call('formatDateTime', dt(1234377543, 'Asia/Kolkata'), '%F %T %z')).toBe('2009-02-12 00:09:03 +0530');
    expect(call('formatDateTime', sample, '%H:%i %z', 'America/New_York')).toBe('13:39 -0500');
  });

  it('requires a datetime', () => {
    expect(() => call('formatDateTime', '2024-01-01', '%Y')).toThrow('Expected a DateTime');
  });
});

describe('components', () => {
  it('toYear, toMonth, toYYYYMM and extract read the value in its zone', () => {
    const newYear = dt(utc(2024, 12, 31, 23), 'Asia/Tokyo');
    expect(call('toYear', newYear)).toBe(2025);
    expect(call('toMonth', newYear)).toBe(1);
    expect(call('toYYYYMM', newYear)).toBe(202501);
    expect(call('toYear', '2023-06-01')).toBe(2023);
    expect(call('toMonth', date(2024, 2, 29))).toBe(2);
    expect(call('extract', 'day', date(2024, 2, 29))).toBe(29);
    expect(call('extract', 'hour', dt(utc(2024, 1, 1, 13, 14, 15)))).toBe(13);
    expect(call('extract', 'second', dt(utc(2024, 1, 1, 13, 14, 15)))).toBe(15);
  });

  it('rejects unknown parts and non-dates', () => {
    expect(() => call('extract', 'fortnight', date(2024, 1, 1))).toThrow('Unknown extract part: fortnight');
    expect(() => call('toYear', 'yesterday')).toThrow(/expects a Date/);
  });
});

describe('truncation', () => {
  it('truncates to the start of the day, hour, month and Monday-based week', () => {
    const t = dt(utc(2024, 5, 3, 14, 35, 12)); // a Friday
    expect(call('toStartOfDay', t)).toEqual(dt(utc(2024, 5, 3)));
    expect(call('toStartOfHour', t)).toEqual(dt(utc(2024, 5, 3, 14)));
    expect(call('toStartOfMonth', t)).toEqual(dt(utc(2024, 5, 1)));
    expect(call('toStartOfWeek', t)).toEqual(dt(utc(2024, 4, 29)));
    expect(call('toStartOfWeek', dt(utc(2024, 5, 5, 23)))).toEqual(dt(utc(2024, 4, 29)));
  });

  it('treats a Date as UTC midnight', () => {
    expect(call('toStartOfMonth', date(2024, 2, 29))).toEqual(dt(utc(2024, 2, 1)));
  });

  it('truncates in the local zone, across a DST change', () => {
    // 2024-03-31 is the spring-forward day in Europe/Brussels (02:00 → 03:00).
    const afternoon = dt(utc(2024, 3, 31, 14), 'Europe/Brussels');
    expect(call('toStartOfDay', afternoon)).toEqual(dt(utc(2024, 3, 30, 23), 'Europe/Brussels'));
    expect(call('toStartOfHour', afternoon)).toEqual(dt(utc(2024, 3, 31, 14), 'Europe/Brussels'));
    expect(call('toStartOfDay', dt(utc(2024, 3, 31, 14)), 'Europe/Brussels')).toEqual(
      dt(utc(2024, 3, 30, 23), 'Europe/Brussels'),
    );
  });

  it('dateTrunc needs a datetime and a known unit', () => {
    const t = dt(utc(2024, 5, 3, 14, 35, 12));
    expect(call('dateTrunc', 'year', t)).toEqual(dt(utc(2024, 1, 1)));
    expect(call('dateTrunc', 'minute', t)).toEqual(dt(utc(2024, 5, 3, 14, 35)));
    expect(() => call('dateTrunc', 'day', date(2024, 1, 1))).toThrow('Expected a DateTime for dateTrunc');
    expect(() => call('dateTrunc', 'eon', t)).toThrow(/unsupported unit/);
  });
});

describe('date arithmetic', () => {
  it('dateAdd keeps Date versus DateTime', () => {
    expect(call('dateAdd', 'day', 1, date(2024, 2, 28))).toEqual(date(2024, 2, 29));
    expect(call('dateAdd', 'day', 1, date(2023, 2, 28))).toEqual(date(2023, 3, 1));
    expect(call('dateAdd', 'week', -1, date(2024, 1, 3))).toEqual(date(2023, 12, 27));
    expect(call('dateAdd', 'hour', 2, dt(utc(2024, 1, 1)))).toEqual(dt(utc(2024, 1, 1, 2)));
    expect(call('dateAdd', 'second', 30, dt(0))).toEqual(dt(30));
  });

  it('clamps month and year addition to the end of the month', () => {
    expect(call('dateAdd', 'month', 1, date(2024, 1, 31))).toEqual(date(2024, 2, 29));
    expect(call('dateAdd', 'year', 1, date(2024, 2, 29))).toEqual(date(2025, 2, 28));
    expect(call('dateAdd', 'month', 1, dt(utc(2023, 1, 31, 10)))).toEqual(dt(utc(2023, 2, 28, 10)));
  });

  it('adds days by the calendar and hours by the clock across DST', () => {
    const before = dt(utc(2024, 3, 30, 11), 'Europe/Brussels'); // 12:00 local, the day before spring-forward
    expect(call('dateAdd', 'day', 1, before)).toEqual(dt(utc(2024, 3, 31, 10), 'Europe/Brussels'));
    expect(call('dateAdd', 'hour', 24, before)).toEqual(dt(utc(2024, 3, 31, 11), 'Europe/Brussels'));
  });

  it('addDays is dateAdd by days', () => {
    expect(call('addDays', date(2024, 12, 31), 1)).toEqual(date(2025, 1, 1));
  });

  it('dateDiff floors whole units of b - a', () => {
    const a = dt(utc(2024, 1, 1));
    expect(call('dateDiff', 'day', a, dt(utc(2024, 1, 2, 23)))).toBe(1);
    expect(call('dateDiff', 'day', dt(utc(2024, 1, 2, 23)), a)).toBe(-2);
    expect(call('dateDiff', 'hour', a, dt(utc(2024, 1, 1, 5, 59)))).toBe(5);
    expect(call('dateDiff', 'minute', a, dt(utc(2024, 1, 1, 0, 1, 30)))).toBe(1);
    expect(call('dateDiff', 'second', a, dt(utc(2024, 1, 1) + 2.7))).toBe(2);
    expect(call('dateDiff', 'week', a, dt(utc(2024, 1, 15)))).toBe(2);
    expect(call('dateDiff', 'day', date(2024, 2, 28), date(2024, 3, 1))).toBe(2);
    expect(call('dateDiff', 'day', '2023-02-28', '2023-03-01')).toBe(1);
  });

  it('dateDiff counts months and years by calendar fields', () => {
    expect(call('dateDiff', 'month', date(2024, 1, 31), date(2024, 2, 1))).toBe(1);
    expect(call('dateDiff', 'year', date(2023, 12, 31), date(2024, 1, 1))).toBe(1);
    expect(() => call('dateDiff', 'eon', date(2023, 12, 31), date(2024, 1, 1))).toThrow(/unsupported unit/);
  });

  it('builds intervals that print as dicts', () => {
    expect(call('toIntervalDay', 3)).toEqual({ __hogInterval__: true, value: 3, unit: 'day' });
    expect(call('toIntervalMonth', 1)).toEqual({ __hogInterval__: true, value: 1, unit: 'month' });
  });
});

describe('toString of dates', () => {
  it('formats datetimes as ISO in their zone, with DST offsets', () => {
    expect(call('toString', dt(utc(2024, 1, 15, 12), 'Europe/Brussels'))).toBe('2024-01-15T13:00:00.000+01:00');
    expect(call('toString', dt(utc(2024, 7, 15, 12), 'Europe/Brussels'))).toBe('2024-07-15T14:00:00.000+02:00');
    expect(call('toString', date(5, 1, 2))).toBe('0005-01-02');
  });
});
