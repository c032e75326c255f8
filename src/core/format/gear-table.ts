/**
 * The gear table of the content-defined chunker: 256 pseudo-random 32-bit words, one per byte
 * value. It is part of repository format v1: chunk boundaries, and so deduplication across
 * versions and implementations, depend on every bit of it. Never change it for format v1.
 *
 * Generator (reproduce exactly in any language):
 * - SplitMix64 (Steele, Lea, Flood 2014; the `splitmix64` of Vigna's xoshiro reference code) on
 *   unsigned 64-bit integers with wrapping arithmetic, state seeded with
 *   `SEED = 0x636169726e2d7631` (the ASCII bytes of "cairn-v1", big-endian):
 *   ```
 *   state = state + 0x9e3779b97f4a7c15
 *   z = state
 *   z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
 *   z = (z ^ (z >> 27)) * 0x94d049bb133111eb
 *   z = z ^ (z >> 31)
 *   ```
 * - `GEAR[i]` for i = 0, 1, …, 255 in order is the high 32 bits (`z >> 32`) of the i-th output.
 *
 * The unit test pins a few entries and a checksum of the whole table
 * (test/unit/core/format/chunker-golden.json).
 */
export const GEAR_SEED = 0x636169726e2d7631n;

function makeGearTable(seed: bigint): Uint32Array {
  const M = (1n << 64n) - 1n;
  const table = new Uint32Array(256);
  let state = seed & M;
  for (let i = 0; i < 256; i++) {
    state = (state + 0x9e3779b97f4a7c15n) & M;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M;
    z = z ^ (z >> 31n);
    table[i] = Number(z >> 32n);
  }
  return table;
}

/** The format-v1 gear table (see the module comment for the exact generator). Do not mutate. */
export const GEAR: Uint32Array = makeGearTable(GEAR_SEED);
