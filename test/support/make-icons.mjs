#!/usr/bin/env node
/**
 * Draws Cairn's icon (four stacked stones) as SVG and rasterizes it in headless Chromium into the
 * PNG and ICO files the web app manifest and index.html name. Output goes to public/ and is
 * committed; run again after changing the design:
 *
 *   node test/support/make-icons.mjs
 *
 * Needs only Node and Debian's chromium (CHROMIUM_PATH overrides /usr/bin/chromium).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';

const PUBLIC = fileURLToPath(new URL('../../public/', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];

const BACKGROUND_TOP = '#3a5c70';
const BACKGROUND_BOTTOM = '#243b48';
const SHADOW = '#172731';

/**
 * One stone: flatter below than above, a little squarer than an ellipse, tilted by `tilt` degrees.
 * `k` > 0.552 (a circle's control distance) squares the outline off.
 */
function stone({ cx, cy, rx, top, bottom, tilt, fill }) {
  const k = 0.64;
  const d = [
    `M ${cx - rx} ${cy}`,
    `C ${cx - rx} ${cy - k * top} ${cx - k * rx} ${cy - top} ${cx} ${cy - top}`,
    `C ${cx + k * rx} ${cy - top} ${cx + rx} ${cy - k * top} ${cx + rx} ${cy}`,
    `C ${cx + rx} ${cy + k * bottom} ${cx + k * rx} ${cy + bottom} ${cx} ${cy + bottom}`,
    `C ${cx - k * rx} ${cy + bottom} ${cx - rx} ${cy + k * bottom} ${cx - rx} ${cy}`,
    'Z',
  ].join(' ');
  const rotate = `rotate(${tilt} ${cx} ${cy})`;
  return [
    // A soft shadow under each stone gives the stack depth without outlines.
    `<path d="${d}" transform="translate(0 9) ${rotate}" fill="${SHADOW}" opacity="0.45"/>`,
    `<path d="${d}" transform="${rotate}" fill="${fill}"/>`,
  ].join('');
}

/** The stones, bottom first, in a 512 × 512 box centred on (256, 256). */
const STONES = [
  { cx: 256, cy: 375, rx: 150, top: 52, bottom: 42, tilt: -2, fill: '#b7c6cf' },
  { cx: 250, cy: 283, rx: 112, top: 46, bottom: 36, tilt: 4, fill: '#dbe3e8' },
  { cx: 260, cy: 201, rx: 80, top: 40, bottom: 32, tilt: -5, fill: '#c3d0d7' },
  { cx: 254, cy: 131, rx: 50, top: 34, bottom: 26, tilt: 7, fill: '#eef2f4' },
];

/**
 * The icon as SVG. `shape`: 'rounded' (transparent corners, for favicons and purpose "any") or
 * 'square' (full bleed, for maskable and Apple icons, which the platform crops itself). `scale`
 * shrinks the stones about the centre: a maskable icon must keep them in the central 80 % circle.
 */
export function iconSvg({ shape = 'rounded', scale = 1, size = 512 } = {}) {
  const background =
    shape === 'rounded'
      ? '<rect width="512" height="512" rx="112" fill="url(#bg)"/>'
      : '<rect width="512" height="512" fill="url(#bg)"/>';
  const stones = STONES.map(stone).join('\n    ');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 512 512" role="img" aria-label="Cairn">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="${BACKGROUND_TOP}"/>
      <stop offset="1" stop-color="${BACKGROUND_BOTTOM}"/>
    </linearGradient>
  </defs>
  ${background}
  <g transform="translate(256 256) scale(${scale}) translate(-256 -256)">
    ${stones}
  </g>
</svg>
`;
}

/** An ICO file holding the given PNGs (Vista+ readers accept PNG entries). */
function ico(images) {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, i) => {
    const at = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, at);
    header.writeUInt8(size >= 256 ? 0 : size, at + 1);
    header.writeUInt8(0, at + 2); // no palette
    header.writeUInt8(0, at + 3);
    header.writeUInt16LE(1, at + 4); // planes
    header.writeUInt16LE(32, at + 6); // bits per pixel
    header.writeUInt32LE(png.length, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.png)]);
}

async function main() {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    const render = async (size, options) => {
      await page.setViewportSize({ width: size, height: size });
      await page.setContent(
        `<!doctype html><html><body style="margin:0;background:transparent">${iconSvg({ ...options, size })}</body></html>`,
      );
      return page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    };

    const files = {
      'icon-192.png': await render(192, { shape: 'rounded' }),
      'icon-512.png': await render(512, { shape: 'rounded' }),
      // Maskable: the stones' farthest point is ~218 px from the centre; the safe circle is 204.8.
      'icon-maskable-512.png': await render(512, { shape: 'square', scale: 0.8 }),
      'apple-touch-icon.png': await render(180, { shape: 'square', scale: 0.86 }),
      'favicon-32.png': await render(32, { shape: 'rounded' }),
    };
    const favicons = [];
    for (const size of [16, 32, 48]) favicons.push({ size, png: await render(size, { shape: 'rounded' }) });
    files['favicon.ico'] = ico(favicons);

    writeFileSync(`${PUBLIC}icon.svg`, iconSvg({ shape: 'rounded', size: 64 }).replace(/ width="64" height="64"/, ''));
    for (const [name, bytes] of Object.entries(files)) {
      writeFileSync(`${PUBLIC}${name}`, bytes);
      console.log(`public/${name}: ${bytes.length} bytes`);
    }
    console.log('public/icon.svg');
  } finally {
    await browser.close();
  }
}

await main();
