import type { RestoreAction, RestoreDecisionInfo } from '../../../worker/protocol';

/** The order groups are shown in: what changes first, then what was left alone, problems last. */
export const ACTION_ORDER: readonly RestoreAction[] = ['restored', 'kept-both', 'replaced', 'identical', 'skipped', 'failed'];

/** What a group of decisions means, before (preview) and after the restore. */
export function actionHeading(action: RestoreAction, preview: boolean): string {
  switch (action) {
    case 'restored':
      return preview ? 'Will be restored (nothing of that name is there)' : 'Restored';
    case 'kept-both':
      return preview
        ? 'A different file is already there: it stays untouched, and the restored copy will be saved beside it'
        : 'A different file was already there: it was left untouched, and the restored copy was saved beside it';
    case 'replaced':
      return preview
        ? 'Will replace the current file, after keeping a copy of the current file'
        : 'Replaced, after keeping a copy of the current file';
    case 'identical':
      return preview ? 'Already there and identical: will be left alone' : 'Already there and identical: left alone';
    case 'skipped':
      return preview ? 'Will be skipped' : 'Skipped';
    case 'failed':
      return preview ? 'Cannot be restored' : 'Could not be restored';
  }
}

/** The detail line of one decision: the side-by-side or preserved name, or the reason. */
export function decisionDetail(d: RestoreDecisionInfo, preview: boolean): string | null {
  if (d.action === 'kept-both' && d.writtenAs) return `${preview ? 'will be saved as' : 'saved as'} “${d.writtenAs}”`;
  if (d.action === 'replaced' && d.preservedAs) return `current file ${preview ? 'will be kept' : 'kept'} as “${d.preservedAs}”`;
  if ((d.action === 'skipped' || d.action === 'failed') && d.reason) return d.reason;
  return null;
}
