import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { CairnError } from '../../../src/core/errors';
import { isLiteralFile, literalFile, type LiteralTree } from '../../support/memory-tree';

/**
 * Shared arbitraries and checks of the property tests: byte-level and JSON-level mutations of
 * valid encodings, hostile values, and the "valid value or clean CairnError" outcome check.
 */

/** Wall-clock budget of one parser call on hostile input of at most a few hundred KiB. */
export const FAST_MS = 250;

/**
 * Runs a parser; returns its value or the CairnError it threw. Anything else (TypeError,
 * RangeError, a plain Error) is rethrown, so the property fails with it. Also fails when the
 * call takes longer than `budgetMs`.
 */
export function outcome<T>(parse: () => T, budgetMs = FAST_MS): T | CairnError {
  const started = performance.now();
  let result: T | CairnError;
  try {
    result = parse();
  } catch (e) {
    if (!(e instanceof CairnError)) throw unclean(e);
    result = e;
  }
  checkTime(started, budgetMs);
  return result;
}

/** `outcome` for async parsers. */
export async function outcomeAsync<T>(parse: () => Promise<T>, budgetMs = FAST_MS): Promise<T | CairnError> {
  const started = performance.now();
  let result: T | CairnError;
  try {
    result = await parse();
  } catch (e) {
    if (!(e instanceof CairnError)) throw unclean(e);
    result = e;
  }
  checkTime(started, budgetMs);
  return result;
}

function unclean(e: unknown): Error {
  const name = e instanceof Error ? e.constructor.name : typeof e;
  const message = e instanceof Error ? e.message : String(e);
  return new Error(`parser threw a ${name}, not a CairnError: ${message}`, { cause: e });
}

function checkTime(started: number, budgetMs: number): void {
  const ms = performance.now() - started;
  if (ms > budgetMs) throw new Error(`parser took ${ms.toFixed(0)} ms (budget ${budgetMs} ms)`);
}

// ---------------------------------------------------------------------------------------------
// Ids and strings

const HEX = '0123456789abcdef';
export const hexIdArb: fc.Arbitrary<string> = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .map((b) => Array.from(b, (x) => HEX[x >> 4]! + HEX[x & 15]!).join(''));

/** Any string: full unicode, lone surrogates, controls, quotes, backslashes. */
export const anyStringArb = (maxLength = 40): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength }) },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('\ud800', '\udfff', '"', '\\', '\0', '\n', 'é', '😀', 'a'), maxLength }) },
  );

// ---------------------------------------------------------------------------------------------
// Byte-level mutations

export type ByteMutation =
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'set'; readonly at: number; readonly value: number }
  | { readonly kind: 'insert'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | { readonly kind: 'truncate'; readonly at: number };

export const byteMutationArb: fc.Arbitrary<ByteMutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

export const byteMutationsArb = fc.array(byteMutationArb, { minLength: 1, maxLength: 4 });

/** Applies mutations in order; positions are taken modulo the current length. */
export function mutateBytes(input: Uint8Array, mutations: readonly ByteMutation[]): Uint8Array {
  let b = input.slice();
  for (const m of mutations) {
    const n = b.length;
    const at = n === 0 ? 0 : m.at % (m.kind === 'insert' ? n + 1 : n);
    switch (m.kind) {
      case 'flip':
        if (n) b[at] = b[at]! ^ (1 << m.bit);
        break;
      case 'set':
        if (n) b[at] = m.value;
        break;
      case 'insert': {
        const out = new Uint8Array(n + m.bytes.length);
        out.set(b.subarray(0, at));
        out.set(m.bytes, at);
        out.set(b.subarray(at), at + m.bytes.length);
        b = out;
        break;
      }
      case 'delete': {
        const out = new Uint8Array(n - Math.min(m.length, n - at));
        out.set(b.subarray(0, at));
        out.set(b.subarray(at + m.length), at);
        b = out;
        break;
      }
      case 'truncate':
        b = b.slice(0, at);
        break;
    }
  }
  return b;
}

// ---------------------------------------------------------------------------------------------
// JSON-level mutations

/** `depth` nested arrays as JSON text: "[[[…]]]". */
export function deepArrayText(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

/** `depth` nested objects as JSON text: {"a":{"a":…{}}}. */
export function deepObjectText(depth: number): string {
  return '{"a":'.repeat(depth) + '{}' + '}'.repeat(depth);
}

/**
 * Raw JSON texts that `JSON.stringify` cannot produce from a JS value, or that are hostile:
 * overflowing numbers (parse to ±Infinity), -0, huge integers, exponents.
 */
const RAW_LITERALS = ['1e999', '-1e999', '-0', '1E400', '123456789012345678901234567890', '9007199254740993', '0.1e1', '4294967296', '-4294967296', '1e-400', '5e-324'];

/** Values a hostile writer may put where the format wants something else. */
export const hostileValueArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom<unknown>(
      null, true, false, '', 'x', '0', '1', 0, 1, -1, -0.5, 1.5, 2 ** 16, 2 ** 20, 2 ** 24, 2 ** 31, 2 ** 32, 2 ** 32 - 1,
      2 ** 53, 2 ** 53 + 2, 2 ** 64, 1e308, -1e308, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, Number.MIN_VALUE,
      [], {}, [[]], { nodes: [] }, 'a'.repeat(70), '0'.repeat(64), 'A'.repeat(64), 'g'.repeat(64), '0'.repeat(63),
      'argon2id', 'none', 'file', 'dir', 'aes-256-gcm', 'cairn-repository', '2026-01-01T00:00:00Z', 'AAAA', '====',
    ),
  },
  { weight: 2, arbitrary: fc.constantFrom(...RAW_LITERALS).map((text) => new RawJson(text)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 200 }).map((d) => new RawJson(deepArrayText(d))) },
);

/** A JSON text to splice in verbatim. */
export class RawJson {
  constructor(readonly text: string) {}
}

export type JsonEdit =
  | { readonly kind: 'replace'; readonly pick: number; readonly value: unknown }
  | { readonly kind: 'delete'; readonly pick: number }
  | { readonly kind: 'add'; readonly pick: number; readonly key: string; readonly value: unknown }
  | { readonly kind: 'swap'; readonly pick: number; readonly other: number };

export const jsonEditArb: fc.Arbitrary<JsonEdit> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('replace' as const), pick: fc.nat(), value: hostileValueArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('add' as const),
      pick: fc.nat(),
      key: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'toString', 'length', '0', 'mac', 'check')),
      value: hostileValueArb,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('swap' as const), pick: fc.nat(), other: fc.nat() }) },
);

export const jsonEditsArb = fc.array(jsonEditArb, { minLength: 1, maxLength: 3 });

type Slot = { readonly parent: Record<string, unknown> | unknown[]; readonly key: string | number };

function slots(value: unknown, out: Slot[] = []): Slot[] {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push({ parent: value, key: i });
      slots(v, out);
    });
  } else if (typeof value === 'object' && value !== null && !(value instanceof RawJson)) {
    for (const [k, v] of Object.entries(value)) {
      out.push({ parent: value as Record<string, unknown>, key: k });
      slots(v, out);
    }
  }
  return out;
}

function containers(value: unknown, out: (Record<string, unknown> | unknown[])[] = []): (Record<string, unknown> | unknown[])[] {
  if (Array.isArray(value)) {
    out.push(value);
    for (const v of value) containers(v, out);
  } else if (typeof value === 'object' && value !== null && !(value instanceof RawJson)) {
    out.push(value as Record<string, unknown>);
    for (const v of Object.values(value)) containers(v, out);
  }
  return out;
}

function isContainer(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !(v instanceof RawJson);
}

function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Applies edits to a parsed JSON document (a fresh copy) and serializes it with `indent`; RawJson
 * values are spliced in verbatim.
 */
export function mutateJson(text: string, edits: readonly JsonEdit[], indent?: number): string {
  const doc: unknown = JSON.parse(text);
  for (const edit of edits) {
    if (edit.kind === 'add') {
      const cs = containers(doc);
      const c = cs[edit.pick % cs.length]!;
      if (Array.isArray(c)) c.splice(edit.pick % (c.length + 1), 0, edit.value);
      else setOwn(c, edit.key, edit.value);
      continue;
    }
    const ss = slots(doc);
    if (ss.length === 0) continue;
    const s = ss[edit.pick % ss.length]!;
    if (edit.kind === 'replace') {
      if (Array.isArray(s.parent)) s.parent[s.key as number] = edit.value;
      else setOwn(s.parent, s.key as string, edit.value);
    } else if (edit.kind === 'delete') {
      if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 1);
      else delete s.parent[s.key as string];
    } else {
      const o = ss[edit.other % ss.length]!;
      const a = (s.parent as Record<string | number, unknown>)[s.key];
      const b = (o.parent as Record<string | number, unknown>)[o.key];
      // Containers are left in place: swapping one into its own descendant would make a cycle.
      if (isContainer(a) || isContainer(b)) continue;
      (s.parent as Record<string | number, unknown>)[s.key] = b;
      (o.parent as Record<string | number, unknown>)[o.key] = a;
    }
  }
  return stringifyWithRaw(doc, indent);
}

/** JSON.stringify that splices RawJson texts in verbatim. */
export function stringifyWithRaw(doc: unknown, indent?: number): string {
  const raws: string[] = [];
  const marked = JSON.stringify(
    doc,
    (_k, v: unknown) => {
      if (v instanceof RawJson) {
        raws.push(v.text);
        return `\u0001RAW${raws.length - 1}\u0001`;
      }
      return v;
    },
    indent,
  );
  return marked.replace(/"\\u0001RAW(\d+)\\u0001"/g, (_m, i: string) => raws[Number(i)]!);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
export const enc = (s: string): Uint8Array => encoder.encode(s);
export const dec = (b: Uint8Array): string => decoder.decode(b);

// ---------------------------------------------------------------------------------------------
// Literal trees as comparable digests

export function digest(b: Uint8Array): string {
  return `${b.length}:${createHash('sha256').update(b).digest('hex')}`;
}

/** A literal tree with every file replaced by "size:sha256" (fast to compare). */
export function digestTree(tree: LiteralTree): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, node] of Object.entries(tree)) {
    const value = isLiteralFile(node) ? digest(literalFile(node).data) : digestTree(node);
    setOwn(out, name, value);
  }
  return out;
}
