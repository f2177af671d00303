/** A seeded source of randomness, so a failing run can be replayed with `RELIABILITY_SEED`. */
export interface Random {
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** A whole number in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
}

/** mulberry32: small, fast and good enough to choose faults and timings. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    seed,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => {
      if (items.length === 0) throw new Error('Nothing to pick from');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
  };
}

/** The seed of this run: `RELIABILITY_SEED` when set, else a fresh one; printed either way. */
export function runSeed(scenario: string): Random {
  const given = process.env['RELIABILITY_SEED'];
  const seed = given !== undefined && given !== '' ? Number(given) : Math.floor(Math.random() * 2 ** 31);
  if (!Number.isInteger(seed)) throw new Error(`RELIABILITY_SEED must be an integer, got "${given}"`);
  console.log(`[${scenario}] seed ${seed} (replay: RELIABILITY_SEED=${seed})`);
  return seededRandom(seed);
}
