import { describe, expect, it } from 'vitest';
import { MemoryBackend } from '../../src/storage/memory-backend';
import { backendContract, expectBytes, expectCode, id, seeded } from './backend-contract';

backendContract('MemoryBackend', async () => new MemoryBackend(), undefined, {
  async plant(backend, type, name, data) {
    (backend as MemoryBackend).plant(type, name, data);
  },
});

describe('MemoryBackend extras', () => {
  it('clone() forks the state: later writes on either side stay apart', async () => {
    const a = new MemoryBackend();
    await a.write('index', id(1), seeded(10, 1));
    const b = a.clone();
    await b.write('index', id(2), seeded(10, 2));
    await a.remove('index', id(1));
    expectBytes(await b.read('index', id(1)), seeded(10, 1));
    await expectCode(a.read('index', id(2)), 'not-found');
  });

  it('files() returns copies keyed type/name', async () => {
    const a = new MemoryBackend();
    await a.write('data', id(1), seeded(10, 1));
    const files = a.files();
    expect([...files.keys()]).toEqual([`data/${id(1)}`]);
    files.get(`data/${id(1)}`)!.fill(0);
    expectBytes(await a.read('data', id(1)), seeded(10, 1));
  });
});
