/**
 * Command-line parsing for `cairn`: global options anywhere on the line, a command, its
 * positional arguments and options. Unknown options are errors (UsageError), never ignored.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface OptionSpec {
  /** Takes a value (`--to DIR`, `--to=DIR`); otherwise a flag. */
  readonly value?: boolean;
  /** May be given several times (values collected in order). */
  readonly repeat?: boolean;
  readonly short?: string;
}

export interface Parsed {
  readonly positional: string[];
  readonly options: Map<string, string[]>;
}

export function parseArgs(argv: readonly string[], specs: Readonly<Record<string, OptionSpec>>): Parsed {
  const positional: string[] = [];
  const options = new Map<string, string[]>();
  const byShort = new Map(Object.entries(specs).flatMap(([name, s]) => (s.short ? [[s.short, name] as const] : [])));
  let onlyPositional = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (onlyPositional || !arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPositional = true;
      continue;
    }
    let name: string;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
      inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    } else {
      const long = byShort.get(arg.slice(1));
      if (!long) throw new UsageError(`unknown option ${arg}`);
      name = long;
    }
    const spec = specs[name];
    if (!spec) throw new UsageError(`unknown option --${name}`);
    let value = 'true';
    if (spec.value) {
      const next = inline ?? argv[++i];
      if (next === undefined) throw new UsageError(`option --${name} needs a value`);
      value = next;
    } else if (inline !== undefined) throw new UsageError(`option --${name} takes no value`);
    const list = options.get(name) ?? [];
    if (list.length && !spec.repeat) throw new UsageError(`option --${name} given twice`);
    options.set(name, [...list, value]);
  }
  return { positional, options };
}
