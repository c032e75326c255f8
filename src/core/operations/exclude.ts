import { CairnError } from '../errors';

/**
 * Exclude patterns for backup: a small, predictable subset of `.gitignore` globs.
 *
 * - `*` matches any run of characters except `/` (dot files included), `?` one such character.
 *   Every other character is literal; matching is case-sensitive (names are kept as the host
 *   reports them).
 * - A pattern without a `/` (other than a trailing one) matches an entry's NAME at any depth:
 *   `node_modules`, `*.tmp`, `Thumbs.db`.
 * - A trailing `/` restricts a pattern to folders: `.cache/` leaves out folders named `.cache`,
 *   not files.
 * - A pattern with a `/` elsewhere matches the entry's PATH BELOW ITS SOURCE FOLDER (the picked
 *   folder's own name is not part of it), anchored at the start: `build/out`, `/dist` (top level
 *   only), and `**` as a whole component matching zero or more folders: `**\/logs`,
 *   `src/**\/generated`, `tmp/**` (everything below `tmp`, not `tmp` itself).
 * - Blank patterns and patterns starting with `#` are ignored (so a textarea can be fed as is).
 *   Negation (`!`), character classes and escapes are not supported: a pattern starting with `!`
 *   is rejected with 'invalid-input' rather than silently meaning something else.
 *
 * Excluding a folder excludes everything below it (backup never lists it).
 */
export type ExcludeMatcher = (path: string, entry: { readonly kind: 'file' | 'dir' }) => boolean;

interface CompiledPattern {
  readonly dirOnly: boolean;
  /** Matched against the name (true) or the path below the source folder (false). */
  readonly byName: boolean;
  readonly regex: RegExp;
}

/**
 * Compiles patterns into a matcher for `BackupOptions.exclude`, whose `path` is the path inside
 * the snapshot ("<source name>/a/b"). Throws CairnError('invalid-input') naming a bad pattern.
 */
export function compileExcludes(patterns: readonly string[]): ExcludeMatcher {
  const compiled = patterns.map((p) => compilePattern(p)).filter((p): p is CompiledPattern => p !== null);
  if (compiled.length === 0) return () => false;
  return (path, entry) => {
    const parts = path.split('/');
    const name = parts[parts.length - 1] ?? '';
    const below = parts.slice(1).join('/');
    return compiled.some((p) => (!p.dirOnly || entry.kind === 'dir') && p.regex.test(p.byName ? name : below));
  };
}

/** One pattern as a compiled rule; null for a blank line or a comment. */
function compilePattern(raw: string): CompiledPattern | null {
  const pattern = raw.trim();
  if (pattern === '' || pattern.startsWith('#')) return null;
  if (pattern.startsWith('!')) {
    throw new CairnError('invalid-input', `exclude pattern "${raw}": negation ("!") is not supported`);
  }
  const dirOnly = pattern.endsWith('/');
  const body = dirOnly ? pattern.slice(0, -1) : pattern;
  const byName = !body.includes('/');
  const parts = (body.startsWith('/') ? body.slice(1) : body).split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw new CairnError('invalid-input', `exclude pattern "${raw}" has an empty, "." or ".." component`);
  }
  return { dirOnly, byName, regex: new RegExp(`^${byName ? segment(parts[0]!) : pathRegex(parts)}$`) };
}

/** A path pattern's components as a regex source; `**` components match zero or more folders. */
function pathRegex(parts: readonly string[]): string {
  let out = '';
  parts.forEach((part, i) => {
    const last = i === parts.length - 1;
    if (part === '**') out += last ? '.*' : '(?:[^/]+/)*';
    else out += segment(part) + (last ? '' : '/');
  });
  // "a/**" must not match "a" itself: it means everything below a.
  return out.replace(/\/\.\*$/, '/.+');
}

/** One component: `*` and `?` stay within the component; everything else is literal. */
function segment(part: string): string {
  let out = '';
  for (const c of part) {
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return out;
}
