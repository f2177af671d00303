import { describe, expect, it } from 'vitest';
import { isStatementDate, parseAmountCents } from '../../src/worker/handlers/csv/cell-values';
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

  it.each(['', 'n/a', '12.345', '1,23', '--5', '1e3', '12,34.00', 'NaN'])('refuses %j', (text) => {
    expect(parseAmountCents(text)).toBeUndefined();
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
