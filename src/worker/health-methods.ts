import { FILE_TYPES } from '../core/ports/backend';
import type { OpenRepositories } from './open-repositories';
import type { RepositoryHealthInfo } from './protocol';

/**
 * Size and identity of an open repository for the home screen. Reads listings only (names and
 * sizes), never file contents, so it is cheap enough to call after every backup.
 *
 * Contract: `storedBytes` is the sum of every listed file's size now (it shrinks after a prune).
 * `usage` is the backend's own figure when it has one (browser repositories: this origin's use
 * and remaining quota); a folder backend has none, because the File System Access API does not
 * tell a web app how much space is free on a drive.
 */
export class HealthMethods {
  constructor(private readonly open: OpenRepositories) {}

  async repositoryHealth(session: string): Promise<RepositoryHealthInfo> {
    const { repo } = this.open.get(session);
    let storedBytes = 0;
    let files = 0;
    for (const type of FILE_TYPES) {
      if (type === 'locks') continue;
      for await (const f of repo.backend.list(type)) {
        storedBytes += f.size;
        files++;
      }
    }
    const usage = repo.backend.usage ? await repo.backend.usage().catch(() => undefined) : undefined;
    return {
      id: repo.config.id,
      shortId: repo.config.id.slice(0, 8),
      ...(repo.config.name !== undefined ? { label: repo.config.name } : {}),
      created: repo.config.created,
      storedBytes,
      files,
      ...(usage ? { usage: { used: usage.used, ...(usage.available !== undefined ? { available: usage.available } : {}) } } : {}),
    };
  }
}
