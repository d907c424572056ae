// Training speed in Chromium: images/s of the `small` and `cnn` presets with the WASM kernels
// on 1 and 2 threads (and the JavaScript kernels on 1 for comparison), read from the worker's own totals (images trained ÷ seconds spent
// training them; evaluations, messages and thread start-up left out). Not part of the test
// suite: `pnpm --filter playground measure` (builds first). The load average printed beside each
// number says how much the machine was shared at the time.
import { loadavg } from 'node:os';
import { type Browser, chromium } from 'playwright-core';
import { chromiumPath } from './browser.js';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';

const baseUrl = inject('baseUrl');
const rounds = Number(process.env.ROUNDS ?? 2);
const allCases = [
  { preset: 'small', backend: 'js', threads: 1, seconds: 4 },
  { preset: 'small', backend: 'wasm', threads: 1, seconds: 4 },
  { preset: 'small', backend: 'wasm', threads: 2, seconds: 4 },
  { preset: 'cnn', backend: 'js', threads: 1, seconds: 4 },
  { preset: 'cnn', backend: 'wasm', threads: 1, seconds: 8 },
  { preset: 'cnn', backend: 'wasm', threads: 2, seconds: 8 },
];
// CASES=cnn:wasm (comma-separated `preset[:backend[:threads]]` prefixes) measures only those cases.
const wanted = process.env.CASES?.split(',').filter((item) => item !== '');
const cases = wanted === undefined ? allCases : allCases.filter(({ preset, backend, threads }) => wanted.some((item) => `${preset}:${backend}:${threads}`.startsWith(item)));

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
});
afterAll(async () => browser?.close());

async function measure(preset: string, backend: string, threads: number, seconds: number): Promise<{ rate: number; load: number[] }> {
  const page = await browser.newPage();
  await page.goto(`${baseUrl}?backend=${backend}&threads=${threads}#preset=${preset}&epochs=5`);
  await page.waitForFunction(() => document.body.dataset.runState === 'ready', null, { timeout: 60_000 });
  await page.click('#start');
  const totals = () =>
    page.evaluate(() => {
      const speed = document.getElementById('stat-speed')!;
      return { images: Number(speed.dataset.trainImages ?? 0), seconds: Number(speed.dataset.trainSeconds ?? 0) };
    });
  // Polled every 250 ms, not every animation frame: the measurement's own work in the page would
  // otherwise take processor time from the training threads on a machine with as many cores.
  // One second of warm-up (tier-up of the JavaScript, caches), then the timed stretch.
  await page.waitForFunction(() => Number(document.getElementById('stat-speed')!.dataset.trainSeconds ?? 0) >= 1, null, { timeout: 60_000, polling: 250 });
  const start = await totals();
  const loadBefore = loadavg()[0];
  await page.waitForFunction((until) => Number(document.getElementById('stat-speed')!.dataset.trainSeconds ?? 0) >= until, start.seconds + seconds, { timeout: 120_000, polling: 250 });
  const end = await totals();
  expect(await page.textContent('#stat-backend')).toBe(backend);
  expect(await page.textContent('#stat-threads')).toBe(String(threads));
  await page.close();
  return { rate: (end.images - start.images) / (end.seconds - start.seconds), load: [loadBefore, loadavg()[0]] };
}

it('measures images/s per preset and thread count', { timeout: 600_000 }, async () => {
  expect(cases.length).toBeGreaterThan(0);
  const lines: string[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const { preset, backend, threads, seconds } of cases) {
      const { rate, load } = await measure(preset, backend, threads, seconds);
      lines.push(`round ${round}  ${preset.padEnd(5)}  ${backend.padEnd(4)} × ${threads} thread${threads === 1 ? ' ' : 's'}  ${Math.round(rate).toLocaleString('en').padStart(7)} images/s  (load average ${load[0].toFixed(1)} → ${load[1].toFixed(1)})`);
      console.log(lines.at(-1));
    }
  }
  expect(lines.length).toBe(rounds * cases.length);
});
