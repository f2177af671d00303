import { describe, expect, it } from 'vitest';
import { markerKey, matchIdentity } from '../../src/client/store-reset';

const a = { id: 'a', createdAt: 1 };
const b = { id: 'b', createdAt: 2 };

describe('matchIdentity', () => {
  it.each([
    [undefined, undefined, 'unknown'],
    [a, undefined, 'unknown'],
    [undefined, a, 'first'],
    [a, a, 'same'],
    [{ ...a, createdAt: 99 }, a, 'same'],
    [a, b, 'reset'],
  ] as const)('remembered %o, stored %o → %s', (remembered, stored, expected) => {
    expect(matchIdentity(remembered, stored)).toBe(expected);
  });

  it('keeps one marker per database', () => {
    expect(markerKey('errand-console')).toBe('errand:store:errand-console');
    expect(markerKey('x')).not.toBe(markerKey('y'));
  });
});
