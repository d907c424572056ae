#!/usr/bin/env node
// What each step of the robust preprocessing adds: reads every image of a folder: data set once,
// then preprocesses it with the steps switched on one after another (and each one left out) and
// scores a model on all of it. Prints a Markdown table.
//
//   node apps/cli/scripts/measure-preprocess.mjs DIR [MODEL]
//
// MODEL defaults to the playground's bundled model. Needs the built packages (pnpm build).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDataset, preprocessDigit, toGray } from '@nnkit/datasets';
import { decodeImage } from '@nnkit/datasets/node';
import { loadModel } from '@nnkit/layers';
import { jsKernels } from '@nnkit/tensor';
import { evaluate } from '@nnkit/train';

const [directory, modelPath = new URL('../../playground/public/models/default.json', import.meta.url).pathname] = process.argv.slice(2);
if (directory === undefined) {
  console.error('usage: measure-preprocess.mjs DIR [MODEL]');
  process.exit(2);
}
const { model } = loadModel(readFileSync(modelPath, 'utf8'), modelPath);

const photos = [];
for (const label of readdirSync(directory).filter((name) => /^\d$/.test(name))) {
  for (const file of readdirSync(join(directory, label)).sort()) {
    const path = join(directory, label, file);
    const raster = decodeImage(readFileSync(path), path);
    photos.push({ label: Number(label), width: raster.width, height: raster.height, gray: toGray(raster.data, raster.width, raster.height) });
  }
}

function accuracy(steps) {
  const images = new Uint8Array(photos.length * 784);
  photos.forEach((photo, index) => images.set(preprocessDigit(photo.gray, photo.width, photo.height, { steps }), index * 784));
  const dataset = createDataset({ images, labels: Uint8Array.from(photos, (photo) => photo.label), name: directory });
  return evaluate(model, dataset, { kernels: jsKernels }).accuracy;
}

const names = ['background', 'threshold', 'components'];
const none = Object.fromEntries(names.map((name) => [name, false]));
const all = Object.fromEntries(names.map((name) => [name, true]));
const percent = (value) => `${(value * 100).toFixed(1)} %`;
console.log(`${photos.length} images of ${directory}, model ${modelPath}\n`);
console.log('| steps | accuracy | without this step |');
console.log('|---|---|---|');
console.log(`| none (border median, noise floor) | ${percent(accuracy(none))} | |`);
const on = { ...none };
for (const name of names) {
  on[name] = true;
  console.log(`| + ${name} | ${percent(accuracy({ ...on }))} | ${percent(accuracy({ ...all, [name]: false }))} |`);
}
