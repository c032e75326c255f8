import { CairnError } from '../core/errors';
import type { EngineErrorData, Outcome } from './protocol';

/**
 * How errors cross the boundary: every method of the worker API resolves to an `Outcome`, never
 * rejects. Comlink serializes a thrown Error as `{ name, message, stack }` only, which would drop
 * the CairnError code; a discriminated result needs no custom transfer handler, works the same
 * when the API object is called in-page, and keeps the contract in plain data. The client turns
 * a failed outcome back into a thrown `EngineError` carrying the same code and message.
 */
export async function settle<T>(run: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (e) {
    return { ok: false, error: toEngineError(e) };
  }
}

/** A CairnError keeps its code and message; anything else is 'internal', naming the original. */
export function toEngineError(e: unknown): EngineErrorData {
  if (e instanceof CairnError) return { code: e.code, message: e.message };
  if (e instanceof Error) return { code: 'internal', message: `${e.name}: ${e.message}` };
  return { code: 'internal', message: String(e) };
}
