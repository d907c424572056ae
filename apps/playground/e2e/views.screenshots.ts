// Screenshots of the page's views at desktop and phone widths (not a test suite:
// `pnpm --filter playground screenshots`), into test-results/screenshots/ to look at.
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, inject, it } from 'vitest';
import { createRng, drawDigit, waitForSamples } from './handwriting.js';
import { busiestMistake, drawSeven, launchBrowser, openPage, resultsDirectory, sampleReportHtml, setField, pauseRun, settle, waitForState } from './page-helpers.js';

const baseUrl = inject('baseUrl');
const folder = `${resultsDirectory}screenshots/`;
let browser: Browser;
beforeAll(async () => {
  mkdirSync(folder, { recursive: true });
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

const shot = (page: Page, selector: string, name: string, width: number) => page.locator(selector).screenshot({ path: `${folder}${name}-${width}.png` });

async function waitForImages(page: Page, images: number): Promise<void> {
  await page.waitForFunction((until) => Number(document.getElementById('stat-speed')?.dataset.trainImages ?? 0) >= until, images);
}

for (const width of [1280, 375]) {
  it(`views at ${width} px`, async () => {
    // Drawing: a small 7 with the pen scaled to it, then a stroke the network is unsure of.
    let page = await openPage(browser, { url: baseUrl, width });
    await page.waitForFunction(() => document.querySelectorAll('#confusion button[data-actual]').length === 100);
    await drawSeven(page, 0.35);
    await shot(page, '#draw', 'draw-small-seven', width);
    await page.click('#clear');
    const box = (await page.locator('#pad').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.45);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.55, { steps: 8 });
    await page.mouse.move(box.x + box.width * 0.35, box.y + box.height * 0.7, { steps: 8 });
    await page.mouse.up();
    await settle(page);
    await shot(page, '#draw', 'draw-unsure', width);
    // The bundled model's matrix on arrival, a cell chosen, its digits.
    const busiest = await busiestMistake(page);
    await page.click(`#confusion button[data-actual="${busiest.actual}"][data-predicted="${busiest.predicted}"]`);
    await page.waitForSelector('#misclassified .digit-button');
    await shot(page, '#inside', 'inside-pretrained', width);
    // Refused values.
    await setField(page, '#learning-rate', '1000');
    await setField(page, '#batch-size', '0');
    await setField(page, '#distortions', 'rotate:abc');
    await shot(page, '#train-form', 'invalid-fields', width);
    await page.close();

    // A run of three epochs with the setup changed under it, the learning rate changed live.
    page = await openPage(browser, { url: baseUrl, width, hash: encodeURI('preset=small&epochs=3&train=30000&test=2000') });
    await page.click('#start');
    await waitForImages(page, 20000);
    await setField(page, '#epochs', '1');
    await waitForImages(page, 40000);
    await pauseRun(page);
    await settle(page);
    await shot(page, '.training-status', 'run-status-setup-changed', width);
    await shot(page, '.charts', 'charts', width);
    await page.close();

    // Divergence, stopped with advice.
    page = await openPage(browser, { url: baseUrl, width, hash: encodeURI('preset=small&lr=100&train=12000&test=500') });
    await page.click('#start');
    await waitForState(page, 'failed');
    await shot(page, '.training-status', 'divergence', width);
    await shot(page, '#draw', 'divergence-draw-keeps-pretrained', width);
    await page.close();
  });
}

for (const width of [1280, 375]) {
  it(`teach it my handwriting at ${width} px`, async () => {
    // Two of each digit, a short fine-tuning: the panel with its gallery, scores and mistakes.
    const page = await openPage(browser, { url: baseUrl, width });
    await waitForSamples(page, 0);
    const rng = createRng(`teach-view-${width}`);
    for (let index = 0; index < 20; index++) {
      await drawDigit(page, index % 10, rng, 'boxy');
      await page.click('#teach-add');
      await waitForSamples(page, index + 1);
    }
    await drawDigit(page, 0, rng, 'boxy');
    await page.fill('#teach-epochs', '1');
    await page.fill('#teach-mnist', '100');
    await page.click('#teach-tune');
    await page.waitForFunction(() => ['done', 'failed'].includes(document.body.dataset.teachTune ?? ''));
    await shot(page, '#teach', 'teach', width);
    await page.close();
  });
}

it('the HTML report at 375 px', async () => {
  const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
  await page.setContent(sampleReportHtml());
  await page.screenshot({ path: `${folder}report-375.png`, fullPage: true });
  await page.close();
});
