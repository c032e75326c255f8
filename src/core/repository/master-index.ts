import type { Id } from '../format/ids';
import type { IndexContent, IndexedBlob } from './index-file';
import type { BlobType } from './pack';

/** Data and tree blobs live in separate id spaces: identical bytes may be both. */
function key(type: BlobType, id: Id): string {
  return type === 'data' ? id : 't' + id;
}

/**
 * The in-memory union of all index files: blob id → where it is stored, and the known packs.
 * Lookups are what backup (dedup) and restore (locate) ask; nothing here touches storage.
 */
export class MasterIndex {
  private blobs = new Map<string, IndexedBlob>();
  readonly packs = new Map<Id, number>();
  /** Ids of the index files merged in. */
  readonly files = new Set<Id>();

  get size(): number {
    return this.blobs.size;
  }

  get(type: BlobType, id: Id): IndexedBlob | undefined {
    return this.blobs.get(key(type, id));
  }

  has(type: BlobType, id: Id): boolean {
    return this.blobs.has(key(type, id));
  }

  /**
   * Rebuilds from every index file: files superseded by another present file are ignored (prune
   * and repair write a replacement before deleting what it replaces). Returns the ids ignored.
   */
  rebuild(files: ReadonlyMap<Id, IndexContent>): Set<Id> {
    this.blobs.clear();
    this.packs.clear();
    this.files.clear();
    const superseded = new Set<Id>();
    for (const content of files.values()) for (const id of content.supersedes) if (files.has(id)) superseded.add(id);
    for (const [id, content] of files) if (!superseded.has(id)) this.merge(content, id);
    return superseded;
  }

  /** Adds an index file's content. The first location seen for a blob wins. */
  merge(content: IndexContent, fileId?: Id): void {
    if (fileId) this.files.add(fileId);
    for (const [id, size] of content.packs) this.packs.set(id, size);
    for (const b of content.blobs) {
      const k = key(b.type, b.id);
      if (!this.blobs.has(k)) this.blobs.set(k, b);
    }
  }

  /**
   * Forgets every blob stored in a pack that is not in `present` (deleted by an interrupted prune
   * or by hand), so a backup stores those blobs again instead of trusting them. Returns the packs
   * dropped.
   */
  dropMissingPacks(present: ReadonlySet<Id>): Id[] {
    const missing = [...this.packs.keys()].filter((p) => !present.has(p));
    if (missing.length === 0) return missing;
    const gone = new Set(missing);
    for (const [key, b] of this.blobs) if (gone.has(b.pack)) this.blobs.delete(key);
    for (const p of missing) this.packs.delete(p);
    return missing;
  }

  entries(): IterableIterator<IndexedBlob> {
    return this.blobs.values();
  }
}
