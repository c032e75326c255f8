import { stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { CairnError, passphraseFromInput, Repository, type Host } from '../core';
import { webHost } from '../platform/webcrypto-host';
import { UsageError } from './args';
import { nodeCryptoHost } from './node-crypto-host';
import { nodeDeflate } from './node-deflate';
import { NodeFsBackend } from './node-fs-backend';
import type { Terminal } from './terminal';

/** What every command gets: the repository location, passphrase sources and the terminal. */
export class CliContext {
  readonly host: Host = nodeHost();

  constructor(
    readonly term: Terminal,
    readonly env: Readonly<Record<string, string | undefined>>,
    private readonly repoOption: string | undefined,
    readonly json: boolean,
    readonly noPassword: boolean,
  ) {}

  /** The repository folder from -r/--repo or CAIRN_REPOSITORY. */
  repoPath(): string {
    const path = this.repoOption ?? this.env.CAIRN_REPOSITORY;
    if (!path) throw new UsageError('no repository given: use -r <folder> or set CAIRN_REPOSITORY');
    return resolve(path);
  }

  backend(path = this.repoPath()): NodeFsBackend {
    return new NodeFsBackend(path);
  }

  /** The passphrase from CAIRN_PASSWORD or a prompt; `confirm` asks twice (for a new one). */
  async passphrase(confirm = false, envName = 'CAIRN_PASSWORD'): Promise<string> {
    const fromEnv = this.env[envName];
    if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
    const first = await this.term.askSecret(confirm ? 'New passphrase: ' : 'Passphrase: ');
    if (first === null) {
      throw new CairnError('invalid-input', `a passphrase is needed: set ${envName} or run in a terminal`);
    }
    if (!first) throw new CairnError('invalid-input', 'the passphrase is empty');
    if (confirm && (await this.term.askSecret('Repeat passphrase: ')) !== first) {
      throw new CairnError('invalid-input', 'the passphrases do not match');
    }
    return first;
  }

  /** Opens and unlocks the repository; asks for a passphrase only when it is encrypted. */
  async open(forWriting: boolean): Promise<Repository> {
    const path = this.repoPath();
    if (!(await stat(path).catch(() => null))?.isDirectory()) {
      throw new CairnError('not-a-repository', `no Cairn repository at ${path} (the folder does not exist; is the drive connected?)`);
    }
    const backend = this.backend(path);
    const probe = await Repository.probe(backend);
    if (!probe.exists) throw new CairnError('not-a-repository', `no Cairn repository at ${backend.location}`);
    const pass = probe.encrypted ? passphraseFromInput(await this.passphrase()) : null;
    const repo = await Repository.open(backend, this.host, pass, { forWriting });
    for (const p of repo.indexProblems) this.term.err(`warning: index file ${p.name.slice(0, 8)} cannot be read (${p.message}); run "cairn repair"`);
    return repo;
  }
}

/** The CLI's host: node:crypto and zlib (faster in Node than WebCrypto and fflate), same bytes. */
function nodeHost(): Host {
  const web = webHost(hostname());
  return { ...web, now: () => Date.now(), crypto: nodeCryptoHost(web.crypto), deflate: nodeDeflate() };
}
