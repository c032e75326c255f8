import { CairnError } from '../core/errors';
import { checkFileName, checkRange, describeFile, type Backend, type FileInfo, type FileType } from '../core/ports/backend';

/**
 * A `Backend` held in memory, for tests and throwaway repositories. It honours the whole port
 * contract (immutability, locks replaceable, zero-length files read as missing) and never shares
 * byte arrays with its callers: what is written is copied in, what is read is a fresh copy.
 *
 * Beyond the port it offers `files()` and `clone()` to inspect or fork a repository's state, and
 * `plant()` to put arbitrary bytes (damaged, truncated, empty) under a name, bypassing the rules,
 * the way a crash or a faulty drive would.
 */
export class MemoryBackend implements Backend {
  readonly location: string;
  readonly #files = new Map<string, Uint8Array>();

  constructor(location = 'memory') {
    this.location = location;
  }

  async read(type: FileType, name: string): Promise<Uint8Array> {
    return this.#get(type, name).slice();
  }

  async readRange(type: FileType, name: string, offset: number, length: number): Promise<Uint8Array> {
    checkRange(offset, length);
    const data = this.#get(type, name);
    if (offset + length > data.length) {
      throw new CairnError(
        'corrupted',
        `${describeFile(type, name)} in ${this.location} is too short: ${data.length} bytes, ` +
          `wanted ${length} bytes at offset ${offset}.`,
      );
    }
    return data.slice(offset, offset + length);
  }

  async write(type: FileType, name: string, data: Uint8Array): Promise<void> {
    checkFileName(type, name);
    if (data.length === 0) {
      throw new CairnError('invalid-input', `Refusing to write an empty ${describeFile(type, name)} to ${this.location}.`);
    }
    const existing = this.#files.get(key(type, name));
    if (existing !== undefined && existing.length > 0 && type !== 'locks') {
      throw new CairnError('already-exists', `${describeFile(type, name)} already exists in ${this.location}.`);
    }
    this.#files.set(key(type, name), data.slice());
  }

  async *list(type: FileType): AsyncIterable<FileInfo> {
    const found: FileInfo[] = [];
    for (const [k, data] of this.#files) {
      const [t, name] = k.split('/') as [string, string];
      if (t === type && data.length > 0) found.push({ name, size: data.length });
    }
    yield* found;
  }

  async remove(type: FileType, name: string): Promise<void> {
    checkFileName(type, name);
    this.#files.delete(key(type, name));
  }

  async stat(type: FileType, name: string): Promise<FileInfo> {
    return { name, size: this.#get(type, name).length };
  }

  async usage(): Promise<{ used: number }> {
    let used = 0;
    for (const data of this.#files.values()) used += data.length;
    return { used };
  }

  /** A copy of every stored file, keyed `type/name` (zero-length planted files included). */
  files(): Map<string, Uint8Array> {
    return new Map([...this.#files].map(([k, v]) => [k, v.slice()]));
  }

  /** An independent backend holding a copy of this one's files. */
  clone(location = this.location): MemoryBackend {
    const copy = new MemoryBackend(location);
    for (const [k, v] of this.#files) copy.#files.set(k, v.slice());
    return copy;
  }

  /** Stores `data` under (type, name) unconditionally, even empty or over an existing file. */
  plant(type: FileType, name: string, data: Uint8Array): void {
    checkFileName(type, name);
    this.#files.set(key(type, name), data.slice());
  }

  #get(type: FileType, name: string): Uint8Array {
    checkFileName(type, name);
    const data = this.#files.get(key(type, name));
    if (data === undefined || data.length === 0) {
      throw new CairnError('not-found', `${describeFile(type, name)} not found in ${this.location}.`);
    }
    return data;
  }
}

function key(type: FileType, name: string): string {
  return `${type}/${name}`;
}




