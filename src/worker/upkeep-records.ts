import type { Sealer } from '../core/format/sealer';
import { keyValueStore } from './key-value-store';
/**
 * Where the worker remembers upkeep per repository: the scrub and restore-drill state (which
 * packs were verified when, which snapshots were drilled) and the last results. They live in the
 * app's settings database ("cairn.app-settings", store "settings", the same one the page's
 * settings-store.ts uses) under keys "upkeep.scrub.<repository id>" and
 * "upkeep.drill.<repository id>", never in the repository: they describe this device's checks.
 *
 * Contract: `get` resolves undefined when nothing (or something unreadable) is stored; `put`
 * resolves once the value is committed. The database is opened without a version, so the page
 * may upgrade it; this connection closes itself when asked to (versionchange) and reopens later.
 */
const settings = keyValueStore('cairn.app-settings', 'settings');

export type UpkeepRecordKind = 'scrub' | 'drill';

/** A small persistent map from (kind, repository id) to a structured-cloneable record. */
export interface UpkeepRecords {
  get<T>(kind: UpkeepRecordKind, repositoryId: string): Promise<T | undefined>;
  put(kind: UpkeepRecordKind, repositoryId: string, value: unknown): Promise<void>;
}

/** The records in the app's settings database (IndexedDB of this origin). */
export const settingsDatabaseRecords: UpkeepRecords = {
  async get<T>(kind: UpkeepRecordKind, repositoryId: string) {
    try {
      return await settings.get<T>(`upkeep.${kind}.${repositoryId}`);
    } catch {
      return undefined;
    }
  },
  async put(kind, repositoryId, value) {
    await settings.put(`upkeep.${kind}.${repositoryId}`, value);
  },
};

/** Records in memory (unit tests, and hosts without IndexedDB). */
export function memoryRecords(): UpkeepRecords {
  const map = new Map<string, unknown>();
  return {
    get: async <T,>(kind: UpkeepRecordKind, id: string) => structuredClone(map.get(`${kind}.${id}`)) as T | undefined,
    put: async (kind, id, value) => void map.set(`${kind}.${id}`, structuredClone(value)),
  };
}

/**
 * Records sealed with the repository's own key before they are stored: drill samples and scrub
 * findings name files, and an encrypted repository leaves no file name readable in browser
 * storage. A record that no longer opens (another repository's key, damage) reads as missing.
 */
export function sealedRecords(inner: UpkeepRecords, sealer: Sealer): UpkeepRecords {
  const label = (kind: UpkeepRecordKind, id: string) => `upkeep/${kind}/${id}`;
  return {
    async get<T>(kind: UpkeepRecordKind, id: string): Promise<T | undefined> {
      const stored = await inner.get<{ sealed?: unknown }>(kind, id);
      if (!(stored?.sealed instanceof Uint8Array)) return undefined;
      try {
        return JSON.parse(new TextDecoder().decode(await sealer.open('local', label(kind, id), stored.sealed))) as T;
      } catch {
        return undefined;
      }
    },
    async put(kind, id, value) {
      await inner.put(kind, id, { sealed: await sealer.seal('local', label(kind, id), new TextEncoder().encode(JSON.stringify(value))) });
    },
  };
}
