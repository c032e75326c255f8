/**
 * Test-only: makes a worker forward everything it writes to its console to the page, as
 * `{ cairnConsole: level, text }` messages (no `id`, so comlink ignores them). Imported before the
 * engine worker's entry by console-capture-worker.ts, so it is in place before any engine code runs.
 */
const LEVELS = ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'table'] as const;

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

for (const level of LEVELS) {
  const original = console[level].bind(console) as (...args: unknown[]) => void;
  (console as unknown as Record<string, (...args: unknown[]) => void>)[level] = (...args: unknown[]) => {
    postMessage({ cairnConsole: level, text: args.map(text).join(' ') });
    original(...args);
  };
}
// Proves the channel works: the page expects to see this line.
console.info('cairn console capture ready');
