import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Per-repository state the CLI keeps on this machine (scrub progress, drill history), never in
 * the repository: $XDG_STATE_HOME/cairn/<repository id>/<name>.json (default ~/.local/state).
 */
export function stateDir(env: Readonly<Record<string, string | undefined>>, repoId: string): string {
  return join(env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state'), 'cairn', repoId);
}

export async function loadState<T>(dir: string, name: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(join(dir, `${name}.json`), 'utf8')) as T;
  } catch {
    return null;
  }
}

export async function saveState(dir: string, name: string, value: unknown): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${name}.json.tmp`);
  await writeFile(tmp, JSON.stringify(value));
  await rename(tmp, join(dir, `${name}.json`));
}
