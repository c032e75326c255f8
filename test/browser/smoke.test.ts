import { expect, test } from 'vitest';
test('browser has OPFS', async () => {
  const root = await navigator.storage.getDirectory();
  expect(root.kind).toBe('directory');
});
