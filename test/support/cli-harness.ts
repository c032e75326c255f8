import { main } from '../../src/cli/main';
import type { Terminal } from '../../src/cli/terminal';

/** A terminal that records what the CLI prints; no prompts (askSecret answers null). */
export function captureTerminal(): { term: Terminal; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const term: Terminal = {
    interactive: false,
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    status: () => undefined,
    clearStatus: () => undefined,
    askSecret: async () => null,
  };
  return { term, out, err };
}

/** Runs the real CLI entry in-process with `env` as its environment; returns exit code and output. */
export async function runCairn(env: Record<string, string>, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const { term, out, err } = captureTerminal();
  const code = await main(argv, term, env);
  return { code, out: out.join('\n'), err: err.join('\n') };
}
