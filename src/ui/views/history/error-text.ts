/** A plain sentence for a failed call (engine errors carry a readable message already). */
export function errorText(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.length > 0 ? message[0]!.toUpperCase() + message.slice(1) : 'Something went wrong.';
}

/** True when a job ended because it was cancelled. */
export function wasCancelled(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'aborted';
}
