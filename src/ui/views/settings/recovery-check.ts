/**
 * The "type back three words" check of a new recovery key, pure. A typed word counts when it is
 * the word itself or (as the unlock screen also accepts) its first four letters or more,
 * ignoring case and surrounding spaces.
 */

/** Three distinct positions (0-based, ascending) out of `count`, from `random` (0 ≤ r < 1). */
export function pickPositions(count: number, random: () => number = Math.random): number[] {
  const picked = new Set<number>();
  while (picked.size < Math.min(3, count)) picked.add(Math.floor(random() * count));
  return [...picked].sort((a, b) => a - b);
}

export function wordMatches(typed: string, word: string): boolean {
  const t = typed.trim().toLowerCase();
  const w = word.toLowerCase();
  return t === w || (t.length >= 4 && w.startsWith(t));
}

/** A random number in [0, 1) from the platform's cryptographic source. */
export function cryptoRandom(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32;
}
