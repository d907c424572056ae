// The example page, as a visitor uses it: a real Chromium loads example/index.html, which loads
// the IIFE build from a relative path and a model file, and reads digits drawn on its canvas.
import { existsSync, readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { mnistPaths } from '@nnkit/mnist';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadClassifier } from '../src/index.js';

const packageDirectory = join(import.meta.dirname, '..');
// The playground's bundled model (the `fast` preset, 99.24 %) stands in for the visitor's own.
const modelPath = join(packageDirectory, '../../apps/playground/public/models/default.json');
const chromiumPath = process.env.NNKIT_CHROMIUM_PATH ?? '/usr/bin/chromium';
const runs = existsSync(chromiumPath) || process.env.CI === 'true';
const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.map': 'application/json' };

let server: Server;
let browser: Browser;
let page: Page;
let base: string;

/** MNIST test image `index` as dark ink on white paper, each pixel a `scale × scale` block. */
function paperDigit(index: number, scale: number): { width: number; height: number; data: Uint8ClampedArray } {
  const bytes = readFileSync(mnistPaths().testImages).subarray(16 + index * 784, 16 + (index + 1) * 784);
  const side = 28 * scale;
  const data = new Uint8ClampedArray(side * side * 4);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const ink = bytes[Math.floor(y / scale) * 28 + Math.floor(x / scale)];
      data.set([255 - ink, 255 - ink, 255 - ink, 255], (y * side + x) * 4);
    }
  }
  return { width: side, height: side, data };
}

describe.runIf(runs)('example/index.html in Chromium', () => {
  beforeAll(async () => {
    // Serves the package folder (example/ and dist/), with the model as example/model.json.
    server = createServer((request, response) => {
      const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname));
      const file = path === '/example/model.json' ? modelPath : join(packageDirectory, path);
      if (!file.startsWith(packageDirectory) && file !== modelPath) return response.writeHead(403).end();
      if (!existsSync(file)) return response.writeHead(404).end();
      response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    page = await browser.newPage({ viewport: { width: 800, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${base}/example/index.html`);
    await page.waitForSelector('body[data-ready]');
    expect(errors).toEqual([]);
    expect(await page.getAttribute('body', 'data-ready')).toBe('true');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('reads a stroke drawn with the mouse as a 1', async () => {
    const box = (await page.locator('#pad').boundingBox())!;
    await page.click('#clear');
    await page.mouse.move(box.x + 140, box.y + 40);
    await page.mouse.down();
    for (let y = 40; y <= 240; y += 20) await page.mouse.move(box.x + 140 + (y - 40) / 40, box.y + y);
    await page.mouse.up();
    await expect.poll(() => page.textContent('#digit')).toBe('1');
    expect(await page.locator('#probabilities li').count()).toBe(10);
  });

  it('gives the page the same answer as Node for an MNIST digit painted on the canvas', async () => {
    const expected = loadClassifier(readFileSync(modelPath, 'utf8'), modelPath).predictDrawing(paperDigit(0, 10));
    expect(expected.digit).toBe(7); // MNIST test image 0 is a 7
    const image = paperDigit(0, 10);
    const shown = await page.evaluate((pixels) => {
      const canvas = document.querySelector('canvas')!;
      canvas.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(pixels), 280, 280), 0, 0);
      canvas.dispatchEvent(new PointerEvent('pointerup'));
      return document.querySelector('#digit')!.textContent;
    }, Array.from(image.data));
    expect(shown).toBe('7');
    const probabilities = await page.$$eval('#probabilities meter', (meters) => meters.map((meter) => Number((meter as HTMLMeterElement).value)));
    probabilities.forEach((value, k) => expect(value).toBeCloseTo(expected.probabilities[k], 5));
  });

  it('says so when the model file is missing', async () => {
    const other = await browser.newPage();
    await other.goto(`${base}/example/index.html?model=missing.json`);
    await other.waitForSelector('body[data-ready]');
    expect(await other.textContent('#status')).toMatch(/missing\.json: HTTP 404; expected an nnkit model file$/);
    await other.close();
  });
});

if (!runs) console.warn(`example page test skipped: ${chromiumPath} is missing (install it with \`apt-get install -y chromium\`)`);
