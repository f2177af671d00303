import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { uuidV7Generator, uuidV7Time } from '../../src/shared';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A clock that answers the given times in turn, then stays at the last. */
function clockOf(times: readonly number[]): () => number {
  let i = 0;
  return () => times[Math.min(i++, times.length - 1)] ?? 0;
}

describe('uuidV7Generator', () => {
  it('makes RFC 9562 version 7 ids that carry the clock’s millisecond', () => {
    const at = Date.UTC(2026, 11, 4, 21, 33, 25, 123);
    const next = uuidV7Generator(() => at + 0.75);
    const id = next();
    expect(id).toMatch(UUID_V7);
    expect(uuidV7Time(id)).toBe(at);
    expect(id.slice(0, 13)).toBe(`${at.toString(16).padStart(12, '0').slice(0, 8)}-${at.toString(16).slice(-4)}`);
  });

  it('each id sorts after the one before, whatever the clock does (same millisecond, backwards, jumps)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant(0), fc.integer({ min: -5, max: 5 }), fc.integer({ min: 1, max: 1e9 })), {
          minLength: 2,
          maxLength: 300,
        }),
        fc.uint8Array({ minLength: 5120, maxLength: 5120 }),
        (steps, seed) => {
          let time = 1_700_000_000_000;
          const times = steps.map((step) => (time = Math.max(0, time + step)));
          const next = uuidV7Generator(clockOf(times), (bytes) => bytes.set(seed));
          const ids = times.map(() => next());
          for (const id of ids) expect(id).toMatch(UUID_V7);
          for (let i = 1; i < ids.length; i++) expect((ids[i] as string) > (ids[i - 1] as string)).toBe(true);
          // Never earlier than the latest time the clock has said.
          ids.forEach((id, i) => {
            const ms = uuidV7Time(id) as number;
            expect(ms).toBeGreaterThanOrEqual(Math.max(...times.slice(0, i + 1)));
          });
        },
      ),
    );
  });

  it('more than 4,096 ids in one millisecond stay in order, the time moving on early', () => {
    const next = uuidV7Generator(() => 1_000);
    const ids = Array.from({ length: 10_000 }, () => next());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(uuidV7Time(ids[0] as string)).toBe(1_000);
    expect(uuidV7Time(ids.at(-1) as string)).toBeLessThanOrEqual(1_000 + 4);
  });

  it('draws random bytes in batches, and ids differ in their random bits', () => {
    let draws = 0;
    const next = uuidV7Generator(
      () => 5_000,
      (bytes) => {
        draws += 1;
        crypto.getRandomValues(bytes);
      },
    );
    const tails = new Set(Array.from({ length: 1_024 }, () => next().slice(19)));
    expect(draws).toBe(2);
    expect(tails.size).toBe(1_024);
  });

  it('uuidV7Time refuses what is not a UUIDv7', () => {
    expect(uuidV7Time(crypto.randomUUID())).toBeUndefined();
    expect(uuidV7Time('job-1')).toBeUndefined();
    expect(uuidV7Time('018F3A2B-1C4D-7ABC-8DEF-0123456789AB')).toBeUndefined();
  });
});
