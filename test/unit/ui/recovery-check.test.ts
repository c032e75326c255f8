/** The "type back three words" check of a new recovery key, and the drives' newest-copy table. */
import { describe, expect, it } from 'vitest';
import { pickPositions, wordMatches } from '../../../src/ui/views/settings/recovery-check';
import { newestCopies, type KnownRepository } from '../../../src/ui/state/health-drives';
import { recordRun } from '../../../src/ui/state/schedule-store';

describe('recovery words check', () => {
  it('picks three distinct positions, sorted, from a seeded source', () => {
    const seq = [0.1, 0.1, 0.5, 0.99];
    let i = 0;
    expect(pickPositions(17, () => seq[i++ % seq.length]!)).toEqual([1, 8, 16]);
    expect(pickPositions(2, Math.random)).toHaveLength(2);
  });

  it('accepts the word or its first four letters or more, ignoring case and spaces', () => {
    expect(wordMatches(' Lantern ', 'lantern')).toBe(true);
    expect(wordMatches('LANT', 'lantern')).toBe(true);
    expect(wordMatches('lan', 'lantern')).toBe(false);
    expect(wordMatches('lanterns', 'lantern')).toBe(false);
  });
});

describe('drives in rotation and run records', () => {
  const drive = (id: string, newest: Record<string, number>): KnownRepository => ({ id, kind: 'folder', place: id, lastOpened: 0, newest });
  it('names the repository holding the newest copy of each folder', () => {
    const rows = newestCopies([drive('a'.repeat(64), { Photos: 5, Docs: 9 }), drive('b'.repeat(64), { Photos: 7 })]);
    expect(rows.map((r) => [r.source, r.repository.id[0], r.at])).toEqual([['Docs', 'a', 9], ['Photos', 'b', 7]]);
  });

  it('records completions and failures without losing the last completion', () => {
    const ok = recordRun({}, ['Photos'], 100, true);
    const failed = recordRun(ok, ['Photos'], 200, false);
    expect(failed.Photos).toEqual({ lastCompleted: 100, lastAttempt: 200, lastAttemptFailed: true });
  });
});
