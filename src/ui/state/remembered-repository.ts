import { deleteSetting, getSetting, setSetting } from './settings-store';

/**
 * Where the user's repository lives, remembered across visits in the settings store (key
 * 'repository'): a browser repository's name, or the folder's handle. Only the user changes it
 * (by choosing another place); the app never switches on its own. No passphrase is kept.
 */
export type RememberedRepository =
  | { readonly kind: 'browser'; readonly name: string }
  | { readonly kind: 'folder'; readonly handle: FileSystemDirectoryHandle };

const KEY = 'repository';

export function loadRememberedRepository(): Promise<RememberedRepository | undefined> {
  return getSetting<RememberedRepository>(KEY);
}

export function rememberRepository(r: RememberedRepository): Promise<void> {
  return setSetting(KEY, r);
}

export function forgetRepository(): Promise<void> {
  return deleteSetting(KEY);
}
