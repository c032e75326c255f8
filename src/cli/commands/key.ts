import { addPassphrase, CairnError, changePassphrase, listKeys, removeKey, shortId } from '../../core';
import type { CliContext } from '../cli-context';
import { formatTime } from '../terminal';

/**
 * `cairn key list | add [--label L] | remove <id> | passwd`. New passphrases come from
 * CAIRN_NEW_PASSWORD or a prompt (asked twice).
 */
export async function keyCommand(ctx: CliContext, args: string[], opts: Map<string, string[]>): Promise<number> {
  const [sub, arg] = args;
  const repo = await ctx.open(sub !== 'list');
  if (repo.config.encryption === 'none' && sub !== 'list') throw new CairnError('invalid-input', 'this repository is not encrypted: it has no passphrases');
  const newPass = async () => ctx.env.CAIRN_NEW_PASSWORD || (await ctx.passphrase(true, 'CAIRN_NEW_PASSWORD'));
  switch (sub) {
    case 'list': {
      const keys = await listKeys(repo);
      if (ctx.json) ctx.term.out(JSON.stringify(keys));
      else for (const k of keys) ctx.term.out(`${k.current ? '*' : ' '} ${shortId(k.name)}  ${k.damaged ? `DAMAGED: ${k.damaged}` : `${formatTime(k.created)}  ${k.hostname}  ${k.kdf}${k.label ? `  "${k.label}"` : ''}`}`);
      return 0;
    }
    case 'add': {
      const name = await addPassphrase(repo, await newPass(), { ...(opts.get('label') ? { label: opts.get('label')![0]! } : {}) });
      ctx.term.out(`added key ${shortId(name)}; it was verified to open the repository`);
      return 0;
    }
    case 'remove':
      if (!arg) throw new CairnError('invalid-input', 'give the id of the key to remove (see "cairn key list")');
      await removeKey(repo, arg);
      ctx.term.out(`removed key ${arg}`);
      return 0;
    case 'passwd': {
      const name = await changePassphrase(repo, await newPass());
      ctx.term.out(`passphrase changed (new key ${shortId(name)}; the old passphrase no longer opens the repository)`);
      return 0;
    }
    default:
      throw new CairnError('invalid-input', 'key takes one of: list, add, remove <id>, passwd');
  }
}
