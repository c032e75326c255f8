import { addPassphrase, addRecoveryKey, CairnError, changePassphrase, listKeys, removeKey, shortId } from '../../core';
import type { CliContext } from '../cli-context';
import { formatTime } from '../terminal';

/**
 * `cairn key list | add [--label L] | recovery | remove <id> | passwd`. New passphrases come from
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
    case 'recovery': {
      const { name, words } = await addRecoveryKey(repo);
      if (ctx.json) ctx.term.out(JSON.stringify({ name, words }));
      else {
        ctx.term.out('Your recovery key (write it down on paper and keep it somewhere safe; it is shown only this once):');
        ctx.term.out('');
        for (let i = 0; i < words.length; i += 6) ctx.term.out('    ' + words.slice(i, i + 6).map((w, j) => `${String(i + j + 1).padStart(2)}. ${w.padEnd(9)}`).join(' '));
        ctx.term.out('');
        ctx.term.out(`It opens this repository like a passphrase (type the words, or their first four letters). Key ${shortId(name)}; remove it with "cairn key remove ${shortId(name)}".`);
      }
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
      throw new CairnError('invalid-input', 'key takes one of: list, add, recovery, remove <id>, passwd');
  }
}
