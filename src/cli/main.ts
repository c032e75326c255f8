import { CairnError, ENGINE_VERSION, FORMAT_VERSION } from '../core';
import { parseArgs, UsageError, type OptionSpec } from './args';
import { CliContext } from './cli-context';
import { backupCommand } from './commands/backup';
import { checkCommand } from './commands/check';
import { initCommand } from './commands/init';
import { lsCommand, versionsCommand } from './commands/ls';
import { restoreCommand } from './commands/restore';
import { snapshotsCommand } from './commands/snapshots';
import { unlockCommand } from './commands/unlock';
import { keyCommand } from './commands/key';
import { diffCommand, drillCommand, scrubCommand } from './commands/verify';
import { forgetCommand, pruneCommand, repairCommand, tagCommand } from './commands/upkeep';
import { nodeTerminal, type Terminal } from './terminal';

const OPTIONS: Record<string, OptionSpec> = {
  repo: { value: true, short: 'r' },
  json: {},
  'insecure-no-password': {},
  help: { short: 'h' },
  version: {},
  tag: { value: true, repeat: true },
  parent: { value: true },
  force: {},
  to: { value: true, short: 't' },
  overwrite: {},
  'skip-existing': {},
  'dry-run': {},
  verify: {},
  'read-data': {},
  recursive: { short: 'R' },
  all: {},
  'keep-last': { value: true },
  'keep-hourly': { value: true },
  'keep-daily': { value: true },
  'keep-weekly': { value: true },
  'keep-monthly': { value: true },
  'keep-yearly': { value: true },
  'keep-within': { value: true },
  'keep-tag': { value: true, repeat: true },
  'time-zone': { value: true },
  preset: { value: true },
  prune: {},
  grace: { value: true },
  add: { value: true, repeat: true },
  remove: { value: true, repeat: true },
  label: { value: true },
  'period-days': { value: true },
  sample: { value: true },
};

type Command = (ctx: CliContext, args: string[], opts: Map<string, string[]>) => Promise<number>;

const COMMANDS: Record<string, { run: Command; options: string[]; help: string }> = {
  init: { run: initCommand, options: [], help: 'init [dir]                       create a repository (encrypted unless --insecure-no-password)' },
  backup: { run: backupCommand, options: ['tag', 'parent', 'force'], help: 'backup <dir…> [--tag T] [--force]   back up folders into a new snapshot' },
  snapshots: { run: snapshotsCommand, options: [], help: 'snapshots                        list snapshots' },
  ls: { run: lsCommand, options: ['recursive'], help: 'ls <snapshot|latest> [path] [-R]  list a folder of a snapshot' },
  versions: { run: versionsCommand, options: [], help: 'versions <path>                  the distinct versions of a path across snapshots' },
  restore: {
    run: restoreCommand,
    options: ['to', 'overwrite', 'skip-existing', 'dry-run', 'verify'],
    help: 'restore <snapshot|latest> [path…] --to <dir> [--overwrite|--skip-existing] [--dry-run] [--verify]',
  },
  check: { run: checkCommand, options: ['read-data'], help: 'check [--read-data]              verify the repository' },
  forget: {
    run: forgetCommand,
    options: ['keep-last', 'keep-hourly', 'keep-daily', 'keep-weekly', 'keep-monthly', 'keep-yearly', 'keep-within', 'keep-tag', 'time-zone', 'preset', 'dry-run', 'prune', 'grace'],
    help: 'forget --keep-last N|--keep-daily N|…|--preset time-machine [--dry-run] [--prune]   remove snapshots a policy does not keep',
  },
  tag: { run: tagCommand, options: ['add', 'remove'], help: 'tag <snapshot> [--add T] [--remove T]   change tags ("pinned" is never removed by forget)' },
  prune: { run: pruneCommand, options: ['dry-run'], help: 'prune [--dry-run]                free the space of data no snapshot needs' },
  repair: { run: repairCommand, options: ['read-data'], help: 'repair [--read-data]             rebuild the index from the packs; list what is lost' },
  diff: { run: diffCommand, options: [], help: 'diff <snapshot> <snapshot> [path]  what was added, removed and changed' },
  scrub: { run: scrubCommand, options: ['period-days'], help: 'scrub [--period-days 30]         verify a slice of the stored data; all of it once per period' },
  drill: { run: drillCommand, options: ['sample'], help: 'drill [--sample 12]              restore a sample into a temporary folder and prove it matches' },
  key: { run: keyCommand, options: ['label'], help: 'key list|add [--label L]|recovery|remove <id>|passwd   manage passphrases and recovery keys (new one from CAIRN_NEW_PASSWORD or a prompt)' },
  unlock: { run: unlockCommand, options: ['all'], help: 'unlock [--all]                   remove stale locks (--all: every lock)' },
};

const GLOBAL = ['repo', 'json', 'insecure-no-password', 'help', 'version'];

function usage(): string {
  return [
    'Usage: cairn [-r <repository folder>] [--json] <command> [arguments]',
    '',
    'Commands:',
    ...Object.values(COMMANDS).map((c) => '  ' + c.help),
    '',
    'The repository comes from -r or CAIRN_REPOSITORY; the passphrase from CAIRN_PASSWORD or a prompt.',
    'Restores never overwrite: a file that differs is kept and the restored copy written beside it.',
  ].join('\n');
}

/** Runs the CLI; returns the exit code (0 ok, 1 failure, 2 usage error, 3 backup with unreadable files). */
export async function main(argv: string[], term: Terminal = nodeTerminal(), env: Record<string, string | undefined> = process.env): Promise<number> {
  try {
    const { positional, options } = parseArgs(argv, OPTIONS);
    if (options.get('version')) {
      term.out(`cairn ${ENGINE_VERSION} (repository format ${FORMAT_VERSION})`);
      return 0;
    }
    const [name, ...args] = positional;
    if (!name || options.get('help')) {
      term.out(usage());
      return name || options.get('help') ? 0 : 2;
    }
    const command = COMMANDS[name];
    if (!command) throw new UsageError(`unknown command "${name}"`);
    for (const key of options.keys()) {
      if (!GLOBAL.includes(key) && !command.options.includes(key)) throw new UsageError(`option --${key} does not apply to ${name}`);
    }
    const ctx = new CliContext(term, env, options.get('repo')?.[0], Boolean(options.get('json')), Boolean(options.get('insecure-no-password')));
    return await command.run(ctx, args, options);
  } catch (e) {
    term.clearStatus();
    if (e instanceof UsageError) {
      term.err(`cairn: ${e.message}\n\n${usage()}`);
      return 2;
    }
    if (e instanceof CairnError) {
      term.err(`cairn: ${e.message}`);
      return 1;
    }
    term.err(`cairn: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return 1;
  }
}
