import { defineConfig } from '@playwright/test';
import base from './playwright.config';

/**
 * The shared e2e config on its own port and build folder, so this spec can run while another
 * engineer's spec holds port 4174 (2 shared cores, several people). Same browser, same build.
 */
const PORT = 4184;
const webServer = Array.isArray(base.webServer) ? base.webServer[0] : base.webServer;

export default defineConfig({
  ...base,
  outputDir: `${base.outputDir ?? 'test-results/e2e-artifacts'}-setup-backup`,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e-setup-backup.json' }]],
  use: { ...base.use, baseURL: `http://127.0.0.1:${PORT}` },
  webServer: {
    ...webServer!,
    command: `npx vite build --outDir dist-e2e-setup-backup --emptyOutDir && npx vite preview --outDir dist-e2e-setup-backup --port ${PORT} --strictPort --host 127.0.0.1`,
    url: `http://127.0.0.1:${PORT}/`,
  },
});
