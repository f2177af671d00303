import { assertSafeRegex } from './regex-safety';
import { columnIndex } from './statement-columns';

/** How a rule tests a cell. */
export const MATCH_KINDS = ['substring', 'regex'] as const;
export type MatchKind = (typeof MATCH_KINDS)[number];

/** One categorization rule; the first rule that matches a row gives its category. */
export interface CategoryRule {
  readonly category: string;
  /** `substring`: the cell contains `pattern`, ignoring case. `regex`: the pattern matches, ignoring case. */
  readonly match: MatchKind;
  readonly pattern: string;
  /** Column the rule reads. @default 'Description' */
  readonly field?: string;
}

/** Most rules a job may carry. */
export const MAX_RULES = 200;
/** Longest category name. */
export const MAX_CATEGORY_LENGTH = 60;
/** Only this much of a cell is tested, which bounds the work of any one match. */
const MAX_TESTED_LENGTH = 500;

/** A rule ready to test rows of one statement. */
export interface CompiledRule {
  readonly category: string;
  readonly column: number;
  readonly test: (cell: string) => boolean;
}

/** Validates one rule's shape, category and pattern; throws an `Error` saying which rule and why. */
export function checkRule(value: unknown, index: number): CategoryRule {
  const where = `rule ${index + 1}`;
  if (typeof value !== 'object' || value === null) throw new Error(`${where} is not an object`);
  const rule = value as Record<string, unknown>;
  const { category, match, pattern, field } = rule;
  if (typeof category !== 'string' || category.trim() === '') throw new Error(`${where} needs a category`);
  if (category.trim().length > MAX_CATEGORY_LENGTH)
    throw new Error(`${where}: the category is longer than ${MAX_CATEGORY_LENGTH} characters`);
  if (typeof match !== 'string' || !(MATCH_KINDS as readonly string[]).includes(match)) {
    throw new Error(`${where}: match must be one of ${MATCH_KINDS.join(', ')}`);
  }
  if (typeof pattern !== 'string' || pattern.trim() === '') throw new Error(`${where} needs a pattern`);
  if (field !== undefined && (typeof field !== 'string' || field.trim() === ''))
    throw new Error(`${where}: field must be a column name`);
  if (match === 'regex') {
    try {
      assertSafeRegex(pattern);
    } catch (error) {
      throw new Error(`${where}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  } else if (pattern.length > 200) {
    throw new Error(`${where}: the pattern is longer than 200 characters`);
  }
  return {
    category: category.trim(),
    match: match as MatchKind,
    pattern: match === 'regex' ? pattern : pattern.trim(),
    ...(field !== undefined ? { field: field.trim() } : {}),
  };
}

/** Validates a list of rules (at most `MAX_RULES`). */
export function checkRules(value: unknown): CategoryRule[] {
  if (!Array.isArray(value)) throw new Error('rules must be a list');
  if (value.length > MAX_RULES) throw new Error(`at most ${MAX_RULES} rules are allowed`);
  return value.map((rule, index) => checkRule(rule, index));
}

/** Columns named by rules that `header` lacks. */
export function missingRuleFields(rules: readonly CategoryRule[], header: readonly string[]): string[] {
  const missing = rules.map((rule) => rule.field ?? 'Description').filter((field) => columnIndex(header, field) < 0);
  return [...new Set(missing)];
}

/** Binds rules to the columns of a statement. Throws when a rule names a column the header lacks. */
export function compileRules(rules: readonly CategoryRule[], header: readonly string[]): CompiledRule[] {
  const missing = missingRuleFields(rules, header);
  if (missing.length > 0) throw new Error(`rules read columns the CSV does not have: ${missing.join(', ')}`);
  return rules.map((rule) => {
    const column = columnIndex(header, rule.field ?? 'Description');
    if (rule.match === 'regex') {
      const regex = new RegExp(rule.pattern, 'i');
      return { category: rule.category, column, test: (cell: string) => regex.test(cell.slice(0, MAX_TESTED_LENGTH)) };
    }
    const needle = rule.pattern.toLowerCase();
    return {
      category: rule.category,
      column,
      test: (cell: string) => cell.slice(0, MAX_TESTED_LENGTH).toLowerCase().includes(needle),
    };
  });
}

/** The category of a row: the first matching rule's, else `fallback`. */
export function categorize(cells: readonly string[], rules: readonly CompiledRule[], fallback: string): string {
  for (const rule of rules) {
    if (rule.test(cells[rule.column] ?? '')) return rule.category;
  }
  return fallback;
}
