import { createInterface } from 'node:readline';

/** Terminal output for the CLI: results on stdout, progress and errors on stderr. */
export interface Terminal {
  out(line: string): void;
  err(line: string): void;
  /** A transient status line (only on an interactive stderr), throttled. */
  status(line: string): void;
  clearStatus(): void;
  readonly interactive: boolean;
  /** Asks for a secret without echo; null when there is no terminal to ask on. */
  askSecret(prompt: string): Promise<string | null>;
}

export function nodeTerminal(): Terminal {
  const interactive = Boolean(process.stderr.isTTY);
  let last = 0;
  let shown = false;
  return {
    interactive,
    out: (line) => process.stdout.write(line + '\n'),
    err(line) {
      this.clearStatus();
      process.stderr.write(line + '\n');
    },
    status(line) {
      if (!interactive) return;
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      const width = process.stderr.columns || 100;
      process.stderr.write('\r\x1b[K' + (line.length >= width ? line.slice(0, width - 1) : line));
      shown = true;
    },
    clearStatus() {
      if (shown) process.stderr.write('\r\x1b[K');
      shown = false;
    },
    askSecret: (prompt) => askSecret(prompt),
  };
}

async function askSecret(prompt: string): Promise<string | null> {
  if (!process.stdin.isTTY) return null;
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  // Hide typed characters: echo the prompt only.
  const output = rl as unknown as { _writeToOutput: (s: string) => void };
  process.stderr.write(prompt);
  output._writeToOutput = () => undefined;
  try {
    return await new Promise<string>((resolve) => rl.question('', resolve));
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 → "1.5 KiB". */
export function formatBytes(n: number): string {
  let v = n;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(v < 10 ? 2 : 1)} ${UNITS[u]}`;
}

/** "2026-11-21 10:30:05" in local time, as people read it. */
export function formatTime(iso: string | number): string {
  const d = new Date(iso);
  const p = (x: number) => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
