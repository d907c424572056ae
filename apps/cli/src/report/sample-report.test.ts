// Builds a sample report from the real MNIST test images with made-up but plausible predictions,
// checks its structure, and writes it to $NNKIT_SAMPLE_REPORT when set, to look at in a browser:
//   NNKIT_SAMPLE_REPORT=/tmp/report.html pnpm --filter @nnkit/cli exec vitest run src/report/sample-report.test.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mnistDirectory } from '@nnkit/mnist';
import { createRng } from '@nnkit/tensor';
import { describe, expect, it } from 'vitest';
import { type ReportInput, renderReportHtml } from './render-report-html.js';

function readMnistTest(limit: number): { images: Uint8Array; labels: Uint8Array } {
  const folder = mnistDirectory();
  const images = readFileSync(join(folder, 't10k-images-idx3-ubyte'));
  const labels = readFileSync(join(folder, 't10k-labels-idx1-ubyte'));
  return { images: new Uint8Array(images.subarray(16, 16 + limit * 784)), labels: new Uint8Array(labels.subarray(8, 8 + limit)) };
}

/**
 * Fake predictions whose mistakes look real: a nearest-class-mean classifier ranks the test
 * images by how ambiguous they are, and the most ambiguous ~1.8 % become the errors (predicted
 * as the nearest other mean), so the gallery shows genuinely hard digits.
 */
export function sampleReportInput(count = 10_000): ReportInput {
  const { images, labels } = readMnistTest(count);
  const rng = createRng('sample-report');
  const means = Array.from({ length: 10 }, () => new Float64Array(784));
  const sizes = new Array<number>(10).fill(0);
  for (let i = 0; i < count; i++) {
    sizes[labels[i]]++;
    for (let p = 0; p < 784; p++) means[labels[i]][p] += images[i * 784 + p];
  }
  means.forEach((mean, c) => mean.forEach((_, p) => (mean[p] /= sizes[c])));
  const nearestOther = new Uint8Array(count);
  const margin = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const distance = means.map((mean) => {
      let sum = 0;
      for (let p = 0; p < 784; p++) sum += (images[i * 784 + p] - mean[p]) ** 2;
      return Math.sqrt(sum);
    });
    let best = -1;
    distance.forEach((d, c) => c !== labels[i] && (best < 0 || d < distance[best]) && (best = c));
    nearestOther[i] = best;
    margin[i] = distance[labels[i]] - distance[best]; // > 0: closer to another class's mean
  }
  const order = [...margin.keys()].sort((a, b) => margin[b] - margin[a]);
  const wrong = new Set(order.slice(0, Math.round(count * 0.018)));
  const predictions = new Uint8Array(count);
  const probabilities = new Float32Array(count * 10);
  for (let i = 0; i < count; i++) {
    const predicted = wrong.has(i) ? nearestOther[i] : labels[i];
    predictions[i] = predicted;
    const top = wrong.has(i) ? 0.45 + 0.54 * rng.next() : 1 - 0.2 * rng.next() ** 4;
    // For most real mistakes the runner-up is the truth, but not for all of them.
    let second = wrong.has(i) ? labels[i] : nearestOther[i];
    if (wrong.has(i) && rng.next() < 0.25) {
      const other = (predicted + 1 + rng.int(9)) % 10;
      if (other !== labels[i]) second = other;
    }
    const rest = 1 - top;
    probabilities[i * 10 + predicted] = top;
    probabilities[i * 10 + second] = rest * 0.8;
    for (let c = 0; c < 10; c++) if (c !== predicted && c !== second) probabilities[i * 10 + c] = (rest * 0.2) / 8;
  }
  const history = Array.from({ length: 12 }, (_, e) => {
    const t = e + 1;
    const trainLoss = 0.02 + 0.5 * Math.exp(-0.45 * t) + 0.004 * rng.next();
    const validationLoss = 0.045 + 0.42 * Math.exp(-0.5 * t) + 0.0015 * t + 0.006 * rng.next();
    return {
      epoch: t,
      trainLoss,
      trainAccuracy: 1 - trainLoss / 2.4,
      validationLoss,
      validationAccuracy: 1 - validationLoss / 2.6,
      testLoss: validationLoss + 0.004 * rng.next(),
      testAccuracy: 1 - (validationLoss + 0.003) / 2.6,
      seconds: 41 + 3 * rng.next(),
    };
  });
  // Twenty 5×5 oriented edge and blob detectors, the kind a first conv layer learns.
  const filters = 20;
  const weights = new Float32Array(5 * 5 * filters);
  for (let f = 0; f < filters; f++) {
    const angle = (f / filters) * Math.PI * 2 + rng.normal(0, 0.2);
    const frequency = 0.9 + 0.5 * rng.next();
    for (let y = 0; y < 5; y++) {
      for (let x = 0; x < 5; x++) {
        const u = (x - 2) * Math.cos(angle) + (y - 2) * Math.sin(angle);
        const envelope = Math.exp(-((x - 2) ** 2 + (y - 2) ** 2) / 6);
        weights[(y * 5 + x) * filters + f] = 0.3 * envelope * Math.cos(frequency * u + f) + rng.normal(0, 0.03);
      }
    }
  }
  return {
    modelName: 'cnn (conv 20×5×5 → pool → dense 100 → 10)',
    labels,
    predictions,
    probabilities,
    images,
    datasetName: 'MNIST test set',
    summaryRows: [
      { layer: 'conv2d', outputShape: [24, 24, 20], params: 520 },
      { layer: 'relu', outputShape: [24, 24, 20], params: 0 },
      { layer: 'maxPool2d', outputShape: [12, 12, 20], params: 0 },
      { layer: 'flatten', outputShape: [2880], params: 0 },
      { layer: 'dense', outputShape: [100], params: 288_100 },
      { layer: 'relu', outputShape: [100], params: 0 },
      { layer: 'dense', outputShape: [10], params: 1010 },
    ],
    history,
    firstLayer: { kind: 'conv2d', weights, shape: [5, 5, 1, filters] },
    details: { optimizer: 'sgd, momentum 0.9, η = 0.05', 'batch size': 32, epochs: 12, seed: 1, parameters: '289,630' },
  };
}

describe('sample report from MNIST test images', () => {
  it('renders every section and writes the page when asked', () => {
    const html = renderReportHtml(sampleReportInput());
    const output = process.env.NNKIT_SAMPLE_REPORT;
    if (output) writeFileSync(output, html);
    for (const title of ['Confusion matrix', 'Where the mistakes are', 'Training history', 'Misclassified images', 'First-layer weights', 'Model']) {
      expect(html).toContain(`<h2>${title}`);
    }
    expect(html.match(/<figure class="digit"/g)).toHaveLength(60);
    expect(html.match(/<figure class="weight"/g)).toHaveLength(20);
    expect(html).toContain('Showing 60 of 180');
  });
});
