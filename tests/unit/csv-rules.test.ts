import { describe, expect, it } from 'vitest';
import { assertSafeRegex } from '../../src/worker/handlers/csv/regex-safety';
import { categorize, checkRules, compileRules } from '../../src/worker/handlers/csv/rules';

const header = ['Date', 'Description', 'Amount', 'Currency'];

describe('assertSafeRegex', () => {
  it.each([
    'TESCO|LIDL',
    '^SALARY',
    'UBER \\*TRIP',
    '(?:NETFLIX|SPOTIFY)',
    'A{2,3}',
    '[a-z]+ [0-9]{4}',
    '(?<shop>ALDI) \\d+',
    'x{',
  ])('accepts %j', (pattern) => {
    expect(() => assertSafeRegex(pattern)).not.toThrow();
  });

  it.each([
    '(a+)+$',
    '(a*)*',
    '(\\w+\\s?)*$',
    '(a|a)*',
    '(x+x+)+y',
    '((ab)*)+',
    '(a)\\1',
    '(?<n>a)\\k<n>',
    '(a{1,5}){2,}',
  ])('refuses %j, which could backtrack catastrophically', (pattern) => {
    expect(() => assertSafeRegex(pattern)).toThrow();
  });

  it('refuses patterns that do not compile, are empty or too long', () => {
    expect(() => assertSafeRegex('(unclosed')).toThrow(/not a valid regular expression/);
    expect(() => assertSafeRegex('')).toThrow(/empty/);
    expect(() => assertSafeRegex('a'.repeat(201))).toThrow(/longer/);
  });
});

describe('checkRules', () => {
  it('trims names and keeps the field', () => {
    expect(checkRules([{ category: ' Food ', match: 'substring', pattern: ' tesco ', field: 'Description' }])).toEqual([
      { category: 'Food', match: 'substring', pattern: 'tesco', field: 'Description' },
    ]);
  });

  it('says which rule is wrong', () => {
    expect(() =>
      checkRules([
        { category: 'A', match: 'substring', pattern: 'x' },
        { category: '', match: 'substring', pattern: 'y' },
      ]),
    ).toThrow(/rule 2 needs a category/);
    expect(() => checkRules([{ category: 'A', match: 'glob', pattern: 'x' }])).toThrow(/rule 1: match must be/);
    expect(() => checkRules([{ category: 'A', match: 'regex', pattern: '(a+)+' }])).toThrow(/rule 1: .*slow/);
    expect(() => checkRules('nope')).toThrow(/list/);
  });
});

describe('compileRules and categorize', () => {
  const rules = compileRules(
    checkRules([
      { category: 'Subscriptions', match: 'regex', pattern: 'NETFLIX|PRIME' },
      { category: 'Shopping', match: 'substring', pattern: 'amazon' },
      { category: 'Euro', match: 'substring', pattern: 'eur', field: 'currency' },
    ]),
    header,
  );

  it('gives the first matching rule, ignoring case, else the fallback', () => {
    expect(categorize(['2025-01-01', 'AMAZON PRIME*RT5', '-8.99', 'GBP'], rules, 'Other')).toBe('Subscriptions');
    expect(categorize(['2025-01-01', 'Amazon Marketplace', '-20', 'GBP'], rules, 'Other')).toBe('Shopping');
    expect(categorize(['2025-01-01', 'Boulangerie', '-3', 'EUR'], rules, 'Other')).toBe('Euro');
    expect(categorize(['2025-01-01', 'TESCO', '-3', 'GBP'], rules, 'Other')).toBe('Other');
  });

  it('refuses a rule reading a column the statement lacks', () => {
    expect(() =>
      compileRules(checkRules([{ category: 'A', match: 'substring', pattern: 'x', field: 'Merchant' }]), header),
    ).toThrow(/Merchant/);
  });
});
