// The playground in a real Chromium: draw, train, inspect, export and import, on the built site.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createDataset, sliceDataset } from '@nnkit/datasets';
import { loadMnist } from '@nnkit/datasets/node';
import { fromNnkitBinary } from '@nnkit/interop';
import { layerSchemas, loadModel } from '@nnkit/layers';
import { confusionMatrix } from '@nnkit/metrics';
import { evaluate, evaluateWithTta, predict } from '@nnkit/train';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { recordModelSize } from '../scripts/record-model-assets.js';
import { browserTestsRun } from './browser.js';
import {
  type OpenOptions,
  busiestMistake,
  drawSeven,
  launchBrowser,
  openPage as open,
  pauseRun,
  percent,
  problems,
  readConfusion,
  readInput,
  readPrediction,
  resultsDirectory,
  setField,
  settle,
  trainSmall,
  waitForState,
} from './page-helpers.js';

const baseUrl = inject('baseUrl');
const plainUrl = inject('plainUrl');
/** The `nnkit` command as built by `pnpm --filter @nnkit/cli build`, when it is. */
const cliPath = fileURLToPath(new URL('../../cli/dist/cli.js', import.meta.url));
const hasDefaultModel = existsSync(fileURLToPath(new URL('../public/models/default.json', import.meta.url)));
/** The record network the build ships (docs/accuracy.md), when the repository has it. */
const recordModel = fileURLToPath(new URL('../../../models/record.json', import.meta.url));
const hasRecordModel = existsSync(recordModel);

let browser: Browser;
/** The page that trained the small preset: later tests draw on and export its network. */
let trainedPage: Page | undefined;

const openPage = (options: Omit<OpenOptions, 'url'> & { url?: string } = {}): Promise<Page> => open(browser, { url: baseUrl, ...options });

beforeAll(async () => {
  if (browserTestsRun) browser = await launchBrowser();
});

afterAll(async () => {
  await trainedPage?.close();
  await browser?.close();
});

describe.skipIf(!browserTestsRun)('playground', () => {
  it('trains the small preset on a slice to over 90 % test accuracy in one epoch on every core, with live charts', async () => {
    const page = await openPage();
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    expect(await page.inputValue('#threads')).toBe(String(Math.min(8, cores)));
    await trainSmall(page);
    await settle(page);
    expect(await page.textContent('#stat-threads')).toBe(String(Math.min(8, cores)));
    const accuracy = percent(await page.textContent('#stat-accuracy'));
    expect(accuracy).toBeGreaterThan(90);
    const speed = await page.textContent('#stat-speed');
    const backend = await page.textContent('#stat-backend');
    console.log(`small preset, 30 000 images, one epoch: test accuracy ${accuracy} %, ${speed} images/s on ${backend}, ${Math.min(8, cores)} threads`);
    expect(backend).toBe('wasm');
    expect(await page.textContent('#stat-backend-note')).toBe('');
    for (const id of ['loss-chart', 'accuracy-chart']) {
      const points = await page.locator(`#${id}`).evaluate((canvas) => ({
        train: Number((canvas as HTMLCanvasElement).dataset.trainPoints),
        quick: Number((canvas as HTMLCanvasElement).dataset.quickPoints),
        test: Number((canvas as HTMLCanvasElement).dataset.testPoints),
      }));
      expect(points.train).toBeGreaterThanOrEqual(20);
      // Three quick checks and the full evaluation at the epoch's end.
      expect(points.quick).toBeGreaterThanOrEqual(3);
      expect(points.test).toBe(1);
    }
    await page.locator('#train').screenshot({ path: `${resultsDirectory}train.png` });

    // Look inside the network trained here: weights, feature maps of a drawing, the confusion matrix and one of its cells.
    await page.check('input[name="predict-with"][value="training"]');
    await page.waitForFunction(() => document.getElementById('inspect-model')?.textContent?.includes('trained here'));
    await page.waitForFunction(() => document.querySelectorAll('#confusion button[data-actual]').length === 100);
    await drawSeven(page);
    // The feature maps follow the drawing a moment later (throttled while the pen moves).
    await page.waitForFunction(() => document.querySelectorAll('#feature-maps canvas').length > 10);
    expect(await page.locator('#filters canvas').count(), (await page.textContent('#inside')) ?? '').toBeGreaterThan(10);
    const cells = page.locator('#confusion button[data-actual]');
    expect(await cells.count()).toBe(100);
    // The busiest mistake: the off-diagonal cell with the largest count.
    const busiest = await busiestMistake(page);
    await page.click(`#confusion button[data-actual="${busiest.actual}"][data-predicted="${busiest.predicted}"]`);
    await page.waitForSelector('#misclassified canvas');
    expect(await page.locator('#misclassified canvas').count()).toBe(Math.min(40, busiest.count));
    expect(await page.getAttribute(`#confusion button[data-actual="${busiest.actual}"][data-predicted="${busiest.predicted}"]`, 'aria-pressed')).toBe('true');
    await page.locator('#inside').screenshot({ path: `${resultsDirectory}inside.png` });
    // A mistake on the pad: the network sees what it saw in the test, and says so.
    const caption = await page.textContent('#misclassified .digit-button figcaption');
    await page.click('#misclassified .digit-button');
    await page.waitForFunction((wanted) => document.getElementById('model-status')?.textContent?.includes(`Showing test digit ${wanted}, labelled`), caption);
    await settle(page);
    expect(await page.textContent('#verdict')).toBe(String(busiest.predicted));
    trainedPage = page;
  });

  it('predicts 7 for a 7 drawn with the mouse', async () => {
    let page: Page;
    if (hasDefaultModel) {
      page = await openPage();
      await page.waitForFunction(() => document.getElementById('model-status')?.textContent?.includes('pre-trained'));
      console.log(`first prediction possible ${await page.evaluate(() => document.body.dataset.firstPredictionMs)} ms after navigation`);
    } else {
      // No bundled model in this checkout: a fresh page says so; the network trained above draws.
      const fresh = await openPage();
      expect(await fresh.textContent('#model-status')).toContain('No pre-trained model');
      await fresh.close();
      page = trainedPage ?? (await openPage());
      if (trainedPage === undefined) await trainSmall(page);
    }
    await drawSeven(page);
    const prediction = await readPrediction(page);
    expect(prediction.digit).toBe('7');
    expect(percent(prediction.percentages[7])).toBeGreaterThan(50);
    // The preview shows the 28×28 input: some pixels lit, centred.
    const lit = await page.evaluate(() => {
      const canvas = document.getElementById('preview') as HTMLCanvasElement;
      const data = canvas.getContext('2d')!.getImageData(0, 0, 28, 28).data;
      let count = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] > 0) count++;
      return count;
    });
    expect(lit).toBeGreaterThan(40);
    await page.locator('#draw').screenshot({ path: `${resultsDirectory}draw.png` });
    // A small 7 in a corner of the pad: the pen thins with the drawing, so it is still a 7 and not a blob.
    await drawSeven(page, 0.3);
    expect((await readPrediction(page)).digit).toBe('7');
    await page.locator('#draw').screenshot({ path: `${resultsDirectory}draw-small.png` });
    if (page !== trainedPage) await page.close();
  });

  it.skipIf(!hasRecordModel)('offers the record network, fetched only when chosen, and it predicts as the command line does', async () => {
    const page = await openPage();
    const fetched: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('models/record/')) fetched.push(request.url());
    });
    await page.waitForFunction(() => /Predicting with/.test(document.getElementById('model-status')?.textContent ?? ''));
    expect(fetched).toEqual([]);
    // The choice names what it downloads, read from the model's files at build time.
    expect(await page.textContent('label:has(input[value="record"])')).toContain(`the record network (${recordModelSize(recordModel)}, fetched when chosen)`);
    expect(recordModelSize(recordModel)).toMatch(/^\d+\.\d MB$/);
    await page.check('input[name="predict-with"][value="record"]');
    await page.waitForFunction(() => document.getElementById('model-status')?.textContent?.includes('Predicting with the record network'));
    expect(await page.textContent('#model-status')).toMatch(/Predicting with the record network \(99\.\d\d % on the MNIST test set\)/);
    expect(fetched.map((url) => url.split('/').at(-1))).toEqual(['record.json', 'record.bin']);
    await drawSeven(page);
    const prediction = await readPrediction(page);
    expect(prediction.digit).toBe('7');
    // The repository's model file, read by Node, gives the same probabilities for the page's 28×28 input.
    const { model } = loadModel(fromNnkitBinary(readFileSync(recordModel, 'utf8'), readFileSync(recordModel.replace(/\.json$/, '.bin')), recordModel), recordModel);
    const input = Float32Array.from(await readInput(page), (value) => value / 255);
    const node = predict(model, { shape: [1, 28, 28, 1], data: input });
    expect(String(node.predictions[0])).toBe(prediction.digit);
    node.probabilities.forEach((p, digit) => expect(Math.abs(100 * p - percent(prediction.percentages[digit]))).toBeLessThanOrEqual(0.051));
    await page.locator('#draw').screenshot({ path: `${resultsDirectory}draw-record.png` });
    // "Look inside" shows the same network: its first convolution's 32 filters and its test score.
    await page.waitForFunction(() => /record network/.test(document.getElementById('inspect-model')?.textContent ?? ''));
    await settle(page);
    await page.locator('#inside').screenshot({ path: `${resultsDirectory}inside-record.png` });
    await page.close();
  });

  it('exports a model and loads it back with the same prediction', async () => {
    let page = trainedPage;
    if (page === undefined) {
      page = await openPage();
      if (!hasDefaultModel) await trainSmall(page);
    }
    await drawSeven(page);
    const before = await readPrediction(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    const file = `${resultsDirectory}exported-model.json`;
    await download.saveAs(file);

    // Swap in an untrained network, so the import has something to change back.
    await page.check('input[name="predict-with"][value="training"]');
    await page.click('#reset');
    await page.waitForFunction(() => document.getElementById('model-status')?.textContent?.includes('untrained'));
    expect((await readPrediction(page)).percentages).not.toEqual(before.percentages);

    await page.locator('#import').setInputFiles(file);
    await page.waitForFunction(() => document.getElementById('model-status')?.textContent?.includes('imported'));
    expect(await readPrediction(page)).toEqual(before);

    // The command line's loader reads the file and agrees with the page: the drawing's
    // probabilities, and the confusion matrix over the page's test images (scored in the
    // browser with the WASM kernels, here with the JavaScript ones).
    const { model } = loadModel(readFileSync(file, 'utf8'), file);
    const input = Float32Array.from(await readInput(page), (value) => value / 255);
    const node = predict(model, { shape: [1, 28, 28, 1], data: input });
    expect(String(node.predictions[0])).toBe(before.digit);
    node.probabilities.forEach((p, digit) => expect(Math.abs(100 * p - percent(before.percentages[digit]))).toBeLessThanOrEqual(0.051));
    const testCount = Number(await page.inputValue('#test-size'));
    await page.click('#evaluate');
    await page.waitForFunction(() => document.getElementById('files-message')?.textContent?.includes('Test accuracy of the current model'));
    const test = sliceDataset(loadMnist().test, 0, testCount);
    const scored = evaluate(model, test);
    expect(await page.textContent('#files-message')).toContain(`${(100 * scored.accuracy).toFixed(2)} %`);
    const pageConfusion = await readConfusion(page);
    expect(pageConfusion).toEqual(confusionMatrix(test.labels, scored.predictions, 10));
    if (existsSync(cliPath)) {
      // And `nnkit eval` itself, where the command is built.
      const output = execFileSync(process.execPath, [cliPath, 'eval', file, '--limit', String(testCount), '--json'], { encoding: 'utf8' });
      const cli = JSON.parse(output.trim().split('\n').at(-1)!) as { count: number; accuracy: number; confusionMatrix: number[][] };
      expect(cli.count).toBe(testCount);
      expect(cli.confusionMatrix).toEqual(pageConfusion);
    }

    // A file that is not a model is refused with a message naming the file and the field.
    await page.locator('#import').setInputFiles({ name: 'not-a-model.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"something else"}') });
    await page.waitForFunction(() => document.getElementById('files-message')?.textContent?.includes('Could not load'));
    expect(await page.textContent('#files-message')).toContain('not-a-model.json');
    expect(await readPrediction(page)).toEqual(before);
    await page.close();
    trainedPage = undefined;
  });

  it('downloads the model for TensorFlow.js and ONNX, and imports both back with the same prediction', async () => {
    const page = await openPage();
    if (!hasDefaultModel) await trainSmall(page);
    await drawSeven(page);
    const before = await readPrediction(page);
    const saved: Record<string, string> = {};
    const downloads = async (button: string, count: number) => {
      const files: Promise<void>[] = [];
      const done = new Promise<void>((resolve) => {
        page.on('download', function onDownload(download) {
          const path = `${resultsDirectory}${download.suggestedFilename()}`;
          saved[download.suggestedFilename()] = path;
          files.push(download.saveAs(path));
          if (files.length === count) {
            page.off('download', onDownload);
            resolve();
          }
        });
      });
      await page.click(button);
      await done;
      await Promise.all(files);
    };
    await downloads('#export-tfjs', 2);
    await downloads('#export-onnx', 1);
    expect(Object.keys(saved).sort()).toEqual(['model.json', 'nnkit-model.onnx', 'weights.bin']);
    for (const files of [[saved['nnkit-model.onnx']], [saved['model.json'], saved['weights.bin']]]) {
      // An untrained network answers first, so the import has something to change back.
      await page.check('input[name="predict-with"][value="training"]');
      await page.click('#reset');
      await page.waitForFunction(() => document.getElementById('model-status')?.textContent?.includes('untrained'));
      await page.locator('#import-other').setInputFiles(files);
      await page.waitForFunction(() => document.getElementById('model-status')?.textContent?.includes('imported'));
      expect(await readPrediction(page)).toEqual(before);
    }
    // A model.json picked without its shard is refused, naming the file.
    await page.locator('#import-other').setInputFiles([saved['model.json']]);
    await page.waitForFunction(() => document.getElementById('files-message')?.textContent?.includes('Could not load'));
    expect(await page.textContent('#files-message')).toContain('model.json: weight shard weights.bin was not picked');
    await page.close();
  });

  it('reads the setup from the URL and steps, pauses and resumes training', async () => {
    // Two epochs, so the pause lands inside the run however loaded the machine is.
    const hash = 'preset=custom&layers=conv2d(8,5) relu maxPool2d(2) flatten dense(10)&optimizer=sgd&lr=0.1&batch=50&epochs=2&seed=7&train=3000&test=500&distort=rotate:10';
    const page = await openPage({ hash: encodeURI(hash), query: 'threads=2' });
    expect(await page.inputValue('#optimizer')).toBe('sgd');
    expect(await page.inputValue('#learning-rate')).toBe('0.1');
    expect(await page.inputValue('#distortions')).toBe('rotate:10');
    expect(await page.locator('#layers > li').count()).toBe(5);
    expect(await page.inputValue('#layers > li:first-child select')).toBe('conv2d');

    await page.check('input[name="predict-with"][value="training"]');
    await page.click('#step');
    await page.waitForFunction(() => document.getElementById('stat-loss')?.textContent !== '–');
    await waitForState(page, 'paused');
    expect(await page.textContent('#model-status')).toContain('batch 1 of 60');

    await page.click('#start');
    await pauseRun(page);
    await page.click('#start');
    await waitForState(page, 'done');
    expect(percent(await page.textContent('#stat-accuracy'))).toBeGreaterThan(50);
    expect(await page.textContent('#stat-threads')).toBe('2');

    // The keyboard way in: a test digit on the pad instead of a drawing.
    await page.focus('#sample');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('model-status')?.textContent?.includes('labelled'));
    // The prediction follows at the next animation frame.
    await page.waitForFunction(() => /^[0-9]$/.test(document.getElementById('verdict')?.textContent ?? ''));

    // Editing a field rewrites the URL, so the link shares the new setup.
    await setField(page, '#batch-size', '64');
    expect(await page.evaluate(() => location.hash)).toContain('batch=64');
    await page.close();
  });

  it('offers every registered layer in the editor, with the fields its schema declares', async () => {
    const page = await openPage();
    const offered = await page.locator('#add-kind option').evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
    expect(offered).toEqual(layerSchemas.map((schema) => schema.kind));
    for (const schema of layerSchemas) {
      // The second row (a hidden layer of the default network) becomes a new layer of this kind.
      await page.selectOption('#layers > li:nth-child(2) select.layer-kind', schema.kind);
      const controls = page.locator('#layers > li:nth-child(2) .layer-parameter :is(input, select)');
      const labels = await controls.evaluateAll((elements) => elements.map((element) => element.getAttribute('aria-label') ?? ''));
      const names = labels.map((label) => label.replace(/^Layer 2 /, '').replaceAll(' ', '').toLowerCase());
      expect(names, schema.kind).toEqual(Object.keys(schema.fields).map((name) => name.toLowerCase()));
    }
    await page.close();
  });

  it('changes the learning rate of a running network without starting it again', async () => {
    const page = await openPage({ hash: encodeURI('preset=small&train=20000&test=500&epochs=2') });
    await page.click('#start');
    await page.waitForFunction(() => Number(document.getElementById('stat-speed')?.dataset.trainImages ?? 0) > 0);
    await setField(page, '#learning-rate', '0.0005');
    expect(await page.textContent('.training-status')).not.toContain('The setup changed');
    expect(await page.inputValue('#preset')).toBe('custom');
    expect(decodeURIComponent(await page.evaluate(() => location.hash))).toContain('lr=0.0005');
    await waitForState(page, 'done');
    // The network trained with the new rate from then on: its file records it.
    await page.check('input[name="predict-with"][value="training"]');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    const file = `${resultsDirectory}live-rate-model.json`;
    await download.saveAs(file);
    const meta = (JSON.parse(readFileSync(file, 'utf8')) as { meta: { config: { learningRate: number } } }).meta;
    expect(meta.config.learningRate).toBe(0.0005);
    await page.close();
  });

  it('trains with the schedule and the label smoothing a link sets, across a pause, and refuses what it cannot train', async () => {
    // 640 images in batches of 32: one-cycle over 20 steps, from a 25th of the peak 0.001 to 10⁴ times less.
    const page = await openPage({ hash: encodeURI('preset=small&train=640&test=200&batch=32&epochs=1&schedule=onecycle&smooth=0.1') });
    expect(await page.inputValue('#schedule')).toBe('onecycle');
    expect(await page.inputValue('#label-smoothing')).toBe('0.1');
    expect(await page.textContent('#schedule-rate-note')).toContain('one-cycle peak');
    await page.check('input[name="predict-with"][value="training"]');
    const rate = async (): Promise<number> => Number(await page.textContent('#stat-lr'));
    await page.click('#step');
    await waitForState(page, 'paused');
    await page.waitForFunction(() => document.getElementById('stat-lr')?.textContent !== '–');
    expect((await rate()) / (0.001 / 25)).toBeCloseTo(1, 2);
    // Resumed from the pause's checkpoint, the schedule goes on from its step with the same peak.
    await page.click('#start');
    await waitForState(page, 'done');
    expect((await rate()) / (0.001 / 25 / 1e4)).toBeCloseTo(1, 2);
    // The model file names the loss it was trained with, and its setup the schedule.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    const file = `${resultsDirectory}schedule-smoothing-model.json`;
    await download.saveAs(file);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { loss: unknown; meta: { config: { schedule: string; labelSmoothing: number } } };
    expect(saved.loss).toEqual({ kind: 'softmaxCrossEntropy', labelSmoothing: 0.1 });
    expect(saved.meta.config).toMatchObject({ schedule: 'onecycle', labelSmoothing: 0.1 });
    expect(loadModel(readFileSync(file, 'utf8'), file).model.loss.config).toEqual({ kind: 'softmaxCrossEntropy', labelSmoothing: 0.1 });

    // What the page cannot train is refused in its field, with the reason, and Start waits.
    await setField(page, '#schedule', 'plateau:2');
    expect(await page.getAttribute('#schedule', 'aria-invalid')).toBe('true');
    expect(await page.textContent('#schedule-error')).toBe(
      'Schedule: "plateau:2" watches validation accuracy, and the playground holds no validation images out; try cosine, onecycle or adaptive.',
    );
    expect(await page.isDisabled('#start')).toBe(true);
    await setField(page, '#schedule', 'constant');
    await page.selectOption('#loss', 'quadratic');
    expect(await page.getAttribute('#label-smoothing', 'aria-invalid')).toBe('true');
    expect(await page.textContent('#label-smoothing-error')).toBe('Label smoothing: only softmax cross-entropy takes it; set 0 or change the loss.');
    expect(await page.isDisabled('#start')).toBe(true);
    await setField(page, '#label-smoothing', '0');
    expect(await page.isDisabled('#start')).toBe(false);
    expect(decodeURIComponent(await page.evaluate(() => location.hash))).toContain('loss=quadratic&smooth=0&optimizer=adam&lr=0.001&schedule=constant');
    await page.close();
  });

  it('averages the weights when a link asks, and makes the average the model, scored on its own', async () => {
    const page = await openPage({ hash: encodeURI('preset=small&train=640&test=200&batch=32&epochs=2&ema=0.9') });
    expect(await page.inputValue('#ema')).toBe('0.9');
    await page.click('#start');
    await waitForState(page, 'done');
    const status = (await page.textContent('#train-status')) ?? '';
    const match = status.match(/^Done: 2 epochs in .*, test accuracy (\d+\.\d\d) %\. The model is the average of the weights \(EMA, decay 0\.9\); the last weights scored (\d+\.\d\d) %\.$/);
    expect(match, status).not.toBeNull();
    // The Test accuracy figure is the average's, from its own evaluation.
    expect(await page.textContent('#stat-accuracy')).toContain(match![1]);
    await page.check('input[name="predict-with"][value="training"]');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    const file = `${resultsDirectory}ema-model.json`;
    await download.saveAs(file);
    expect((JSON.parse(readFileSync(file, 'utf8')) as { meta: { config: { ema: number } } }).meta.config.ema).toBe(0.9);
    await setField(page, '#ema', '1');
    expect(await page.textContent('#ema-error')).toBe('Weight average (EMA): 1 is outside 0 to 0.9999.');
    expect(await page.isDisabled('#start')).toBe(true);
    await page.close();
  });

  it('scores the test images over the test-time views a link asks for, on two threads, as evaluateWithTta does', async () => {
    const page = await openPage({ hash: encodeURI('preset=small&train=640&test=300&batch=32&epochs=1&tta=3'), query: 'threads=2' });
    expect(await page.inputValue('#tta')).toBe('3');
    await page.click('#start');
    await waitForState(page, 'done');
    const status = (await page.textContent('#train-status')) ?? '';
    const shown = status.match(/^Done: 1 epoch in .*, test accuracy (\d+\.\d\d) %\.$/);
    expect(shown, status).not.toBeNull();
    await page.check('input[name="predict-with"][value="training"]');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    const file = `${resultsDirectory}tta-model.json`;
    await download.saveAs(file);
    const { model, meta } = loadModel(readFileSync(file, 'utf8'), file);
    // Recorded as `nnkit train --tta` records it: `nnkit eval` scores the same views.
    expect(meta).toMatchObject({ testTimeViews: 3, config: { tta: 3 } });
    const images = sliceDataset(loadMnist().test, 0, 300);
    // The page's figure is the three views' score, which here differs from one view's.
    const threeViews = evaluateWithTta(model, images, { views: 3 }).accuracy;
    expect(shown![1]).toBe((threeViews * 100).toFixed(2));
    expect(evaluate(model, images).accuracy).not.toBe(threeViews);
    // The drawing pad reads a drawing over the same three views: nnkit's probabilities for the page's 28×28.
    await drawSeven(page);
    const drawn = await readPrediction(page);
    const drawing = createDataset({ images: Uint8Array.from(await readInput(page)), labels: new Uint8Array(1), name: 'drawing', unlabelled: true });
    const overViews = evaluateWithTta(model, drawing, { views: 3 }).probabilities;
    overViews.forEach((p, digit) => expect(Math.abs(100 * p - percent(drawn.percentages[digit]))).toBeLessThanOrEqual(0.051));
    const oneView = evaluate(model, drawing).probabilities;
    expect(Math.max(...Array.from(oneView, (p, digit) => Math.abs(100 * p - percent(drawn.percentages[digit]))))).toBeGreaterThan(0.051);
    await setField(page, '#tta', '10');
    expect(await page.textContent('#tta-error')).toBe('Test-time views: 10 is outside 1 to 9.');
    // The views change how the test images are scored, not what trains: the preset stays chosen.
    expect(await page.inputValue('#preset')).toBe('small');
    expect(await page.isDisabled('#start')).toBe(true);
    await page.close();
  });

  it('stops a diverging run on two threads with a message, and trains again after a change', async () => {
    const hash = 'preset=custom&layers=flatten dense(300) relu dense(300) relu dense(10)&loss=quadratic&optimizer=sgd&lr=100&batch=32&epochs=1&train=1000&test=200';
    const page = await openPage({ hash: encodeURI(hash), query: 'threads=2' });
    await page.click('#start');
    await waitForState(page, 'failed');
    expect(await page.textContent('#train-status')).toMatch(/^Error: training diverged at epoch 1, batch \d+: .*lower the learning rate \(try 10 instead of 100\)/);
    await setField(page, '#learning-rate', '0.1');
    await page.click('#start');
    await waitForState(page, 'done');
    expect(percent(await page.textContent('#stat-accuracy'))).toBeGreaterThan(30);
    await page.close();
  });

  it('trains on one thread, and says why, where the server sends no cross-origin isolation headers', async () => {
    const page = await openPage({ url: plainUrl, query: 'threads=2' });
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    expect(await page.isDisabled('#threads')).toBe(true);
    expect(await page.textContent('#threads-note')).toContain('not cross-origin isolated');
    await page.click('#step');
    await waitForState(page, 'paused');
    expect(await page.textContent('#stat-threads')).toBe('1');
    await page.close();
  });

  it('fits a phone screen (375 px) without sideways scrolling', async () => {
    const page = await openPage({ width: 375 });
    await drawSeven(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // Every control has a name a screen reader can say, and none is too small to tap.
    const unnamed = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLButtonElement>('input, select, button')]
        .filter((control) => control.labels?.length === 0 && !control.getAttribute('aria-label') && (control.textContent ?? '').trim() === '')
        .map((control) => control.outerHTML.slice(0, 80)),
    );
    expect(unnamed).toEqual([]);
    const small = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('input:not([hidden]), select, button')]
        .filter((control) => control.offsetParent !== null && control.getBoundingClientRect().height < 24)
        .map((control) => control.id || control.outerHTML.slice(0, 80)),
    );
    expect(small).toEqual([]);
    await page.screenshot({ path: `${resultsDirectory}phone.png`, fullPage: true });
    for (const section of ['draw', 'train', 'inside']) await page.locator(`#${section}`).screenshot({ path: `${resultsDirectory}phone-${section}.png` });
    await page.close();
  });

  it('logged no console errors or warnings', () => {
    expect(problems.join('\n')).toBe('');
  });
});
