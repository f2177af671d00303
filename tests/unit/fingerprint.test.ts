import { describe, expect, it } from 'vitest';
import { canonicalJson, fingerprintOf, sha256Hex } from '../../src/shared';

describe('fingerprint', () => {
  it('is the SHA-256 of the text', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('does not depend on key order or undefined members', async () => {
    const a = await fingerprintOf({ type: 'recipe_parsing', payload: { text: 'x', servings: 2 }, model: 'm' });
    const b = await fingerprintOf({
      model: 'm',
      payload: { servings: 2, text: 'x', extra: undefined },
      type: 'recipe_parsing',
    });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it('differs when anything meaningful differs', async () => {
    const base = { type: 't', provider: 'local', model: 'm', promptVersion: 1, payload: { text: 'x' } };
    const variants = [
      { ...base, type: 'u' },
      { ...base, provider: 'openai-compatible' },
      { ...base, model: 'n' },
      { ...base, promptVersion: 2 },
      { ...base, payload: { text: 'y' } },
      { ...base, payload: { text: 'x', list: [1, 2] } },
    ];
    const prints = await Promise.all([base, ...variants].map(fingerprintOf));
    expect(new Set(prints).size).toBe(prints.length);
    expect(canonicalJson([{ b: 1, a: 2 }])).toBe('[{"a":2,"b":1}]');
  });
});
