import { createResource, type Resource } from 'solid-js';
import type { FileBytes } from '../../../worker/protocol';
import { useEngine } from '../../state/engine-context';

/** The bytes of a version (`snapshot()` holds it), read by the worker, at most `maxBytes`. */
export function createFileBytes(path: () => string, snapshot: () => string | null, maxBytes: number): Resource<FileBytes | undefined> {
  const engine = useEngine();
  const [bytes] = createResource(
    () => {
      const s = engine.repo()?.session;
      const id = snapshot();
      return s && id ? { s, id, path: path() } : false;
    },
    ({ s, id, path }) => engine.client.readFile(s, id, path, maxBytes),
  );
  return bytes;
}
