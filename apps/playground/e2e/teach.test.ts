// "Teach it my handwriting" end to end in Chromium: 5 samples of each digit drawn with the mouse
// (digit strokes with a different offset, size and slant each time), the guided round's prompts,
// held-out accuracy before and after fine-tuning (the after figure checked against the exported
// model and samples in Node), the samples and the fine-tuned model surviving a reload, and export → import into a cleared
// store giving the same samples back.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readImageFolder } from '@nnkit/datasets/node';
import { loadModel } from '@nnkit/layers';
import { unzipSync } from 'fflate';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { predictImage } from '../src/predict.js';
import { importSamples } from '../src/sample-files.js';
import { addSamples, emptySampleSet, splitSamples } from '../src/teach-samples.js';
import { browserTestsRun } from './browser.js';
import { createRng, drawDigit, waitForSamples } from './handwriting.js';
import { launchBrowser, openPage, problems, resultsDirectory, settle, violations } from './page-helpers.js';

const baseUrl = inject('baseUrl');
const perDigit = 5;

let browser: Browser;
beforeAll(async () => {
  if (browserTestsRun) browser = await launchBrowser();
});
afterAll(async () => browser?.close());

/** The counters as the page shows them: "3: 5/10" per digit. */
const readCounts = (page: Page): Promise<string[]> => page.locator('#teach-counts .count').allTextContents();

/** A score shown as "80 % (8 of 10)": the numbers in it. */
function parseScore(text: string | null): { percent: number; correct: number; count: number } {
  const match = /^(\d+(?:\.\d+)?) % \((\d+) of (\d+)\)$/.exec(text ?? '');
  if (match === null) throw new Error(`not a score: "${text}"`);
  return { percent: Number(match[1]), correct: Number(match[2]), count: Number(match[3]) };
}

async function downloadBytes(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [download] = (await Promise.all([page.waitForEvent('download'), click()])) as [Download, void];
  return { name: download.suggestedFilename(), bytes: readFileSync(await download.path()) };
}

/** Held-out correct answers of a model file on exported samples, computed here in Node. */
function heldOutCorrect(modelText: string, zip: Uint8Array): { correct: number; count: number } {
  const { samples, problems: bad } = importSamples([{ name: 'my-digits.zip', bytes: zip }]);
  expect(bad).toEqual([]);
  const { heldOut } = splitSamples(addSamples(emptySampleSet(), samples));
  const { model } = loadModel(modelText, 'model');
  const correct = heldOut.filter((sample) => {
    const probabilities = predictImage(model, Float32Array.from(sample.pixels, (value) => value / 255)).probabilities;
    return probabilities.indexOf(Math.max(...probabilities)) === sample.label;
  }).length;
  return { correct, count: heldOut.length };
}

describe.skipIf(!browserTestsRun)('teach it my handwriting', () => {
  it('draws 5 of each digit, fine-tunes, keeps the samples over a reload, exports and imports them', async () => {
    const page = await openPage(browser, { url: baseUrl });
    await waitForSamples(page, 0);
    await page.locator('#teach').scrollIntoViewIfNeeded();
    const rng = createRng('teach-e2e');

    // The guided round asks for 0, 1, … 9, then 0 again; each sample is added as the digit asked for.
    for (let round = 0; round < perDigit; round++) {
      for (let digit = 0; digit < 10; digit++) {
        expect(await page.evaluate(() => document.body.dataset.teachPrompt)).toBe(String(digit));
        await drawDigit(page, digit, rng);
        await page.click('#teach-add');
        await waitForSamples(page, round * 10 + digit + 1);
      }
    }
    expect(await readCounts(page)).toEqual(Array.from({ length: 10 }, (_, digit) => `${digit}: ${perDigit}/10`));
    // Undo takes the last sample away, and it is drawn again.
    await page.click('#teach-undo');
    await waitForSamples(page, 49);
    expect(await page.evaluate(() => document.body.dataset.teachPrompt)).toBe('9');
    await drawDigit(page, 9, rng);
    await page.click('#teach-add');
    await waitForSamples(page, 50);
    // A sample removed from the gallery, and its digit chosen on the counters and drawn again.
    await page.click('#teach-gallery button[aria-label^="Remove sample"][aria-label$="(a 4)"] >> nth=2');
    await waitForSamples(page, 49);
    expect((await readCounts(page))[4]).toBe(`4: ${perDigit - 1}/10`);
    await page.click('#teach-counts .count[data-digit="4"]');
    expect(await page.evaluate(() => document.body.dataset.teachPrompt)).toBe('4');
    await drawDigit(page, 4, rng);
    await page.click('#teach-add');
    await waitForSamples(page, 50);
    expect(await readCounts(page)).toEqual(Array.from({ length: 10 }, (_, digit) => `${digit}: ${perDigit}/10`));
    expect(await page.locator('#teach-gallery .thumb').count()).toBe(50);
    expect(await page.locator('#teach-gallery .thumb.held-out').count()).toBe(10);

    // Before: the pre-trained model on the 10 held-out samples, shown as a number.
    const before = parseScore(await page.textContent('#teach-before'));
    expect(before.count).toBe(10);

    // Fine-tune: few epochs, a small MNIST mix.
    await page.fill('#teach-epochs', '3');
    await page.fill('#teach-mnist', '300');
    await page.click('#teach-tune');
    const outcome = await (await page.waitForFunction(() => (['done', 'failed'].includes(document.body.dataset.teachTune ?? '') ? document.body.dataset.teachTune : false))).jsonValue();
    expect(outcome, (await page.textContent('#teach-status')) ?? '').toBe('done');
    const after = parseScore(await page.textContent('#teach-after'));
    expect(after.count).toBe(10);
    expect(parseScore(await page.textContent('#teach-before'))).toEqual(before);
    // The samples it still gets wrong are listed, as many as the score says.
    expect(await page.locator('#teach-wrong .wrong').count()).toBe(after.count - after.correct);
    expect(await page.locator('#teach-wrong .wrong-before').count()).toBe(before.count - before.correct);
    // The drawing pad predicts with the fine-tuned model now.
    expect(await page.isChecked('input[name="predict-with"][value="tuned"]')).toBe(true);
    expect(await page.textContent('#model-status')).toContain('fine-tuned on your handwriting');
    // Whether it forgot MNIST: both models' test accuracy, once the worker has scored the tuned one.
    await page.waitForFunction(() => /^\d+\.\d\d % → \d+\.\d\d %$/.test(document.getElementById('teach-mnist-score')?.textContent ?? ''));

    // The figures are what the models give on the exported samples, recomputed here.
    const tuned = await downloadBytes(page, () => page.click('#export'));
    expect(tuned.name).toBe('nnkit-tuned-model.json');
    const exported = await downloadBytes(page, () => page.click('#teach-export'));
    expect(exported.name).toBe('my-digits.zip');
    expect(heldOutCorrect(tuned.bytes.toString('utf8'), exported.bytes)).toEqual({ correct: after.correct, count: 10 });
    const pretrained = readFileSync(new URL('../public/models/default.json', import.meta.url), 'utf8');
    expect(heldOutCorrect(pretrained, exported.bytes)).toEqual({ correct: before.correct, count: 10 });
    // The zip is a folder the command reads (`--data folder:my-digits`): 50 images, 5 of each digit.
    const unpacked = mkdtempSync(join(tmpdir(), 'nnkit-teach-'));
    for (const [path, bytes] of Object.entries(unzipSync(exported.bytes))) {
      mkdirSync(dirname(join(unpacked, path)), { recursive: true });
      writeFileSync(join(unpacked, path), bytes);
    }
    const folder = readImageFolder(join(unpacked, 'my-digits'));
    rmSync(unpacked, { recursive: true, force: true });
    expect(folder.train.count).toBe(50);
    expect(Array.from({ length: 10 }, (_, digit) => folder.train.labels.filter((label) => label === digit).length)).toEqual(new Array(10).fill(perDigit));

    // What a person sees, and what axe-core finds.
    mkdirSync(`${resultsDirectory}screenshots`, { recursive: true });
    await page.locator('#teach').screenshot({ path: `${resultsDirectory}screenshots/teach-1280.png` });
    expect(await violations(page, '#teach')).toEqual([]);
    writeFileSync(`${resultsDirectory}teach-figures.json`, JSON.stringify({ samples: 50, heldOut: 10, before, after, mnist: await page.textContent('#teach-mnist-score') }, null, 2));

    // A reload finds the same samples, and the fine-tuned model with the same figures, answering the pad again.
    await page.reload();
    await waitForSamples(page, 50);
    expect(await readCounts(page)).toEqual(Array.from({ length: 10 }, (_, digit) => `${digit}: ${perDigit}/10`));
    await page.waitForFunction(() => document.getElementById('model-status')?.textContent?.includes('fine-tuned on your handwriting'));
    expect(await page.isChecked('input[name="predict-with"][value="tuned"]')).toBe(true);
    expect(await page.textContent('#teach-status')).toContain('on an earlier visit');
    expect(parseScore(await page.textContent('#teach-after'))).toEqual(after);
    await page.waitForFunction(() => /^\d+(\.\d+)? % \(\d+ of \d+\)$/.test(document.getElementById('teach-before')?.textContent ?? ''));
    expect(parseScore(await page.textContent('#teach-before'))).toEqual(before);
    expect((await downloadBytes(page, () => page.click('#export'))).bytes.equals(tuned.bytes)).toBe(true);
    await page.locator('#teach').screenshot({ path: `${resultsDirectory}screenshots/teach-restored-1280.png` });
    const csv = await downloadBytes(page, async () => {
      await page.selectOption('#teach-format', 'csv');
      await page.click('#teach-export');
    });
    await page.selectOption('#teach-format', 'folder');
    expect((await downloadBytes(page, () => page.click('#teach-export'))).bytes.equals(exported.bytes)).toBe(true);

    // Remove all, import the zip: the same samples (labels, pixels, order) export to the same bytes.
    page.once('dialog', (dialog) => void dialog.accept());
    await page.click('#teach-remove-all');
    await waitForSamples(page, 0);
    await page.setInputFiles('#teach-import', { name: 'my-digits.zip', mimeType: 'application/zip', buffer: exported.bytes });
    await waitForSamples(page, 50);
    expect(await page.textContent('#teach-files-message')).toBe('Imported 50 samples from my-digits.zip.');
    expect((await downloadBytes(page, () => page.click('#teach-export'))).bytes.equals(exported.bytes)).toBe(true);
    // The CSV too, and a bad file is named in one line.
    page.once('dialog', (dialog) => void dialog.accept());
    await page.click('#teach-remove-all');
    await waitForSamples(page, 0);
    await page.setInputFiles('#teach-import', [
      { name: csv.name, mimeType: 'text/csv', buffer: csv.bytes },
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not digits') },
    ]);
    await waitForSamples(page, 50);
    expect(await page.textContent('#teach-files-message')).toBe('Imported 50 samples from my-digits.csv, notes.txt; skipped 1 file: notes.txt: not a zip, a CSV or an IDX pair.');
    expect((await downloadBytes(page, () => page.click('#teach-export'))).bytes.equals(exported.bytes)).toBe(true);
    await page.close();
  });

  it('logged no console errors or warnings', () => {
    expect(problems.join('\n')).toBe('');
  });
});
