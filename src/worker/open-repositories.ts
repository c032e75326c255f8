import { CairnError } from '../core/errors';
import type { Repository } from '../core/repository/repository';
import type { OpenRepository } from './protocol';
import type { OpenedTarget } from './repository-target';

/** An unlocked repository held by the worker. */
export interface RepositorySession {
  readonly info: OpenRepository;
  readonly repo: Repository;
  readonly target: OpenedTarget;
}

/**
 * The repositories unlocked in this worker, by session id. Holds the unlocked `Repository`
 * (its master key stays in worker memory until `remove`); never the passphrase.
 * Opening the same repository twice gives two independent sessions.
 */
export class OpenRepositories {
  readonly #sessions = new Map<string, RepositorySession>();

  /** `how`: 'remembered' for a session opened from key handles kept on this device. */
  add(repo: Repository, target: OpenedTarget, how: 'passphrase' | 'remembered' = 'passphrase'): OpenRepository {
    const info: OpenRepository = {
      session: crypto.randomUUID(),
      id: repo.config.id,
      encrypted: repo.config.encryption !== 'none',
      location: target.backend.location,
      kind: target.kind,
      name: target.name,
      ...(repo.config.name !== undefined ? { label: repo.config.name } : {}),
      unlockedWith: repo.config.encryption === 'none' ? 'none' : how,
    };
    this.#sessions.set(info.session, { info, repo, target });
    return info;
  }

  /** The session, or CairnError('not-found') when it was locked or never existed. */
  get(session: string): RepositorySession {
    const s = this.#sessions.get(session);
    if (!s) throw new CairnError('not-found', 'this repository is not open (it was locked, or the app restarted): unlock it again');
    return s;
  }

  /** Forgets the session and returns it (undefined when it was not open). The caller closes its backend. */
  remove(session: string): RepositorySession | undefined {
    const s = this.#sessions.get(session);
    this.#sessions.delete(session);
    return s;
  }

  all(): RepositorySession[] {
    return [...this.#sessions.values()];
  }
}
