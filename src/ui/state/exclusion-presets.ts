/** The ready-made exclusion rules offered on the sources screen (worker exclude syntax). */
export interface ExclusionPreset {
  readonly id: string;
  readonly label: string;
  readonly hint: string;
  readonly patterns: readonly string[];
}

export const EXCLUSION_PRESETS: readonly ExclusionPreset[] = [
  {
    id: 'node_modules',
    label: 'Downloaded code libraries',
    hint: 'node_modules folders: programmers can download them again.',
    patterns: ['node_modules/'],
  },
  {
    id: 'caches',
    label: 'Cache folders',
    hint: '.cache, __pycache__ and similar: apps rebuild them by themselves.',
    patterns: ['.cache/', '__pycache__/', '.parcel-cache/'],
  },
  {
    id: 'temp',
    label: 'Temporary files',
    hint: 'Files ending in .tmp or starting with ~, left behind while documents are open.',
    patterns: ['*.tmp', '~*'],
  },
  {
    id: 'os-junk',
    label: 'System clutter',
    hint: '.DS_Store, Thumbs.db and desktop.ini, made by Mac and Windows folders.',
    patterns: ['.DS_Store', 'Thumbs.db', 'desktop.ini'],
  },
];
