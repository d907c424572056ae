// What the browser tests share: the browser, opening a page, filling fields, drawing, reading
// the page's numbers. Every wait is on a page state or an event, never on a clock: the tests
// pass on a machine whose cores are busy with other work.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { loadMnist } from '@nnkit/datasets/node';
import { type Browser, type Page, chromium } from 'playwright-core';
import { renderReportHtml } from '../../cli/src/report/render-report-html.js';
import { chromiumPath } from './browser.js';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export const resultsDirectory = fileURLToPath(new URL('../test-results/', import.meta.url));

/** Console errors and warnings and page errors of every page opened, for the last test of a file. */
export const problems: string[] = [];

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(resultsDirectory, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export interface OpenOptions {
  width?: number;
  height?: number;
  hash?: string;
  query?: string;
  url: string;
  /** The run state to wait for; 'ready' by default (MNIST loaded, network built). */
  state?: string;
}

export async function openPage(browser: Browser, options: OpenOptions): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: options.width ?? 1280, height: options.height ?? 900 }, acceptDownloads: true });
  // No wall-clock budget on any wait: a busy machine is slow, not broken.
  page.setDefaultTimeout(0);
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.goto(`${options.url}${options.query === undefined ? '' : `?${options.query}`}${options.hash === undefined ? '' : `#${options.hash}`}`);
  await waitForState(page, options.state ?? 'ready');
  return page;
}

export async function waitForState(page: Page, state: string): Promise<void> {
  await page.waitForFunction((wanted) => document.body.dataset.runState === wanted, state);
}

/** Waits until one of `states` is reached and says which. */
export async function waitForStates(page: Page, states: string[]): Promise<string> {
  const handle = await page.waitForFunction((wanted) => (wanted.includes(document.body.dataset.runState ?? '') ? document.body.dataset.runState : false), states);
  return (await handle.jsonValue()) as string;
}

/**
 * Presses Pause and waits for the run to pause. The click goes straight to the button, not
 * through Playwright's wait for a settled page: on a loaded machine a short run can end while
 * such a click waits for animation frames, and a wait for "paused" would then never end. A run
 * that ends first fails the test with a message instead.
 */
export async function pauseRun(page: Page): Promise<void> {
  const ready = await page.waitForFunction(() => {
    const state = document.body.dataset.runState ?? '';
    return state === 'done' || state === 'failed' ? state : !(document.getElementById('pause') as HTMLButtonElement).disabled && 'enabled';
  });
  const before = (await ready.jsonValue()) as string;
  if (before === 'enabled') await page.evaluate(() => (document.getElementById('pause') as HTMLButtonElement).click());
  const state = before === 'enabled' ? await waitForStates(page, ['paused', 'done', 'failed']) : before;
  if (state !== 'paused') throw new Error(`pause: the run was ${state} before the pause took effect; give this test a longer run`);
}

/** Two animation frames: whatever the last input scheduled (a prediction, a redraw) has run. */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
}

export async function setField(page: Page, selector: string, value: string): Promise<void> {
  await page.fill(selector, value);
  await page.locator(selector).dispatchEvent('change');
}

/** Draws a 7 with the mouse: a top bar, then a long diagonal down to the bottom left. */
export async function drawSeven(page: Page, scale = 1): Promise<void> {
  await page.click('#clear');
  const box = await page.locator('#pad').boundingBox();
  if (box === null) throw new Error('drawing pad not visible');
  const at = (x: number, y: number): [number, number] => [box.x + (0.5 + (x - 0.5) * scale) * box.width, box.y + (0.5 + (y - 0.5) * scale) * box.height];
  await page.mouse.move(...at(0.28, 0.22));
  await page.mouse.down();
  await page.mouse.move(...at(0.72, 0.22), { steps: 10 });
  await page.mouse.move(...at(0.58, 0.52), { steps: 10 });
  await page.mouse.move(...at(0.46, 0.8), { steps: 10 });
  await page.mouse.up();
  await settle(page);
}

/** The confusion matrix shown on the page, rows = true digit. */
export async function readConfusion(page: Page): Promise<number[][]> {
  return page.evaluate(() => {
    const matrix = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
    document.querySelectorAll<HTMLButtonElement>('#confusion button[data-actual]').forEach((button) => {
      matrix[Number(button.dataset.actual)][Number(button.dataset.predicted)] = Number(button.dataset.count ?? button.textContent);
    });
    return matrix;
  });
}

/** The off-diagonal confusion cell with the largest count. */
export async function busiestMistake(page: Page): Promise<{ actual: number; predicted: number; count: number }> {
  const matrix = await readConfusion(page);
  let best = { actual: 0, predicted: 1, count: -1 };
  matrix.forEach((row, actual) =>
    row.forEach((count, predicted) => {
      if (actual !== predicted && count > best.count) best = { actual, predicted, count };
    }),
  );
  return best;
}

/** The 28×28 input the page feeds the network, as bytes (the preview draws it one byte a pixel). */
export async function readInput(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const canvas = document.getElementById('preview') as HTMLCanvasElement;
    const rgba = canvas.getContext('2d')!.getImageData(0, 0, 28, 28).data;
    return Array.from({ length: 784 }, (_, i) => rgba[4 * i]);
  });
}

export async function readPrediction(page: Page): Promise<{ digit: string; percentages: string[] }> {
  return {
    digit: (await page.textContent('#verdict')) ?? '',
    percentages: await page.locator('.bar-value').allTextContents(),
  };
}

/** Trains the small preset for one epoch on the first `images` training images. */
export async function trainSmall(page: Page, images = 30000): Promise<void> {
  await page.selectOption('#preset', 'small');
  await setField(page, '#train-size', String(images));
  await setField(page, '#test-size', '2000');
  await setField(page, '#epochs', '1');
  await page.click('#start');
  await waitForState(page, 'done');
}

export function percent(text: string | null): number {
  return Number.parseFloat((text ?? '').replace(/[^0-9.]/g, ''));
}

/** The report of `nnkit report` on 2 000 real test digits with made-up mistakes (every 37th), for phone-width checks. */
export function sampleReportHtml(): string {
  const test = loadMnist().test;
  const count = 2000;
  const labels = test.labels.subarray(0, count);
  const predictions = Uint8Array.from(labels, (label, index) => (index % 37 === 0 ? (label + 1) % 10 : label));
  const probabilities = new Float32Array(count * 10);
  predictions.forEach((predicted, index) => {
    for (let c = 0; c < 10; c++) probabilities[index * 10 + c] = c === predicted ? 0.82 : 0.02;
  });
  return renderReportHtml({ modelName: 'phone check', labels, predictions, probabilities, images: test.images.subarray(0, count * 784) });
}

interface Violation {
  id: string;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's violations inside `selector` (WCAG 2.0–2.2 A and AA, plus best practices). */
export async function violations(page: Page, selector: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  const found = (await page.evaluate(
    (include) =>
      (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: unknown[] }> } }).axe
        .run({ include: [include] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } })
        .then((result) => result.violations),
    selector,
  )) as Violation[];
  return found.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`);
}

