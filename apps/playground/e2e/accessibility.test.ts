// Accessibility in a real Chromium: axe-core (the engine behind Lighthouse's audit) on each panel
// of the page after training and inspecting, at desktop and phone widths; the keyboard reaches
// and draws on the pad; the live region speaks at most once a second while training.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { browserTestsRun } from './browser.js';
import { busiestMistake, launchBrowser, openPage, problems, settle, violations, waitForState } from './page-helpers.js';

const baseUrl = inject('baseUrl');

let browser: Browser;
beforeAll(async () => {
  if (browserTestsRun) browser = await launchBrowser();
});
afterAll(async () => browser?.close());

/** Trains a short run, opens a confusion cell of the model in use and shows a digit on the pad. */
async function fillEveryPanel(page: Page): Promise<void> {
  await page.click('#start');
  await waitForState(page, 'done');
  await page.waitForFunction(() => document.querySelectorAll('#confusion button[data-actual]').length === 100);
  const busiest = await busiestMistake(page);
  await page.click(`#confusion button[data-actual="${busiest.actual}"][data-predicted="${busiest.predicted}"]`);
  await page.waitForSelector('#misclassified .digit-button');
  await page.click('#misclassified .digit-button');
  await settle(page);
}

describe.skipIf(!browserTestsRun)('accessibility', () => {
  for (const width of [1280, 375]) {
    it(`axe-core finds no violations on any panel at ${width} px`, async () => {
      const page = await openPage(browser, { url: baseUrl, width, hash: encodeURI('preset=small&train=3000&test=1000&epochs=1') });
      await fillEveryPanel(page);
      const found: string[] = [];
      for (const panel of ['.site-header', '#draw', '#teach', '#train', '#inside', '#files']) found.push(...(await violations(page, panel)).map((line) => `${panel}: ${line}`));
      // An invalid field and a failed run show their messages too.
      await page.fill('#learning-rate', '1000');
      await page.locator('#learning-rate').dispatchEvent('change');
      found.push(...(await violations(page, '#train')).map((line) => `#train (invalid field): ${line}`));
      expect(found).toEqual([]);
      await page.close();
    });
  }

  it('reaches the pad with the keyboard and draws on it', async () => {
    const page = await openPage(browser, { url: baseUrl });
    await page.focus('#clear');
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('pad');
    // A vertical bar: pen down, six steps down, pen up.
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Space');
    for (let step = 0; step < 7; step++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    await settle(page);
    expect(await page.textContent('#verdict')).toMatch(/^[0-9]$/);
    await page.keyboard.press('Delete');
    await settle(page);
    expect(await page.textContent('#verdict')).toBe('?');
    await page.close();
  });

  it('announces training at most once a second', async () => {
    // A convolutional run of several seconds, so that there is more than one announcement to
    // space out however fast training gets (the dense "small" run can finish within a second).
    const page = await openPage(browser, { url: baseUrl, hash: encodeURI('preset=fast&train=12000&test=500&epochs=1') });
    // When the live region's text is written, on the page's clock. A MutationObserver's callback
    // runs only when the task that wrote the text ends, so its clock can be late by that task's
    // rest and make two announcements look closer than they were: the setter is timed instead,
    // and the observer checks that every change of the region went through it.
    await page.evaluate(() => {
      const region = document.getElementById('announcer')!;
      const record = { written: [] as number[], changes: 0 };
      (window as unknown as { announced: typeof record }).announced = record;
      const text = Object.getOwnPropertyDescriptor(Node.prototype, 'textContent')!;
      Object.defineProperty(region, 'textContent', {
        configurable: true,
        get() {
          return text.get!.call(this);
        },
        set(value: string) {
          record.written.push(performance.now());
          text.set!.call(this, value);
        },
      });
      new MutationObserver((mutations) => {
        record.changes += mutations.length;
      }).observe(region, { childList: true, characterData: true, subtree: true });
    });
    await page.click('#start');
    await waitForState(page, 'done');
    const { written: times, changes } = await page.evaluate(() => (window as unknown as { announced: { written: number[]; changes: number } }).announced);
    expect(times.length).toBeGreaterThan(1);
    expect(changes).toBe(times.length);
    const gaps = times.slice(1).map((time, index) => time - times[index]);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(999);
    await page.close();
  });

  it('logged no console errors or warnings', () => {
    expect(problems.join('\n')).toBe('');
  });
});
