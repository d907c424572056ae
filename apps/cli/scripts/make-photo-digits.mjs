#!/usr/bin/env node
// Makes a folder of photographed-style digits from MNIST *test* images, the kind of input a user
// brings: dark ink (black or blue) on light, tinted, unevenly lit paper, the digit small or large
// anywhere on a larger canvas, slightly rotated, blurred, with sensor noise, dust specks and faint
// ruled lines on some, a third saved as JPEG. Written as OUT/0/ … OUT/9/ (folder: layout).
// Seeded: the same seed writes the same bytes.
//
//   node apps/cli/scripts/make-photo-digits.mjs OUT [--per-class 100] [--seed 16]
//
// Needs the built workspace packages (pnpm build).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadMnist, writeFileAtomic } from '@nnkit/datasets/node';
import { encodePng } from '@nnkit/picture/node';
import { createRng } from '@nnkit/tensor';
import jpeg from 'jpeg-js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'per-class': { type: 'string', default: '100' }, seed: { type: 'string', default: '16' } },
});
if (positionals.length !== 1) {
  console.error('usage: make-photo-digits.mjs OUT [--per-class N] [--seed S]');
  process.exit(2);
}
const out = positionals[0];
const perClass = Number(values['per-class']);
if (!(Number.isInteger(perClass) && perClass > 0)) {
  console.error(`--per-class: expected a positive integer, got '${values['per-class']}'`);
  process.exit(2);
}
const rng = createRng(values.seed);

/** Bilinear read of a 28×28 byte image at (x, y), 0 outside; ink in [0, 1]. */
function sampleDigit(digit, x, y) {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const at = (ix, iy) => (ix < 0 || iy < 0 || ix > 27 || iy > 27 ? 0 : digit[iy * 28 + ix] / 255);
  return (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy) + (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy;
}

/** Separable Gaussian blur of one float plane, in place (edges clamped). */
function blur(plane, width, height, sigma) {
  if (sigma < 0.3) return;
  const radius = Math.ceil(sigma * 3);
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, k) => Math.exp(-((k - radius) ** 2) / (2 * sigma * sigma)));
  const total = kernel.reduce((a, b) => a + b, 0);
  const line = new Float32Array(Math.max(width, height));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = -radius; k <= radius; k++) sum += kernel[k + radius] * plane[y * width + Math.min(width - 1, Math.max(0, x + k))];
      line[x] = sum / total;
    }
    plane.set(line.subarray(0, width), y * width);
  }
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      let sum = 0;
      for (let k = -radius; k <= radius; k++) sum += kernel[k + radius] * plane[Math.min(height - 1, Math.max(0, y + k)) * width + x];
      line[y] = sum / total;
    }
    for (let y = 0; y < height; y++) plane[y * width + x] = line[y];
  }
}

/** One photo of `digit`: returns {width, height, rgba}. */
function photograph(digit) {
  const width = 64 + rng.int(161);
  const height = 64 + rng.int(161);
  const side = Math.max(28, rng.uniform(0.3, 0.75) * Math.min(width, height));
  const scale = side / 28;
  const angle = (rng.uniform(-10, 10) * Math.PI) / 180;
  const centreX = side / 2 + rng.uniform(0, width - side);
  const centreY = side / 2 + rng.uniform(0, height - side);

  // Ink coverage in [0, 1] on the canvas (inverse map into the 28×28 image), then blurred.
  const ink = new Float32Array(width * height);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = (x + 0.5 - centreX) / scale;
      const dy = (y + 0.5 - centreY) / scale;
      ink[y * width + x] = sampleDigit(digit, cos * dx + sin * dy + 13.5, -sin * dx + cos * dy + 13.5);
    }
  }
  // Dust specks and faint ruled lines (a form, a notebook) on some photos.
  if (rng.next() < 0.3) {
    const specks = 1 + rng.int(4);
    for (let s = 0; s < specks; s++) {
      const sx = rng.uniform(0, width);
      const sy = rng.uniform(0, height);
      const radius = rng.uniform(0.7, 1.8);
      for (let y = Math.max(0, Math.floor(sy - 2)); y < Math.min(height, sy + 2); y++) {
        for (let x = Math.max(0, Math.floor(sx - 2)); x < Math.min(width, sx + 2); x++) {
          if ((x - sx) ** 2 + (y - sy) ** 2 < radius * radius) ink[y * width + x] = Math.max(ink[y * width + x], 0.8);
        }
      }
    }
  }
  if (rng.next() < 0.2) {
    const strength = rng.uniform(0.15, 0.3);
    const gap = Math.round(rng.uniform(0.35, 0.6) * height);
    for (let y = Math.floor(rng.uniform(0, gap)); y < height; y += gap) {
      for (let x = 0; x < width; x++) ink[y * width + x] = Math.max(ink[y * width + x], strength);
    }
  }
  blur(ink, width, height, rng.uniform(0, 0.6) * scale);

  // Paper: a tinted base brightness under a linear light gradient and a soft spot or shadow.
  const base = rng.uniform(165, 240);
  const gradient = rng.uniform(0, 80);
  const direction = rng.uniform(0, 2 * Math.PI);
  const spot = rng.uniform(-50, 30);
  const spotX = rng.uniform(0, width);
  const spotY = rng.uniform(0, height);
  const spotRadius = rng.uniform(0.3, 0.8) * Math.max(width, height);
  const tint = [1, rng.uniform(0.96, 1), rng.uniform(0.88, 1)];
  // Ink: the share of light it still reflects, per channel (black or blue pen).
  const darkness = rng.uniform(0.15, 0.5);
  const pen = rng.next() < 0.3 ? [darkness * 0.8, darkness * 0.9, Math.min(1, darkness * 2.2)] : [darkness, darkness, darkness];
  const noise = rng.uniform(2, 14);
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const along = Math.cos(direction) * (x / width - 0.5) + Math.sin(direction) * (y / height - 0.5);
      const light = base + gradient * along + spot * Math.exp(-((x - spotX) ** 2 + (y - spotY) ** 2) / (spotRadius * spotRadius));
      for (let c = 0; c < 3; c++) {
        const paper = light * tint[c];
        const value = paper * (1 - ink[i] * (1 - pen[c])) + rng.normal(0, noise);
        rgba[i * 4 + c] = Math.max(0, Math.min(255, Math.round(value)));
      }
      rgba[i * 4 + 3] = 255;
    }
  }
  return { width, height, rgba };
}

const { test } = loadMnist();
const order = rng.fork('pick').permutation(test.count);
const chosen = Array.from({ length: 10 }, () => []);
for (const index of order) {
  const label = test.labels[index];
  if (chosen[label].length < perClass) chosen[label].push(index);
}
let jpegs = 0;
for (let label = 0; label < 10; label++) {
  const folder = join(out, String(label));
  mkdirSync(folder, { recursive: true });
  for (const index of chosen[label]) {
    const photo = photograph(test.images.subarray(index * 784, (index + 1) * 784));
    const name = `t10k-${String(index).padStart(5, '0')}`;
    if (rng.next() < 1 / 3) {
      const quality = 55 + rng.int(36);
      writeFileAtomic(join(folder, `${name}.jpg`), jpeg.encode({ width: photo.width, height: photo.height, data: photo.rgba }, quality).data);
      jpegs++;
    } else {
      writeFileAtomic(join(folder, `${name}.png`), encodePng({ width: photo.width, height: photo.height, data: photo.rgba }));
    }
  }
}
console.log(`${out}: ${10 * perClass} photographed-style digits from the MNIST test set (${jpegs} JPEG, ${10 * perClass - jpegs} PNG), seed ${values.seed}`);
