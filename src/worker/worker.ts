/**
 * The engine worker's entry: exposes one EngineApi over comlink. Started by client.ts with
 * `new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })`.
 */
import { expose } from 'comlink';
import { EngineApi } from './engine-api';

expose(new EngineApi());
