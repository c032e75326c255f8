/**
 * The types and constants shared by the UI and the worker. The UI may import this module and
 * `client.ts` from the worker layer, nothing else (see test/unit/architecture.test.ts).
 */
export { ENGINE_VERSION, FORMAT_VERSION } from '../core/version';
