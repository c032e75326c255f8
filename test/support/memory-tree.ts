import { CairnError } from '../../src/core/errors';
import type { SourceDir, SourceEntry, SourceFile } from '../../src/core/ports/source';
import type { TargetDir, TargetDirInfo, TargetFileInfo } from '../../src/core/ports/target';

/**
 * Literal trees: the deterministic folders of engine tests.
 *
 * A folder is a plain object; a file is a string (UTF-8), a Uint8Array, or
 * `{ data, mtime, size? }` where `size` overrides the size reported at listing (to simulate a
 * file that changed between listing and reading). Integer-like names ("2024") come first in
 * iteration, as in any JS object.
 */
export type LiteralFile = string | Uint8Array | { readonly data: string | Uint8Array; readonly mtime: number; readonly size?: number };
export interface LiteralTree {
  readonly [name: string]: LiteralNode;
}
export type LiteralNode = LiteralFile | LiteralTree;

/** The mtime of files that do not state one: 2024-01-01T00:00:00Z. */
export const LITERAL_EPOCH = Date.UTC(2024, 0, 1);

/** Default size of the pieces `read()` yields. */
export const DEFAULT_PIECE = 64 * 1024;

const encoder = new TextEncoder();

/** True when `node` is a file leaf (not a folder). Throws on values that are neither. */
export function isLiteralFile(node: LiteralNode): node is LiteralFile {
  if (typeof node === 'string' || node instanceof Uint8Array) return true;
  if (typeof node !== 'object' || node === null || Array.isArray(node)) {
    throw new TypeError(`Not a literal tree node: ${String(node)}`);
  }
  const { data, mtime } = node as { data?: unknown; mtime?: unknown };
  return typeof mtime === 'number' && (typeof data === 'string' || data instanceof Uint8Array);
}

/** The bytes, mtime and listed size of a file leaf (`mtime` when the leaf states none). */
export function literalFile(leaf: LiteralFile, mtime = LITERAL_EPOCH): { data: Uint8Array; mtime: number; size: number } {
  if (typeof leaf === 'string' || leaf instanceof Uint8Array) {
    const data = bytesOf(leaf);
    return { data, mtime, size: data.length };
  }
  const data = bytesOf(leaf.data);
  return { data, mtime: leaf.mtime, size: leaf.size ?? data.length };
}

function bytesOf(value: string | Uint8Array): Uint8Array {
  return typeof value === 'string' ? encoder.encode(value) : value.slice();
}

/** Yields fresh copies of `data` in pieces of `size` bytes (the last may be shorter; none for empty data). */
export async function* pieces(data: Uint8Array, size = DEFAULT_PIECE): AsyncGenerator<Uint8Array> {
  if (!(size >= 1)) throw new RangeError(`piece size must be at least 1, got ${size}`);
  for (let at = 0; at < data.length; at += size) yield data.slice(at, at + size);
}

export interface MemorySourceOptions {
  /** Name of the root folder; 'source' by default. */
  name?: string;
  /** Size of the pieces `read()` yields; 64 KiB by default. */
  chunkSize?: number;
  /** mtime of files that state none; LITERAL_EPOCH by default. */
  mtime?: number;
  /**
   * Called when a file's `read()` starts, with its path below the root ("sub/a.txt"). Throw
   * from it (e.g. `new CairnError('not-found', …)`) to simulate a file that vanished or fails.
   */
  onRead?(path: string): void;
}

/**
 * A source over a literal tree. Names are passed through exactly, unvalidated (hostile names
 * are a valid test input); every `entries()` call lists the tree afresh in key order; `read()`
 * yields fresh copies in pieces of `chunkSize`. The tree is read when listed, so a test may
 * change it between listings.
 */
export function memorySource(tree: LiteralTree, options: MemorySourceOptions = {}): SourceDir {
  return sourceDir(options.name ?? 'source', tree, '', options);
}

function sourceDir(name: string, tree: LiteralTree, path: string, options: MemorySourceOptions): SourceDir {
  return {
    kind: 'dir',
    name,
    async *entries(): AsyncGenerator<SourceEntry> {
      for (const [childName, node] of Object.entries(tree)) {
        const childPath = path === '' ? childName : `${path}/${childName}`;
        yield isLiteralFile(node) ? sourceFile(childName, node, childPath, options) : sourceDir(childName, node, childPath, options);
      }
    },
  };
}

function sourceFile(name: string, leaf: LiteralFile, path: string, options: MemorySourceOptions): SourceFile {
  const { data, mtime, size } = literalFile(leaf, options.mtime);
  return {
    kind: 'file',
    name,
    size,
    mtime,
    async *read() {
      options.onRead?.(path);
      yield* pieces(data, options.chunkSize);
    },
  };
}

export interface MemoryTargetOptions {
  /** Name of the root folder; 'target' by default. */
  name?: string;
  /** Size of the pieces `read()` yields; 64 KiB by default. */
  chunkSize?: number;
  /** mtime of pre-populated files that state none; LITERAL_EPOCH by default. */
  mtime?: number;
}

export interface FailAfterOptions {
  /** What the failing write throws; CairnError('io') by default. */
  error?: Error;
  /** Leave the ".cairn-partial-N" sibling with the bytes written so far, as a killed process would. */
  keepPartial?: boolean;
}

interface MemoryFile {
  data: Uint8Array;
  mtime: number;
}

/** State shared by a MemoryTarget and all its sub-folders. */
interface Shared {
  chunkSize: number;
  partials: number;
  budget: number | null;
  failure: FailAfterOptions;
}

/**
 * A restore target in memory that keeps the port's contract to the letter, so engine tests
 * catch what real targets would reject:
 * - names must be single path components ('invalid-input' otherwise);
 * - `writeFile` copies every piece, publishes only a complete file (a ".cairn-partial-N"
 *   sibling is visible while it runs), fails 'already-exists' when the name exists before or
 *   when the write completes, removes the partial sibling on failure, and sets `mtime` exactly
 *   (a non-finite mtime is 'invalid-input');
 * - `rename` moves files only, never over an existing name;
 * - `dir` returns the same folder object each time, and fails 'already-exists' over a file.
 * `failAfter(n)` simulates a crash: writes succeed until `n` bytes in total were written by this
 * tree, then the write that would exceed it fails and every later non-empty write fails too.
 */
export class MemoryTarget implements TargetDir {
  readonly name: string;
  readonly #children = new Map<string, MemoryFile | MemoryTarget>();
  readonly #shared: Shared;
  readonly #path: string;

  /** A target pre-populated with `tree` (copied). `parent` is internal: sub-folders share its state. */
  constructor(tree: LiteralTree = {}, options: MemoryTargetOptions = {}, parent?: { shared: Shared; path: string }) {
    this.name = options.name ?? 'target';
    this.#path = parent ? `${parent.path}/${this.name}` : this.name;
    this.#shared = parent?.shared ?? { chunkSize: options.chunkSize ?? DEFAULT_PIECE, partials: 0, budget: null, failure: {} };
    this.#populate(tree, options.mtime ?? LITERAL_EPOCH);
  }

  /** Fail writes once `bytes` more bytes were written anywhere in this tree; null disarms. */
  failAfter(bytes: number | null, options: FailAfterOptions = {}): void {
    this.#shared.budget = bytes;
    this.#shared.failure = options;
  }

  /** What the tree holds, files as bytes (or `{ data, mtime }` with `mtimes: true`). */
  toLiteral(options: { mtimes?: boolean } = {}): LiteralTree {
    const out: Record<string, LiteralNode> = {};
    for (const [name, node] of this.#children) {
      const value =
        node instanceof MemoryTarget
          ? node.toLiteral(options)
          : options.mtimes
            ? { data: node.data.slice(), mtime: node.mtime }
            : node.data.slice();
      // defineProperty: a name like "__proto__" must become a key, not a prototype.
      Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  async get(name: string): Promise<TargetFileInfo | TargetDirInfo | null> {
    const node = this.#children.get(this.#checkName(name));
    if (node === undefined) return null;
    if (node instanceof MemoryTarget) return { kind: 'dir' };
    const { data, mtime } = node;
    return { kind: 'file', size: data.length, mtime, read: () => pieces(data, this.#shared.chunkSize) };
  }

  async dir(name: string): Promise<TargetDir> {
    return this.#dir(this.#checkName(name));
  }

  async writeFile(name: string, data: AsyncIterable<Uint8Array>, mtime: number): Promise<void> {
    this.#checkName(name);
    if (!Number.isFinite(mtime)) throw new CairnError('invalid-input', `Invalid mtime ${mtime} for "${this.#pathOf(name)}".`);
    if (this.#children.has(name)) throw this.#exists(name);
    const partial = `.cairn-partial-${++this.#shared.partials}`;
    const placeholder: MemoryFile = { data: new Uint8Array(0), mtime: LITERAL_EPOCH };
    this.#children.set(partial, placeholder);
    const written: Uint8Array[] = [];
    let crashed = false;
    try {
      for await (const chunk of data) {
        const allowed = this.#spend(chunk.length);
        written.push(chunk.slice(0, allowed));
        if (allowed < chunk.length) {
          crashed = true;
          placeholder.data = concat(written);
          throw this.#shared.failure.error ?? new CairnError('io', `Simulated failure while writing "${this.#pathOf(name)}".`);
        }
      }
      if (this.#children.has(name)) throw this.#exists(name);
    } catch (e) {
      if (!(crashed && this.#shared.failure.keepPartial)) this.#children.delete(partial);
      throw e;
    }
    this.#children.delete(partial);
    this.#children.set(name, { data: concat(written), mtime });
  }

  async rename(from: string, to: string): Promise<void> {
    const node = this.#children.get(this.#checkName(from));
    this.#checkName(to);
    if (node === undefined) throw new CairnError('not-found', `Could not rename "${this.#pathOf(from)}": it does not exist.`);
    if (node instanceof MemoryTarget) {
      throw new CairnError('invalid-input', `Could not rename "${this.#pathOf(from)}": only files can be renamed.`);
    }
    if (this.#children.has(to)) throw this.#exists(to);
    this.#children.delete(from);
    this.#children.set(to, node);
  }

  #populate(tree: LiteralTree, mtime: number): void {
    for (const [name, node] of Object.entries(tree)) {
      this.#checkName(name);
      if (isLiteralFile(node)) {
        const file = literalFile(node, mtime);
        this.#children.set(name, { data: file.data, mtime: file.mtime });
      } else {
        this.#dir(name).#populate(node, mtime);
      }
    }
  }

  #dir(name: string): MemoryTarget {
    const node = this.#children.get(name);
    if (node instanceof MemoryTarget) return node;
    if (node !== undefined) {
      throw new CairnError('already-exists', `Could not create the folder "${this.#pathOf(name)}": a file exists under that name.`);
    }
    const child = new MemoryTarget({}, { name }, { shared: this.#shared, path: this.#path });
    this.#children.set(name, child);
    return child;
  }

  /** Grants up to `bytes` from the failure budget; returns how many may be written. */
  #spend(bytes: number): number {
    const { budget } = this.#shared;
    if (budget === null) return bytes;
    const allowed = Math.min(budget, bytes);
    this.#shared.budget = budget - allowed;
    return allowed;
  }

  #checkName(name: string): string {
    if (name === '' || name === '.' || name === '..' || /[/\0]/.test(name)) {
      throw new CairnError('invalid-input', `"${name}" is not a single path component (in "${this.#path}").`);
    }
    return name;
  }

  #pathOf(name: string): string {
    return `${this.#path}/${name}`;
  }

  #exists(name: string): CairnError {
    return new CairnError('already-exists', `"${this.#pathOf(name)}" already exists; it was left untouched.`);
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Reads a whole source into a literal tree (files as bytes, or `{ data, mtime }` with `mtimes: true`). */
export async function sourceToLiteral(dir: SourceDir, options: { mtimes?: boolean } = {}): Promise<LiteralTree> {
  const out: Record<string, LiteralNode> = {};
  for await (const entry of dir.entries()) {
    if (Object.hasOwn(out, entry.name)) throw new Error(`"${entry.name}" listed twice in "${dir.name}"`);
    let value: LiteralNode;
    if (entry.kind === 'dir') value = await sourceToLiteral(entry, options);
    else {
      const data = await readAll(entry.read());
      value = options.mtimes ? { data, mtime: entry.mtime } : data;
    }
    Object.defineProperty(out, entry.name, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Concatenates a byte stream. */
export async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of stream) parts.push(part);
  return concat(parts);
}

/** Deterministic pseudo-random bytes (xorshift32) for content that must not compress or repeat. */
export function seededBytes(length: number, seed = 1): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}
