import type { Id } from '../format/ids';
import type { IndexContent, IndexedBlob } from './index-file';

/**
 * The in-memory union of all index files: blob id → where it is stored, and the known packs.
 * Lookups are what backup (dedup) and restore (locate) ask; nothing here touches storage.
 */
export class MasterIndex {
  private blobs = new Map<Id, IndexedBlob>();
  readonly packs = new Map<Id, number>();
  /** Ids of the index files merged in. */
  readonly files = new Set<Id>();

  get size(): number {
    return this.blobs.size;
  }

  get(id: Id): IndexedBlob | undefined {
    return this.blobs.get(id);
  }

  has(id: Id): boolean {
    return this.blobs.has(id);
  }

  /** Adds an index file's content. The first location seen for a blob wins. */
  merge(content: IndexContent, fileId?: Id): void {
    if (fileId) this.files.add(fileId);
    for (const [id, size] of content.packs) this.packs.set(id, size);
    for (const b of content.blobs) if (!this.blobs.has(b.id)) this.blobs.set(b.id, b);
  }

  entries(): IterableIterator<IndexedBlob> {
    return this.blobs.values();
  }
}
