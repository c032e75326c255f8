import { CairnError } from '../errors';
import { fromUtf8 } from '../format/bytes';

/** Parses a stored JSON object, bounded in size; any failure is CairnError('corrupted') naming `what`. */
export function parseJsonObject(bytes: Uint8Array, what: string, maxBytes: number): Record<string, unknown> {
  if (bytes.length > maxBytes) throw new CairnError('too-large', `${what} is ${bytes.length} bytes, over the limit of ${maxBytes}`);
  let value: unknown;
  try {
    value = JSON.parse(fromUtf8(bytes, what));
  } catch (e) {
    if (e instanceof CairnError) throw e;
    throw new CairnError('corrupted', `${what} is not valid JSON`, { cause: e });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CairnError('corrupted', `${what} is not a JSON object`);
  }
  if (depthOver(value, MAX_JSON_DEPTH)) throw new CairnError('corrupted', `${what} is nested more than ${MAX_JSON_DEPTH} levels deep`);
  return value as Record<string, unknown>;
}

/** No stored JSON object of format v1 nests deeper than a few levels. */
export const MAX_JSON_DEPTH = 32;

/** True when `value` nests deeper than `max` (iterative: hostile depth cannot overflow the stack). */
function depthOver(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (d > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (typeof child === 'object' && child !== null) stack.push([child, d + 1]);
  }
  return false;
}

/** Field readers that throw CairnError('corrupted') naming the object and field. */
export function field(obj: Record<string, unknown>, what: string) {
  const bad = (key: string, want: string) => new CairnError('corrupted', `${what}: field "${key}" is not ${want}`);
  return {
    str(key: string): string {
      const v = obj[key];
      if (typeof v !== 'string') throw bad(key, 'a string');
      return v;
    },
    int(key: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
      const v = obj[key];
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
        throw bad(key, `an integer in [${min}, ${max}]`);
      }
      return v;
    },
    obj(key: string): Record<string, unknown> {
      const v = obj[key];
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(key, 'an object');
      return v as Record<string, unknown>;
    },
    strArray(key: string, maxItems = 10_000): string[] {
      const v = obj[key];
      if (!Array.isArray(v) || v.length > maxItems || !v.every((x) => typeof x === 'string')) {
        throw bad(key, 'a list of strings');
      }
      return v as string[];
    },
    optStr(key: string): string | undefined {
      const v = obj[key];
      if (v === undefined) return undefined;
      if (typeof v !== 'string') throw bad(key, 'a string');
      return v;
    },
  };
}
