import { describe, expect, it } from 'vitest';
import {
  dateOrderOf,
  decimalMarkOf,
  isStatementDate,
  parseAmountCents,
} from '../../src/worker/handlers/csv/cell-values';
import { spreadsheetSafe } from '../../src/worker/handlers/csv/csv-cell';
import { formatRowRange } from '../../src/worker/handlers/csv/row-range';

describe('parseAmountCents', () => {
  it.each([
    ['12', 1200],
    ['-12.5', -1250],
    ['-1,234.56', -123456],
    ['(42.10)', -4210],
    ['+3.01', 301],
    ['£7.99', 799],
    ['-€0.05', -5],
    ['0.00', 0],
    [' 15.40 ', 1540],
  ])('reads %j as %i cents', (text, cents) => {
    expect(parseAmountCents(text)).toBe(cents);
  });

  it.each(['', 'n/a', '12.345', '1,23', '--5', '1e3', '12,34.00', 'NaN', '1,234,56', '1 234,56', '€'])(
    'refuses %j',
    (text) => {
      expect(parseAmountCents(text)).toBeUndefined();
    },
  );

  it.each([
    ['-3,50', -350],
    ['1.234,56', 123456],
    ['-1.234.567,8', -123456780],
    ['1 234,56', 123456],
    ['1\u00a0234,56', 123456],
    ["1'234,5", 123450],
    ['12,50 €', 1250],
    ['- € 7,99', -799],
    ['(0,05)', -5],
    ['1.234', 123400],
    ['42', 4200],
  ])('with a comma mark, reads %j as %i cents', (text, cents) => {
    expect(parseAmountCents(text, ',')).toBe(cents);
  });

  it.each(['1,234.56', '-3.50', '1,234', '1.23.4', '1.2345,00', '12,345'])('with a comma mark, refuses %j', (text) => {
    expect(parseAmountCents(text, ',')).toBeUndefined();
  });

  it('reads thousands grouped by a space or an apostrophe with a point mark', () => {
    expect(parseAmountCents('1 234.56')).toBe(123456);
    expect(parseAmountCents("-1'234'567.50")).toBe(-123456750);
    expect(parseAmountCents('1,234 567.50')).toBeUndefined();
  });
});

describe('decimalMarkOf', () => {
  it('takes the mark that more amounts can only have been written with', () => {
    expect(decimalMarkOf(['-3,50', '12', '1.234,00'])).toBe(',');
    expect(decimalMarkOf(['-3.50', '12', '1,234.00'])).toBe('.');
    expect(decimalMarkOf(['-3,50', '-3,50', '4.10'])).toBe(',');
    expect(decimalMarkOf(['(7,25)', '€ 8,00'])).toBe(',');
  });

  it('falls back when no amount tells', () => {
    expect(decimalMarkOf(['12', '1,234', '1.234', 'n/a'])).toBe('.');
    expect(decimalMarkOf(['12', '1,234'], ',')).toBe(',');
    expect(decimalMarkOf([], ',')).toBe(',');
    expect(decimalMarkOf(['1.50', '2,50'], ',')).toBe(',');
  });
});

describe('isStatementDate', () => {
  it.each(['2025-01-31', '2024-02-29', '31/12/2025', '1.2.2025'])('accepts %j', (text) => {
    expect(isStatementDate(text)).toBe(true);
  });
  it.each(['2025-02-29', '31/13/2025', '2025-1-1', 'yesterday', ''])('refuses %j', (text) => {
    expect(isStatementDate(text)).toBe(false);
  });
});

describe('isStatementDate with the year last', () => {
  it.each([
    ['12/31/2025', 'month-first', true],
    ['12/31/2025', 'day-first', false],
    ['31/12/2025', 'day-first', true],
    ['31/12/2025', 'month-first', false],
    ['02/29/2024', 'month-first', true],
    ['02/29/2025', 'month-first', false],
    ['2025/12/31', 'month-first', true],
    ['2025.1.5', 'day-first', true],
    ['2025/13/01', 'day-first', false],
  ] as const)('%j read %s is a date: %s', (text, order, valid) => {
    expect(isStatementDate(text, order)).toBe(valid);
  });
});

describe('dateOrderOf', () => {
  it('takes month first only when more dates can only be read that way', () => {
    expect(dateOrderOf(['01/02/2025', '12/31/2025', '11/30/2025'])).toBe('month-first');
    expect(dateOrderOf(['01/02/2025', '31/12/2025'])).toBe('day-first');
    expect(dateOrderOf(['13/01/2025', '01/13/2025'])).toBe('day-first');
    expect(dateOrderOf(['01/02/2025', '2025-12-31', 'soon'])).toBe('day-first');
    expect(dateOrderOf([])).toBe('day-first');
  });
});

describe('spreadsheetSafe', () => {
  it('neutralizes cells that would start a formula and keeps negative numbers', () => {
    expect(spreadsheetSafe('=HYPERLINK("x")')).toBe(`'=HYPERLINK("x")`);
    expect(spreadsheetSafe('+1+1')).toBe(`'+1+1`);
    expect(spreadsheetSafe('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(spreadsheetSafe('-cmd')).toBe(`'-cmd`);
    expect(spreadsheetSafe('-12.40')).toBe('-12.40');
    expect(spreadsheetSafe('TESCO')).toBe('TESCO');
  });
});

describe('formatRowRange', () => {
  it('groups thousands and uses an en dash', () => {
    expect(formatRowRange(1201, 1300, 4000)).toBe('Rows 1,201–1,300 of 4,000');
    expect(formatRowRange(1, 100)).toBe('Rows 1–100');
  });
});
