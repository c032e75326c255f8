/**
 * Validation of names read from a repository before they are used as path components of a
 * restore. A repository is hostile input: a name must never address anything outside its folder.
 */
const UTF8 = new TextEncoder();

/** Returns why `name` is not safe as a single path component, or null when it is. */
export function unsafeNameReason(name: string): string | null {
  if (name.length === 0) return 'empty name';
  if (name === '.' || name === '..') return `"${name}" is not a file name`;
  if (name.includes('/') || name.includes('\\')) return 'name contains a path separator';
  if (name.includes('\0')) return 'name contains a NUL character';
  if (UTF8.encode(name).length > 255) return 'name is longer than 255 bytes';
  return null;
}
