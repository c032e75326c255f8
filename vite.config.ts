import { defineConfig } from 'vitest/config';
import solid from 'vite-plugin-solid';
import { playwright } from '@vitest/browser-playwright';
import { VitePWA } from 'vite-plugin-pwa';

/** Chromium flags that work on this machine (see docs/testing.md). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * The Content Security Policy index.html carries in its meta tag, plus what only a header can say
 * (frame-ancestors). `vite preview` sends it as a header on every response, so it also governs the
 * engine worker and the service worker, whose policies come from their own responses, not from the
 * page's meta tag. A static host should send the same header.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "connect-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Light theme colours; index.html has the dark ones for its theme-color meta. */
const THEME_LIGHT = '#f6f7f8';

/**
 * The installable app: web app manifest and a Workbox service worker that precaches the whole
 * build, so Cairn starts with no network after its first load. registerType 'prompt': a new
 * version waits until the user accepts it (src/ui/pwa/register-pwa.ts), never mid-job. The page
 * registers the service worker itself (injectRegister: false): no inline script for the CSP.
 */
const pwa = VitePWA({
  strategies: 'generateSW',
  registerType: 'prompt',
  injectRegister: false,
  manifestFilename: 'manifest.webmanifest',
  // globPatterns below already precaches everything in public/.
  includeManifestIcons: false,
  manifest: {
    id: '/',
    name: 'Cairn',
    short_name: 'Cairn',
    description: 'Local-first, encrypted, deduplicating backups in your browser.',
    lang: 'en',
    dir: 'ltr',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    orientation: 'any',
    theme_color: THEME_LIGHT,
    background_color: THEME_LIGHT,
    categories: ['utilities', 'productivity'],
    icons: [
      { src: '/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: '/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: '/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
      { src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
    ],
  },
  workbox: {
    globPatterns: ['**/*.{js,css,html,svg,png,ico,wasm}'],
    // The engine worker bundle (argon2 wasm inlined) is larger than Workbox's 2 MiB default.
    maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
    navigateFallback: 'index.html',
    cleanupOutdatedCaches: true,
    // The first service worker takes over the page that installed it (nothing older to replace);
    // a new version still waits for the user (skipWaiting: false, see register-pwa.ts).
    clientsClaim: true,
    skipWaiting: false,
  },
  devOptions: { enabled: false },
});

export default defineConfig({
  plugins: [solid(), pwa],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  preview: { headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY } },
  test: {
    environment: 'node',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['test/unit/**/*.test.ts', 'test/contract/**/*.node.test.ts', 'test/integration/**/*.test.ts', 'test/big/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        optimizeDeps: { include: ['idb', 'fflate', 'hash-wasm', 'comlink'] },
        test: {
          name: 'browser',
          environment: 'node',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 120_000,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({ launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS } }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
