/**
 * `npx tsx scripts/generate-icons.ts`: renders the PWA icons in public/icons/ from the favicon's mark.
 * The PNGs are committed; run this only when the logo changes. Chromium does the rasterising (the same
 * browser Playwright drives), so the glyph is anti-aliased like the SVG favicon instead of hand-drawn.
 *
 * - icon-192 / icon-512 (purpose "any"): the rounded tile on a transparent background, like the favicon.
 * - icon-maskable-512 (purpose "maskable"): full-bleed background with the mark inside the central 80 %
 *   safe zone, because launchers crop maskable icons to any shape (circle, squircle…).
 * - apple-touch-icon (180): full-bleed and opaque; iOS fills transparency with black and rounds it itself.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, provideBrowser } from './browser.ts';
import { repoRoot } from '../supabase/local/config.ts';

// Kept in step with public/favicon.svg and --accent in src/styles.css.
const ACCENT = '#1f4e5f';
const GLYPH =
  'M20 46V18h13.5c6.4 0 10.5 3.6 10.5 9 0 4.2-2.5 7.2-6.5 8.4L46 46h-7.6l-7.6-10H27v10zm7-16h6c2.7 0 4.2-1.3 4.2-3.4S35.7 23.2 33 23.2h-6z';

/** The favicon's tile: a rounded square with the glyph, in a 64-unit box. */
const roundedTile = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="${ACCENT}"/><path d="${GLYPH}" fill="#fff"/></svg>`;

/**
 * Full-bleed square; the glyph (about 28 units wide in the 64 box) is scaled to 0.8 and centred, so
 * it stays well inside the maskable safe zone (a circle of radius 40 % of the icon).
 */
const fullBleed = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="${ACCENT}"/><g transform="translate(32 32) scale(0.8) translate(-33 -32)"><path d="${GLYPH}" fill="#fff"/></g></svg>`;

const outputs = [
  { file: 'icon-192.png', size: 192, svg: roundedTile },
  { file: 'icon-512.png', size: 512, svg: roundedTile },
  { file: 'icon-maskable-512.png', size: 512, svg: fullBleed },
  { file: 'apple-touch-icon.png', size: 180, svg: fullBleed },
];

const outDir = path.join(repoRoot, 'public', 'icons');
await mkdir(outDir, { recursive: true });

const browser = await chromium.launch({ executablePath: provideBrowser().executablePath, args: CHROMIUM_ARGS });
try {
  for (const { file, size, svg } of outputs) {
    const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
    await page.setContent(
      `<!doctype html><html><body style="margin:0;background:transparent">` +
        `<div style="width:${size}px;height:${size}px">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</div></body></html>`,
    );
    await page.screenshot({ path: path.join(outDir, file), omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    await page.close();
    process.stdout.write(`public/icons/${file} (${size}×${size})\n`);
  }
} finally {
  await browser.close();
}
