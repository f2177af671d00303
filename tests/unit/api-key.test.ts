import { describe, expect, it } from 'vitest';
import { apiKeyProblem } from '../../src/shared';

describe('apiKeyProblem', () => {
  it('takes keys as providers issue them, spaces around them aside, and no key at all', () => {
    for (const key of ['sk-proj-AbC_123', 'AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY', ' sk-abc ', '', 'a+b/c=~!']) {
      expect(apiKeyProblem(key), key).toBeUndefined();
    }
  });

  it('names a character a header cannot carry, showing it or, when it is invisible, its code', () => {
    expect(apiKeyProblem('sk-abc“def')).toBe(
      'This key has ““” (U+201C), which no API key has: copy it again from where it was issued',
    );
    expect(apiKeyProblem('sk-abc\u200bdef')).toMatch(/^This key has an invisible character \(U\+200B\)/);
    expect(apiKeyProblem('sk-clé')).toMatch(/“é” \(U\+00E9\)/);
  });

  it('refuses spaces inside and the scheme pasted with the key', () => {
    expect(apiKeyProblem('sk-abc def')).toBe('An API key has no spaces: paste the key alone');
    expect(apiKeyProblem('Bearer sk-abc')).toBe('Enter the key alone, without “Bearer”');
  });
});
