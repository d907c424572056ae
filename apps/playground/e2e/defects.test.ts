// One test for each defect found by trying the playground as a new user would (issue 17): each
// failed on the page as it was, and guards the fix.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { browserTestsRun } from './browser.js';
import {
  type OpenOptions,
  busiestMistake,
  launchBrowser,
  openPage as open,
  pauseRun,
  problems,
  resultsDirectory,
  sampleReportHtml,
  setField,
  waitForState,
  waitForStates,
} from './page-helpers.js';

const baseUrl = inject('baseUrl');
const bundledModel = JSON.parse(readFileSync(fileURLToPath(new URL('../public/models/default.json', import.meta.url)), 'utf8')) as { meta: Record<string, unknown> };

let browser: Browser;
const openPage = (options: Omit<OpenOptions, 'url'> = {}): Promise<Page> => open(browser, { url: baseUrl, ...options });

beforeAll(async () => {
  if (browserTestsRun) browser = await launchBrowser();
});
afterAll(async () => browser?.close());

/** Waits until the training worker has trained at least `images` more images than now. */
async function waitForTraining(page: Page, images: number): Promise<void> {
  const now = await page.evaluate(() => Number(document.getElementById('stat-speed')?.dataset.trainImages ?? 0));
  await page.waitForFunction((until) => Number(document.getElementById('stat-speed')?.dataset.trainImages ?? 0) >= until, now + images);
}

/** Evaluates the model in use and waits for its confusion matrix. */
async function evaluateModelInUse(page: Page): Promise<void> {
  await page.evaluate(() => document.getElementById('confusion')!.replaceChildren());
  await page.click('#evaluate');
  await page.waitForFunction(() => document.querySelectorAll('#confusion button[data-actual]').length === 100);
}

const customHash = 'preset=custom&layers=flatten dense(64) relu dense(10)&optimizer=sgd&lr=0.05&batch=64&epochs=3&train=6000&test=500';

describe.skipIf(!browserTestsRun)('defects of issue 17', () => {
  it('1: the section links and the skip link never change the setup', async () => {
    const page = await openPage({ hash: encodeURI(customHash) });
    for (const link of ['.skip-link', 'nav a[href="#train"]', 'nav a[href="#inside"]', 'nav a[href="#files"]', 'nav a[href="#draw"]']) {
      // The skip link shows only when focused, as a keyboard user meets it.
      await page.focus(link);
      await page.keyboard.press('Enter');
      expect(await page.inputValue('#epochs'), link).toBe('3');
      expect(await page.inputValue('#learning-rate'), link).toBe('0.05');
      expect(await page.inputValue('#optimizer'), link).toBe('sgd');
      expect(decodeURIComponent(await page.evaluate(() => location.hash)), link).toContain('epochs=3');
    }
    // Following a link to a section still lands there.
    await page.click('nav a[href="#files"]');
    expect(await page.evaluate(() => document.activeElement?.closest('section')?.id ?? document.activeElement?.id)).toBe('files');
    await page.click('#start');
    await waitForTraining(page, 64);
    await page.click('nav a[href="#train"]');
    // Still the run of 3 epochs (on a fast machine it may have finished by now).
    expect(await page.textContent('#train-status')).toMatch(/epoch [1-3] of 3|^Done: 3 epochs/);
    await page.close();
  });

  it('2: progress and status belong to the run, and the "setup changed" notice stays', async () => {
    const page = await openPage({ hash: encodeURI('preset=small&epochs=3&train=20000&test=500') });
    await page.click('#start');
    await waitForTraining(page, 500);
    await setField(page, '#epochs', '1');
    await waitForTraining(page, 2000);
    expect(await page.textContent('#train-status')).toMatch(/epoch [1-3] of 3/);
    const fraction = await page.evaluate(() => (document.getElementById('progress') as HTMLProgressElement).value);
    expect(fraction).toBeLessThan(1);
    expect(await page.textContent('.training-status')).toContain('The setup changed');
    await pauseRun(page);
    expect(await page.textContent('.training-status')).toContain('The setup changed');
    await page.close();
  });

  it('3: a run that explodes or stays at chance is stopped or flagged with advice, and never takes the drawing model', async () => {
    const page = await openPage({ hash: encodeURI('preset=small&lr=100&train=12000&test=500&epochs=1') });
    await page.click('#start');
    const end = await waitForStates(page, ['done', 'failed']);
    const status = (await page.textContent('.training-status')) ?? '';
    expect(status, end).toMatch(/diverge|chance/i);
    expect(status).toMatch(/lower the learning rate/i);
    expect(await page.textContent('#model-status')).toContain('pre-trained');
    await page.screenshot({ path: `${resultsDirectory}defect-3-divergence.png`, fullPage: false });
    await page.close();
  });

  it('4: the confusion-matrix cells show the digits of the model whose matrix is shown', async () => {
    const page = await openPage({ hash: encodeURI('preset=small&train=3000&test=1000&epochs=1') });
    await page.click('#start');
    await waitForState(page, 'done');
    await page.click('#use-default');
    await page.waitForFunction(() => document.getElementById('model-status')?.textContent?.includes('pre-trained'));
    await evaluateModelInUse(page);
    const busiest = await busiestMistake(page);
    expect(busiest.count).toBeGreaterThan(0);
    await page.click(`#confusion button[data-actual="${busiest.actual}"][data-predicted="${busiest.predicted}"]`);
    await page.waitForFunction((wanted) => document.querySelector('#misclassified .digits-title')?.textContent?.includes(`taken for ${wanted}`), busiest.predicted);
    expect(await page.locator('#misclassified canvas').count()).toBe(Math.min(40, busiest.count));
    await page.close();
  });

  it('5: exporting the pre-trained model keeps its own provenance', async () => {
    const page = await openPage({ hash: encodeURI(customHash) });
    await page.waitForFunction(() => document.getElementById('model-status')?.textContent?.includes('pre-trained'));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    const file = `${resultsDirectory}exported-pretrained.json`;
    await download.saveAs(file);
    const meta = (JSON.parse(readFileSync(file, 'utf8')) as { meta: Record<string, unknown> }).meta;
    expect(meta.settings).toEqual(bundledModel.meta.settings);
    expect(meta.trainedOn).toBe(bundledModel.meta.trainedOn);
    expect(meta.testAccuracy).toBe(bundledModel.meta.testAccuracy);
    expect(meta.config).toBeUndefined();
    await page.close();
  });

  it('6: an out-of-range value, a bad distortion text or a bad layer list marks the field, says why and disables Start', async () => {
    const page = await openPage();
    const cases: [string, string][] = [
      ['#learning-rate', '0'],
      ['#learning-rate', '1000'],
      ['#batch-size', '0'],
      ['#epochs', '0'],
      ['#distortions', 'rotate:abc'],
    ];
    for (const [field, value] of cases) {
      const before = await page.inputValue(field);
      await setField(page, field, value);
      expect(await page.getAttribute(field, 'aria-invalid'), `${field} = ${value}`).toBe('true');
      const why = await page.evaluate((selector) => {
        const control = document.querySelector(selector)!;
        return (control.getAttribute('aria-describedby') ?? '')
          .split(' ')
          .map((id) => document.getElementById(id))
          .filter((node) => node?.classList.contains('error'))
          .map((node) => node!.textContent)
          .join(' ');
      }, field);
      expect(why, `${field} = ${value}`).not.toBe('');
      expect(await page.isDisabled('#start'), `${field} = ${value}`).toBe(true);
      expect(await page.isDisabled('#step'), `${field} = ${value}`).toBe(true);
      await setField(page, field, before);
      expect(await page.getAttribute(field, 'aria-invalid')).toBeNull();
      expect(await page.isDisabled('#start')).toBe(false);
    }
    await page.close();

    const linked = await openPage({ hash: encodeURI('preset=custom&layers=flatten dense(abc) relu dense(10)') });
    expect(await linked.textContent('#architecture-message')).toContain('dense(abc)');
    expect(await linked.getAttribute('#architecture-message', 'class')).toContain('error');
    expect(await linked.isDisabled('#start')).toBe(true);
    await linked.close();
  });

  it('7: labels never outlive what they describe', async () => {
    const page = await openPage({ hash: encodeURI('preset=small&train=20000&test=500&epochs=20') });
    // The test-digit caption goes with Clear.
    await page.click('#sample');
    await page.waitForFunction(() => document.getElementById('model-status')?.textContent?.includes('labelled'));
    await page.click('#clear');
    expect(await page.textContent('#model-status')).not.toContain('labelled');

    // Predicting with the network being trained: never "untrained" while it trains.
    await page.check('input[name="predict-with"][value="training"]');
    await page.click('#start');
    await waitForTraining(page, 64);
    expect(await page.textContent('#model-status')).not.toContain('untrained');
    await pauseRun(page);
    expect(await page.textContent('#model-status')).not.toContain('untrained');
    const trainingAccuracy = await page.textContent('#stat-accuracy');

    // The training panel's accuracy stays the run's when another model is evaluated.
    await page.check('input[name="predict-with"][value="bundled"]');
    await evaluateModelInUse(page);
    expect(await page.textContent('#stat-accuracy')).toBe(trainingAccuracy);

    // "Loaded …" goes when another model is chosen.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    const file = `${resultsDirectory}exported-for-import.json`;
    await download.saveAs(file);
    await page.locator('#import').setInputFiles(file);
    await page.waitForFunction(() => document.getElementById('files-message')?.textContent?.includes('Loaded'));
    await page.click('#use-default');
    await page.waitForFunction(() => document.getElementById('model-status')?.textContent?.includes('pre-trained'));
    expect(await page.textContent('#files-message')).not.toContain('Loaded');
    await page.close();
  });

  it('8: at 375 px the confusion cells hold their counts and are big enough to tap; the HTML report does not scroll sideways', async () => {
    let page = await openPage({ width: 375 });
    await evaluateModelInUse(page);
    const cells = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLButtonElement>('#confusion button[data-actual]')].map((button) => {
        const box = button.getBoundingClientRect();
        // The text's own box against the button's: a button does not report overflow by scrollWidth.
        const range = document.createRange();
        range.selectNodeContents(button);
        const text = range.getBoundingClientRect();
        return { text: button.textContent, spills: text.left < box.left || text.right > box.right, width: box.width, height: box.height };
      }),
    );
    expect(cells.filter((cell) => cell.spills).map((cell) => cell.text)).toEqual([]);
    expect(cells.filter((cell) => cell.width < 24 || cell.height < 24).length).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await page.locator('#inside').screenshot({ path: `${resultsDirectory}defect-8-phone-confusion.png` });

    // The report of `nnkit report` on 2 000 real test digits with made-up mistakes.
    const html = sampleReportHtml();
    await page.close();
    page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    await page.setContent(html);
    const report = await page.evaluate(() => ({
      overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      // Tables wider than their card are cut off unless they scroll inside it.
      clipped: [...document.querySelectorAll('table')]
        .filter((table) => {
          const card = table.closest('section')!.getBoundingClientRect();
          const box = table.getBoundingClientRect();
          const scroller = table.parentElement!;
          const scrolls = getComputedStyle(scroller).overflowX === 'auto' && scroller.scrollWidth > scroller.clientWidth;
          return box.right > card.right + 1 && !scrolls;
        })
        .map((table) => table.className),
    }));
    await page.screenshot({ path: `${resultsDirectory}defect-8-phone-report.png`, fullPage: true });
    expect(report.overflow).toBeLessThanOrEqual(0);
    expect(report.clipped).toEqual([]);
    await page.close();
  });

  it('loads the MNIST training images only when training needs them', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(0);
    const requested: string[] = [];
    page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    await page.goto(baseUrl);
    await waitForState(page, 'ready');
    // The drawing answers and the matrix of the model in use is there, without the 9.8 MB of training images.
    await page.waitForFunction(() => document.querySelectorAll('#confusion button[data-actual]').length === 100);
    expect(requested.filter((path) => path.includes('/data/'))).toEqual(expect.arrayContaining([expect.stringContaining('t10k-images')]));
    expect(requested.filter((path) => path.includes('train-images'))).toEqual([]);
    await page.click('#step');
    await waitForState(page, 'paused');
    expect(requested.filter((path) => path.includes('train-images'))).toHaveLength(1);
    await page.close();
  });

  it('logged no console errors or warnings', () => {
    expect(problems.join('\n')).toBe('');
  });
});
