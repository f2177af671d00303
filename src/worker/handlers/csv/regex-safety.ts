/** Longest regular expression a rule may use. */
export const MAX_PATTERN_LENGTH = 200;

interface Group {
  quantified: boolean;
  alternation: boolean;
}

/**
 * Throws an `Error` unless `pattern` compiles and cannot backtrack catastrophically. Rules are
 * typed by people and run against every row, so a pattern such as `(a+)+$` must not be able
 * to stall the worker. Conservative on purpose: a repeated group may hold neither another
 * quantifier nor `|`, and backreferences are refused.
 */
export function assertSafeRegex(pattern: string): void {
  if (pattern.length === 0) throw new Error('the pattern is empty');
  if (pattern.length > MAX_PATTERN_LENGTH)
    throw new Error(`the pattern is longer than ${MAX_PATTERN_LENGTH} characters`);
  try {
    new RegExp(pattern, 'i');
  } catch (error) {
    throw new Error(
      `"${pattern}" is not a valid regular expression (${error instanceof Error ? error.message : String(error)})`,
      {
        cause: error,
      },
    );
  }

  const stack: Group[] = [{ quantified: false, alternation: false }];
  let last: Group | 'atom' | undefined;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    const top = stack[stack.length - 1] as Group;
    if (char === '\\') {
      const next = pattern[i + 1] ?? '';
      if (/[1-9]/.test(next) || next === 'k') throw new Error(`"${pattern}" uses a backreference, which may be slow`);
      i += 1;
      last = 'atom';
    } else if (char === '[') {
      i = classEnd(pattern, i);
      last = 'atom';
    } else if (char === '(') {
      stack.push({ quantified: false, alternation: false });
      if (pattern[i + 1] === '?') i = groupPrefixEnd(pattern, i);
      last = undefined;
    } else if (char === ')') {
      const group = stack.pop() as Group;
      const parent = stack[stack.length - 1] as Group;
      if (group.quantified) parent.quantified = true;
      last = group;
    } else if (char === '|') {
      top.alternation = true;
      last = undefined;
    } else if (char === '*' || char === '+' || char === '?' || char === '{') {
      const end = char === '{' ? quantifierEnd(pattern, i) : i;
      if (end < 0) {
        last = 'atom';
        continue;
      }
      const repeats = char !== '?' && !/^\{(\d+)\}$|^\{[01],[01]\}$/.test(pattern.slice(i, end + 1));
      if (repeats && last !== undefined && last !== 'atom' && (last.quantified || last.alternation)) {
        throw new Error(`"${pattern}" repeats a group that has its own repetition or alternatives, which may be slow`);
      }
      top.quantified = true;
      i = pattern[end + 1] === '?' ? end + 1 : end;
      last = 'atom';
    } else {
      last = 'atom';
    }
  }
}

/** Index of the `]` closing the class opened at `start`. */
function classEnd(pattern: string, start: number): number {
  for (let i = start + 1; i < pattern.length; i++) {
    if (pattern[i] === '\\') i += 1;
    else if (pattern[i] === ']' && i > start + 1) return i;
  }
  return pattern.length;
}

/** Index of the last character of `(?:`, `(?=`, `(?!`, `(?<=`, `(?<!` or `(?<name>`. */
function groupPrefixEnd(pattern: string, open: number): number {
  if (pattern[open + 2] === '<' && pattern[open + 3] !== '=' && pattern[open + 3] !== '!') {
    const close = pattern.indexOf('>', open);
    return close < 0 ? open + 1 : close;
  }
  return pattern[open + 2] === '<' ? open + 3 : open + 2;
}

/** Index of the `}` of a `{n}`, `{n,}` or `{n,m}` quantifier at `start`, or -1 when it is a literal brace. */
function quantifierEnd(pattern: string, start: number): number {
  const match = /^\{\d+(,\d*)?\}/.exec(pattern.slice(start));
  return match ? start + match[0].length - 1 : -1;
}
