/** One row of a side-by-side comparison: a line on the left (older), the right (newer), or both. */
export interface DiffRow {
  readonly kind: 'same' | 'removed' | 'added' | 'changed';
  readonly left?: { readonly n: number; readonly text: string };
  readonly right?: { readonly n: number; readonly text: string };
}

/** Above this many line pairs (old × new) the comparison is refused as too large (memory). */
export const MAX_DIFF_CELLS = 4_000_000;

/**
 * A side-by-side line comparison (longest common subsequence over lines, after trimming the
 * common start and end). Removed lines followed by added ones are paired up as 'changed' rows.
 * Returns null when the middle part is larger than MAX_DIFF_CELLS pairs. Pure.
 */
export function lineDiff(before: string, after: string): DiffRow[] | null {
  const a = splitLines(before);
  const b = splitLines(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) (endA--, endB--);
  const n = endA - start;
  const m = endB - start;
  if (n * m > MAX_DIFF_CELLS) return null;
  // lcs[i][j]: LCS length of a[start+i..endA) and b[start+j..endB), row-major in one array.
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i * w + j] = a[start + i] === b[start + j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
  const ops: ('=' | '-' | '+')[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[start + i] === b[start + j]) (ops.push('='), i++, j++);
    else if (j < m && (i === n || lcs[i * w + j + 1]! >= lcs[(i + 1) * w + j]!)) (ops.push('+'), j++);
    else (ops.push('-'), i++);
  }
  const rows: DiffRow[] = [];
  for (let k = 0; k < start; k++) rows.push({ kind: 'same', left: { n: k + 1, text: a[k]! }, right: { n: k + 1, text: b[k]! } });
  let x = start;
  let y = start;
  for (let k = 0; k < ops.length; ) {
    if (ops[k] === '=') {
      rows.push({ kind: 'same', left: { n: x + 1, text: a[x]! }, right: { n: y + 1, text: b[y]! } });
      (x++, y++, k++);
      continue;
    }
    const removed: number[] = [];
    const added: number[] = [];
    while (k < ops.length && ops[k] !== '=') {
      if (ops[k] === '-') removed.push(x++);
      else added.push(y++);
      k++;
    }
    for (let r = 0; r < Math.max(removed.length, added.length); r++) {
      const l = removed[r];
      const g = added[r];
      rows.push({
        kind: l !== undefined && g !== undefined ? 'changed' : l !== undefined ? 'removed' : 'added',
        ...(l !== undefined ? { left: { n: l + 1, text: a[l]! } } : {}),
        ...(g !== undefined ? { right: { n: g + 1, text: b[g]! } } : {}),
      });
    }
  }
  for (let k = 0; k < a.length - endA; k++) rows.push({ kind: 'same', left: { n: endA + k + 1, text: a[endA + k]! }, right: { n: endB + k + 1, text: b[endB + k]! } });
  return rows;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r\n|\n|\r/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** True when `bytes` look like text: valid UTF-8 without NUL bytes. */
export function looksLikeText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The image type for a file name, when it is one the browser can show; undefined otherwise. */
export function imageType(name: string): string | undefined {
  const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  return ({ png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', avif: 'image/avif', bmp: 'image/bmp', svg: 'image/svg+xml' } as Record<string, string>)[ext];
}
