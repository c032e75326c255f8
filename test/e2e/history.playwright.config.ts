import { defineConfig } from '@playwright/test';
import base from './playwright.config';

/**
 * The shared e2e config on its own port and build folder, so the History and Restore specs can
 * run while another spec runs against the shared config (port 4174, dist/).
 */
const PORT = 4391;
const OUT = '/tmp/cairn-history-dist';

export default defineConfig({
  ...base,
  outputDir: `${base.outputDir}-history`,
  reporter: [['list']],
  use: { ...base.use, baseURL: `http://127.0.0.1:${PORT}` },
  webServer: {
    ...(base.webServer as object),
    command: `npx vite build --outDir ${OUT} --emptyOutDir && npx vite preview --outDir ${OUT} --port ${PORT} --strictPort --host 127.0.0.1`,
    url: `http://127.0.0.1:${PORT}/`,
  },
});
