import type { TargetDir, TargetDirInfo, TargetFileInfo } from '../core/ports/target';

/**
 * A restore target that makes the folders `parents` (a selected item's folders in the snapshot,
 * outermost first) resolve to `target` itself, so restore puts the item straight into `target`
 * instead of recreating "parents/…" inside it. Everything else passes through unchanged, so the
 * engine's conflict rules (nothing existing overwritten or deleted) still decide every name.
 *
 * Only valid for a restore of one item whose snapshot path is `parents` + its name: restore asks
 * for exactly those folders, in order, before it touches the item.
 */
export function besideTarget(target: TargetDir, parents: readonly string[]): TargetDir {
  return parents.length === 0 ? target : new ParentsElided(target, parents, 0);
}

class ParentsElided implements TargetDir {
  readonly name: string;

  constructor(
    private readonly target: TargetDir,
    private readonly parents: readonly string[],
    private readonly depth: number,
  ) {
    this.name = target.name;
  }

  #elided(name: string): boolean {
    return this.depth < this.parents.length && this.parents[this.depth] === name;
  }

  async get(name: string): Promise<TargetFileInfo | TargetDirInfo | null> {
    return this.#elided(name) ? { kind: 'dir' } : this.target.get(name);
  }

  async dir(name: string): Promise<TargetDir> {
    if (!this.#elided(name)) return this.target.dir(name);
    return this.depth + 1 === this.parents.length ? this.target : new ParentsElided(this.target, this.parents, this.depth + 1);
  }

  writeFile(name: string, data: AsyncIterable<Uint8Array>, mtime: number): Promise<void> {
    return this.target.writeFile(name, data, mtime);
  }

  rename(from: string, to: string): Promise<void> {
    return this.target.rename(from, to);
  }
}
