import { describe, expect, it } from 'vitest';
import { rememberedScroll, rememberScroll, withoutScroll } from '../../src/ui/lib/scroll-memory';

/** A history entry's state, as `history.replaceState` keeps it. */
function entry(state: unknown = null) {
  return {
    state,
    writes: 0,
    replaceState(next: unknown) {
      this.state = next;
      this.writes += 1;
    },
  };
}

describe('scroll memory', () => {
  it('keeps the offset in the history entry beside what the entry held, and reads it back', () => {
    const history = entry({ other: 'kept' });
    expect(rememberedScroll(history)).toBeUndefined();
    rememberScroll(9000, history);
    expect(history.state).toEqual({ other: 'kept', errandListScroll: 9000 });
    expect(rememberedScroll(history)).toBe(9000);
    // The same offset again writes nothing (browsers limit how often the history may change).
    rememberScroll(9000, history);
    expect(history.writes).toBe(1);
  });

  it('remembers nothing from an entry without it, at the top, or holding something else', () => {
    expect(rememberedScroll(entry())).toBeUndefined();
    expect(rememberedScroll(entry('a string'))).toBeUndefined();
    expect(rememberedScroll(entry({ errandListScroll: 0 }))).toBeUndefined();
    expect(rememberedScroll(entry({ errandListScroll: '900' }))).toBeUndefined();
    expect(rememberedScroll(entry({ errandListScroll: Number.NaN }))).toBeUndefined();
  });
});

describe('withoutScroll', () => {
  it('drops the offset and keeps the rest, leaving other states as they are', () => {
    expect(withoutScroll({ errandListScroll: 900, other: 1 })).toEqual({ other: 1 });
    const plain = { other: 1 };
    expect(withoutScroll(plain)).toBe(plain);
    expect(withoutScroll(null)).toBeNull();
    expect(withoutScroll('text')).toBe('text');
  });
});
