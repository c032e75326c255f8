import { describe, expect, it } from 'vitest';
import { isCairnError } from '../../../../src/core/errors';
import { compileExcludes } from '../../../../src/core/operations/exclude';

const file = { kind: 'file' } as const;
const dir = { kind: 'dir' } as const;

/** Paths are snapshot paths: the source folder's name comes first. */
function excluded(patterns: string[], path: string, entry: { kind: 'file' | 'dir' } = file): boolean {
  return compileExcludes(patterns)(path, entry);
}

describe('compileExcludes', () => {
  it('excludes nothing without patterns, or with blank lines and comments only', () => {
    expect(excluded([], 'src/a.txt')).toBe(false);
    expect(excluded(['', '   ', '# node_modules'], 'src/node_modules', dir)).toBe(false);
  });

  it('matches a plain name at any depth, files and folders alike', () => {
    const p = ['node_modules'];
    expect(excluded(p, 'src/node_modules', dir)).toBe(true);
    expect(excluded(p, 'src/a/b/node_modules', dir)).toBe(true);
    expect(excluded(p, 'src/a/node_modules', file)).toBe(true);
    expect(excluded(p, 'src/node_modules2', dir)).toBe(false);
    expect(excluded(p, 'src/my_node_modules', dir)).toBe(false);
  });

  it('never matches the source folder name as part of a name pattern', () => {
    expect(excluded(['*.tmp'], 'x.tmp/a.txt')).toBe(false);
  });

  it('expands * and ? within one name, dot files included', () => {
    const p = ['*.tmp', 'file?.log'];
    expect(excluded(p, 'src/a.tmp')).toBe(true);
    expect(excluded(p, 'src/deep/er/.tmp')).toBe(true);
    expect(excluded(p, 'src/a.tmp.txt')).toBe(false);
    expect(excluded(p, 'src/file1.log')).toBe(true);
    expect(excluded(p, 'src/file12.log')).toBe(false);
    expect(excluded(p, 'src/file.log')).toBe(false);
  });

  it('treats regex characters literally and matches case-sensitively', () => {
    expect(excluded(['a+b (1).[x]'], 'src/a+b (1).[x]')).toBe(true);
    expect(excluded(['a.b'], 'src/axb')).toBe(false);
    expect(excluded(['$^{}|\\'], 'src/$^{}|\\')).toBe(true);
    expect(excluded(['Thumbs.db'], 'src/thumbs.db')).toBe(false);
  });

  it('restricts a pattern with a trailing slash to folders', () => {
    const p = ['.cache/'];
    expect(excluded(p, 'src/.cache', dir)).toBe(true);
    expect(excluded(p, 'src/a/.cache', dir)).toBe(true);
    expect(excluded(p, 'src/.cache', file)).toBe(false);
    expect(excluded(['build/out/'], 'src/build/out', dir)).toBe(true);
    expect(excluded(['build/out/'], 'src/build/out', file)).toBe(false);
  });

  it('anchors a pattern with a slash at the source folder, whatever the source is called', () => {
    const p = ['build/out'];
    expect(excluded(p, 'project/build/out', dir)).toBe(true);
    expect(excluded(p, 'other/build/out', dir)).toBe(true);
    expect(excluded(p, 'project/x/build/out', dir)).toBe(false);
    expect(excluded(p, 'project/build/outer', dir)).toBe(false);
    expect(excluded(['/dist'], 'project/dist', dir)).toBe(true);
    expect(excluded(['/dist'], 'project/a/dist', dir)).toBe(false);
    expect(excluded(['*/tmp'], 'project/a/tmp', dir)).toBe(true);
    expect(excluded(['*/tmp'], 'project/a/b/tmp', dir)).toBe(false);
  });

  it('lets ** stand for any number of folders', () => {
    expect(excluded(['**/logs'], 'p/logs', dir)).toBe(true);
    expect(excluded(['**/logs'], 'p/a/b/logs', dir)).toBe(true);
    expect(excluded(['src/**/gen'], 'p/src/gen', dir)).toBe(true);
    expect(excluded(['src/**/gen'], 'p/src/a/b/gen', dir)).toBe(true);
    expect(excluded(['src/**/gen'], 'p/lib/src/gen', dir)).toBe(false);
    expect(excluded(['tmp/**'], 'p/tmp/a', file)).toBe(true);
    expect(excluded(['tmp/**'], 'p/tmp/a/b', file)).toBe(true);
    expect(excluded(['tmp/**'], 'p/tmp', dir)).toBe(false);
  });

  it('excludes when any pattern matches', () => {
    const m = compileExcludes(['node_modules', '*.tmp', '.cache/']);
    expect(['p/node_modules', 'p/a.tmp', 'p/x/.cache'].map((path) => m(path, dir))).toEqual([true, true, true]);
    expect(m('p/keep.txt', file)).toBe(false);
  });

  it('ignores surrounding whitespace', () => {
    expect(excluded(['  *.tmp  '], 'p/a.tmp')).toBe(true);
  });

  it.each(['!keep.txt', 'a//b', 'a/../b', './a/b', '/'])('rejects %j with invalid-input', (pattern) => {
    let error: unknown;
    try {
      compileExcludes([pattern]);
    } catch (e) {
      error = e;
    }
    expect(isCairnError(error, 'invalid-input')).toBe(true);
    expect((error as Error).message).toContain(pattern);
  });
});
