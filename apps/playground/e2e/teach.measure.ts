// The README's figure for "Teach it my handwriting" (`pnpm --filter playground measure`, or this
// file alone): 10 of each digit drawn with the mouse in the European and the boxy hands of `handwriting.ts`,
// held-out accuracy of the pre-trained model, then of the model fine-tuned with the page's
// default settings, as the page shows them; into test-results/teach-measure-<hand>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { type Hand, createRng, drawDigit, waitForSamples } from './handwriting.js';
import { launchBrowser, openPage, resultsDirectory } from './page-helpers.js';

const baseUrl = inject('baseUrl');
const perDigit = 10;
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

for (const hand of ['european', 'boxy'] as Hand[]) {
  it(`held-out accuracy before and after fine-tuning, ${hand} hand`, async () => {
  const page = await openPage(browser, { url: baseUrl });
  await waitForSamples(page, 0);
  const rng = createRng(`teach-measure-${hand}`);
  for (let index = 0; index < 10 * perDigit; index++) {
    await drawDigit(page, index % 10, rng, hand);
    await page.click('#teach-add');
    await waitForSamples(page, index + 1);
  }
  const before = await page.textContent('#teach-before');
  await page.click('#teach-tune');
  await page.waitForFunction(() => ['done', 'failed'].includes(document.body.dataset.teachTune ?? ''));
  await page.waitForFunction(() => (document.getElementById('teach-mnist-score')?.textContent ?? '').includes('→ ') && !(document.getElementById('teach-mnist-score')?.textContent ?? '').endsWith('…'));
  const figures = {
    samples: 10 * perDigit,
    settings: { epochs: await page.inputValue('#teach-epochs'), mnistImages: await page.inputValue('#teach-mnist'), freeze: await page.isChecked('#teach-freeze') },
    before,
    after: await page.textContent('#teach-after'),
    mnist: await page.textContent('#teach-mnist-score'),
    wrongBefore: await page.locator('#teach-wrong .wrong-before').evaluateAll((items) => items.map((item) => `${(item as HTMLElement).dataset.label}→${(item as HTMLElement).dataset.predicted}`)),
    stillWrong: await page.locator('#teach-wrong .wrong').evaluateAll((items) => items.map((item) => `${(item as HTMLElement).dataset.label}→${(item as HTMLElement).dataset.predicted}`)),
    status: await page.textContent('#teach-status'),
  };
  mkdirSync(`${resultsDirectory}screenshots`, { recursive: true });
  await page.locator('#teach').screenshot({ path: `${resultsDirectory}screenshots/teach-measure-${hand}-1280.png` });
  writeFileSync(`${resultsDirectory}teach-measure-${hand}.json`, JSON.stringify(figures, null, 2));
  expect(figures.status).toContain('Done');
  await page.close();
  });
}
