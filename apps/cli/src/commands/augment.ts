import type { Command } from 'commander';
import {
  type AugmentSpec,
  type Dataset,
  augmentDataset,
  augmentPreview,
  digitGrid,
  formatAugmentSpec,
  parseAugmentSpec,
} from '@nnkit/datasets';
import { writeDataSpec, writePng } from '@nnkit/datasets/node';
import { GLYPH_HEIGHT, Raster, textWidth } from '@nnkit/picture';
import { createRng, sizeOf } from '@nnkit/tensor';
import { UsageError } from '../errors.js';
import { assertWritableDataSpec, DATA_SPEC_HELP, dataSpec, limitDataset, loadData, outputDataSpec } from '../data-spec.js';
import { assertAtMost, nonNegativeInteger, positiveInteger } from '../options.js';
import { limit } from '../limits.js';
import { createOutput } from '../output.js';
import { assertOutputFile, dataSpecFiles } from '../paths.js';

interface AugmentOptions {
  preview?: string;
  data: string;
  out?: string;
  copies: number;
  count: number;
  variants: number;
  seed: number;
  limit?: number;
  gzip?: boolean;
  json?: boolean;
}

/** The most bytes of images an expansion writes: 1 GiB (MNIST ×18). */
const MAX_EXPANDED_BYTES = 2 ** 30;

const EXAMPLE = 'rotate:12,scale:0.1,shear:10,elastic:34/4';

/** Parses a distortion list, turning its RangeError into a usage error naming the option. */
function parseSpec(text: string, what: string): AugmentSpec {
  try {
    return parseAugmentSpec(text);
  } catch (error) {
    throw new UsageError(`${what}: ${(error as Error).message}`);
  }
}

/** Pixel scale of the preview's images, gap between them, margin around the picture. */
const previewLayout = { scale: 4, gap: 6, margin: 14 } as const;

/**
 * Pixels of the preview of `count` images × `variants` versions, close above: checked against the
 * pixel limit before any image is distorted.
 */
export function previewPixels(count: number, variants: number): number {
  const { scale, gap, margin } = previewLayout;
  const caption = GLYPH_HEIGHT * 2 + 4;
  const width = (variants + 1) * (28 * scale + gap) + gap + 2 * margin;
  const height = count * (28 * scale + caption + gap) + gap + 2 * margin + 3 * (GLYPH_HEIGHT * 2 + 8) + 6;
  return width * height;
}

/**
 * The preview picture: a title band naming the distortions and the seed, then one row per image —
 * the original (captioned with its label, on a tinted column) and its distorted versions.
 */
export function previewPicture(dataset: Dataset, spec: AugmentSpec, seed: number, count: number, variants: number): Raster {
  const { scale, gap, margin } = previewLayout;
  const pictures = augmentPreview(dataset, spec, createRng(seed).fork('augment-preview'), { images: count, variants });
  const rows = pictures.length / (variants + 1);
  // Only the originals get a caption (their label); distorted copies keep that label.
  const captions = pictures.map((_, index) => (index % (variants + 1) === 0 ? `LABEL ${dataset.labels[index / (variants + 1)]}` : ''));
  const grid = digitGrid(pictures, { columns: variants + 1, scale, gap, captions, captionScale: 2 });
  const cell = 28 * scale + gap;
  const line = GLYPH_HEIGHT * 2 + 8;
  const bandHeight = margin + 3 * line + 6;
  const title = `DISTORTIONS ${formatAugmentSpec(spec)}`;
  const subtitle = `SEED ${seed}: ${rows} IMAGES, ${variants} RANDOM VERSIONS OF EACH`;
  const width = Math.max(grid.width, textWidth(title, 2), textWidth(subtitle, 2)) + 2 * margin;
  const height = bandHeight + grid.height + margin;
  const picture = new Raster(width, height);
  // Tint behind the originals so the column reads as "before"; a rule separates it from "after".
  picture.fillRect(margin, bandHeight - line - 4, cell, grid.height + line + 4, [221, 234, 252]);
  const left = margin;
  for (let y = 0; y < grid.height; y++) {
    for (let x = 0; x < grid.width; x++) {
      const from = (y * grid.width + x) * 4;
      const paper = grid.data[from] === 255 && grid.data[from + 1] === 255 && grid.data[from + 2] === 255;
      if (paper && x < cell) continue; // keep the tint around the originals
      const to = ((bandHeight + y) * width + left + x) * 4;
      picture.data.set(grid.data.subarray(from, from + 4), to);
    }
  }
  picture.fillRect(margin + cell + 1, bandHeight - line - 4, 2, grid.height + line + 4, [9, 105, 218]);
  const ink: [number, number, number] = [31, 35, 40];
  const muted: [number, number, number] = [87, 96, 106];
  const accent: [number, number, number] = [9, 105, 218];
  picture.text(margin, margin, title, ink);
  picture.text(margin, margin + line, subtitle, muted);
  picture.text(margin + gap, bandHeight - line + 2, 'ORIGINAL', accent);
  picture.text(margin + cell + 12, bandHeight - line + 2, 'DISTORTED →', muted);
  return picture;
}

export function registerAugment(program: Command): void {
  program
    .command('augment')
    .description(`preview random distortions (--preview SPEC --out p.png) or expand a dataset on disk (SPEC --copies K --out idx:DIR); SPEC e.g. ${EXAMPLE}`)
    .argument('[spec]', 'distortions to write copies with: rotate:DEG, scale:F, stretch:F, shear:DEG, translate:PX, shift:PX, elastic:ALPHA/SIGMA, noise:STD')
    .option('--preview <spec>', 'draw originals beside distorted versions into the PNG named by --out (default: no preview; expand the dataset with [spec])')
    .option('--data <spec>', DATA_SPEC_HELP, dataSpec, 'mnist')
    .option('--out <target>', 'preview: a .png file; expansion: idx:DIR or csv:FILE (required)')
    .option('--copies <n>', 'expansion: distorted copies of each training image, written after the originals', positiveInteger, 1)
    .option('--count <n>', 'preview: images to show (rows)', positiveInteger, 8)
    .option('--variants <n>', 'preview: distorted versions of each image (columns)', positiveInteger, 7)
    .option('--seed <n>', 'seed for the random distortions', nonNegativeInteger, 1)
    .option('--limit <n>', 'expansion: use only the first N images of each set (default: all)', positiveInteger)
    .option('--gzip', 'expansion to idx:DIR: gzip the files')
    .option('--json', 'print one JSON object with the results as the last stdout line')
    .action((spec: string | undefined, options: AugmentOptions) => {
      runAugment(spec, options);
    });
}

function runAugment(specText: string | undefined, options: AugmentOptions): void {
  const output = createOutput(options);
  if (options.preview !== undefined && specText !== undefined) {
    throw new UsageError(`give the distortions once: either --preview SPEC or SPEC, not both ('${specText}')`);
  }
  if (options.preview === undefined && specText === undefined) throw new UsageError(`missing distortions: augment SPEC --out idx:DIR, or augment --preview SPEC --out preview.png (SPEC e.g. ${EXAMPLE})`);
  if (options.out === undefined) throw new UsageError("required option '--out <target>' not specified");
  const integer = (value: number) => value.toLocaleString('en-US');

  if (options.preview !== undefined) {
    const spec = parseSpec(options.preview, '--preview');
    if (!/\.png$/i.test(options.out)) throw new UsageError(`--out ${options.out}: expected a .png file for the preview`);
    assertOutputFile(options.out, '--out', dataSpecFiles(options.data));
    const pixels = previewPixels(options.count, options.variants);
    if (pixels > limit('NNKIT_MAX_PIXELS')) {
      throw new UsageError(`--count ${options.count} × --variants ${options.variants}: a preview of ${integer(pixels)} pixels, more than ${integer(limit('NNKIT_MAX_PIXELS'))} (NNKIT_MAX_PIXELS)`);
    }
    const { train } = loadData(options.data);
    const picture = previewPicture(train, spec, options.seed, Math.min(options.count, train.count), options.variants);
    writePng(options.out, picture);
    output.line(`wrote ${options.out} (${picture.width}×${picture.height}): ${Math.min(options.count, train.count)} images of ${options.data}, each beside ${options.variants} distorted versions of ${formatAugmentSpec(spec)}`);
    output.result({ command: 'augment', preview: true, spec: formatAugmentSpec(spec), out: options.out, width: picture.width, height: picture.height, images: Math.min(options.count, train.count), variants: options.variants });
    return;
  }

  const spec = parseSpec(specText!, 'spec');
  const target = outputDataSpecOrUsage(options.out);
  if (options.gzip && !target.startsWith('idx:')) throw new UsageError(`--gzip applies to idx: output only, not ${target}`);
  assertWritableDataSpec(target, '--out', options.data);
  const loaded = loadData(options.data);
  const train = limitDataset(loaded.train, options.limit);
  const test = loaded.test === undefined ? undefined : limitDataset(loaded.test, options.limit);
  const maxCopies = Math.floor(MAX_EXPANDED_BYTES / (train.count * sizeOf(train.imageShape))) - 1;
  assertAtMost('--copies', options.copies, maxCopies, `the ${integer(maxCopies)} copies of ${integer(train.count)} training images that fit in 1 GiB`);
  // Only the training images are expanded: a test set must stay the images it was, to measure against.
  const expanded = augmentDataset(train, spec, createRng(options.seed).fork('augment'), options.copies);
  const files = writeDataSpec(target, { train: expanded, ...(test ? { test } : {}) }, { gzip: options.gzip });
  output.line(
    `${integer(train.count)} training images → ${integer(expanded.count)} (originals + ${options.copies} distorted cop${options.copies === 1 ? 'y' : 'ies'} each, ${formatAugmentSpec(spec)})` +
      (test ? `; ${integer(test.count)} test images copied unchanged` : ''),
  );
  for (const path of files) output.line(`  wrote ${path}`);
  output.result({ command: 'augment', preview: false, spec: formatAugmentSpec(spec), data: options.data, out: target, train: expanded.count, test: test?.count ?? null, copies: options.copies, files });
}

function outputDataSpecOrUsage(value: string): string {
  try {
    return outputDataSpec(value);
  } catch (error) {
    throw new UsageError(`--out ${value}: ${(error as Error).message}`);
  }
}
