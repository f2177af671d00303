/** Fills a byte array with random bytes: `crypto.getRandomValues` by default. */
export type RandomBytes = (bytes: Uint8Array<ArrayBuffer>) => void;

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
/** Random bytes an id takes: 2 to seed the counter, 8 for the 62 random bits. */
const ID_BYTES = 10;
/** Ids of one refill of the random pool (5 KB; the API allows 64 KB a call). */
const POOL_IDS = 512;
const MAX_COUNTER = 0xfff;

/**
 * A generator of UUIDv7 ids (RFC 9562): 48 bits of Unix time in milliseconds, a 12-bit counter
 * and 62 random bits, written as lowercase hex. Each id is greater than the one before it, as
 * a string and as a key, so that records keyed by them sit in the order they were made:
 * IndexedDB adds such keys next to each other at the end of its key space instead of all over
 * it. Random bytes are drawn 512 ids at a time.
 *
 * - Within one millisecond the counter goes up, from a random start below 2,048; past 4,095 the
 *   time moves on one millisecond early.
 * - A clock that goes back does not take the ids back with it: they go on from the last time.
 */
export function uuidV7Generator(
  now: () => number = Date.now,
  randomBytes: RandomBytes = (bytes) => crypto.getRandomValues(bytes),
): () => string {
  const pool = new Uint8Array(POOL_IDS * ID_BYTES);
  let used = POOL_IDS;
  let lastMs = -1;
  let counter = 0;
  const byte = (i: number) => pool[i] as number;
  const hex = (value: number) => HEX[value] as string;

  return () => {
    if (used === POOL_IDS) {
      randomBytes(pool);
      used = 0;
    }
    const r = used * ID_BYTES;
    used += 1;

    const ms = Math.max(0, Math.floor(now()));
    if (ms > lastMs) {
      lastMs = ms;
      counter = ((byte(r) << 8) | byte(r + 1)) & 0x7ff;
    } else if (counter < MAX_COUNTER) {
      counter += 1;
    } else {
      lastMs += 1;
      counter = 0;
    }

    const high = Math.floor(lastMs / 0x1_0000_0000);
    const low = lastMs >>> 0;
    return (
      hex((high >>> 8) & 0xff) +
      hex(high & 0xff) +
      hex(low >>> 24) +
      hex((low >>> 16) & 0xff) +
      '-' +
      hex((low >>> 8) & 0xff) +
      hex(low & 0xff) +
      '-' +
      hex(0x70 | (counter >>> 8)) +
      hex(counter & 0xff) +
      '-' +
      hex(0x80 | (byte(r + 2) & 0x3f)) +
      hex(byte(r + 3)) +
      '-' +
      hex(byte(r + 4)) +
      hex(byte(r + 5)) +
      hex(byte(r + 6)) +
      hex(byte(r + 7)) +
      hex(byte(r + 8)) +
      hex(byte(r + 9))
    );
  };
}

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The time, in Unix milliseconds, a UUIDv7 was made at; `undefined` for any other string. */
export function uuidV7Time(id: string): number | undefined {
  if (!UUID_V7.test(id)) return undefined;
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
