import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { Sequential } from '@nnkit/layers';
import { sizeOf } from '@nnkit/tensor';
import { DATA_SPEC_HELP, dataSpec } from '../data-spec.js';
import { evaluateModelFiles } from '../evaluation.js';
import { describeSetting, formatLayerConfig, isRecord, metaSetting, modelInputFiles } from '../model-file.js';
import { positiveInteger } from '../options.js';
import { createOutput } from '../output.js';
import { assertOutputFile, dataSpecFiles } from '../paths.js';
import { type FirstLayerWeights, renderReportHtml } from '../report/index.js';
import { addScoringOptions, defaultScoringThreads, scoringSetup, type ScoringFlags, viewsNote } from '../scoring-options.js';
import { writeOutputFile } from '../write-file.js';

interface ReportOptions extends ScoringFlags {
  data: string;
  out: string;
  limit?: number;
  title?: string;
  json?: boolean;
}

/**
 * The weights of the model's first trainable layer when they can be drawn: a conv2d kernel, or
 * a dense layer reading the input pixels directly (only flatten before it, one channel).
 */
export function firstLayerWeights(model: Sequential): FirstLayerWeights | undefined {
  for (const layer of model.layers) {
    const kind = layer.config.kind;
    const weights = layer.params.find((param) => param.name === 'weights');
    if (kind === 'conv2d' && weights) return { kind, weights: weights.value.data, shape: weights.value.shape, layout: 'hwio' };
    if (kind === 'dense' && weights) {
      const [height, width, channels = 1] = model.inputShape;
      const readsPixels = model.inputShape.length >= 2 && channels === 1 && weights.value.shape[0] === sizeOf(model.inputShape);
      return readsPixels ? { kind, weights: weights.value.data, shape: weights.value.shape, imageShape: [height, width] } : undefined;
    }
    if (layer.params.length > 0 || kind !== 'flatten') return undefined;
  }
  return undefined;
}

declare const __NNKIT_VERSION__: string | undefined;

/** The first 16 hex digits of the SHA-256 of a data set's labels and images: names exactly what was scored. */
export function dataHash(dataset: { labels: Uint8Array; images: Uint8Array }): string {
  return createHash('sha256').update(dataset.labels).update(dataset.images).digest('hex').slice(0, 16);
}

/** `trainedOn` → `trained on`. */
const words = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();

export function registerReport(program: Command): void {
  const reportCommand = program
    .command('report')
    .description('write a self-contained HTML evaluation report (charts, confusions, misclassified images, training curves, filters)')
    .argument('<model>', 'model file written by `nnkit train --out`')
    .requiredOption('--out <file>', 'where to write the HTML page, - for standard output (required)')
    .option('--data <spec>', `${DATA_SPEC_HELP}; scored on its test set, or on 25 % held out of it (seed 0) when it has none`, dataSpec, 'mnist')
    .option('--limit <n>', 'score only the first N evaluation images (default: all)', positiveInteger)
    .option('--title <text>', 'page title (default: the model file name)');
  addScoringOptions(reportCommand, `every core, ${defaultScoringThreads()} here`)
    .option('--json', 'print one JSON object with the results as the last stdout line')
    .action(async (modelPath: string, options: ReportOptions) => {
      await runReport(modelPath, options);
    });
}

async function runReport(modelPath: string, options: ReportOptions): Promise<void> {
  const output = createOutput(options);
  assertOutputFile(options.out, '--out', [...modelInputFiles(modelPath), ...dataSpecFiles(options.data)], { allowStdout: true });
  const { file, dataset, description, classes, classNames, result, views } = await evaluateModelFiles([modelPath], options.data, options.limit, {
    ...(await scoringSetup(options)),
    ...(options.tta === undefined ? {} : { views: options.tta }),
  });
  const { model, history } = file;
  const summaryRows = model.summary().map((row, index) => ({
    layer: row.name,
    settings: formatLayerConfig(model.layers[index].config),
    outputShape: row.outputShape,
    params: row.params,
  }));
  const details: Record<string, string | number> = {
    'model file': basename(file.path),
    data: options.data,
    parameters: model.params.reduce((sum, param) => sum + sizeOf(param.value.shape), 0).toLocaleString('en-US'),
    loss: model.loss.config.kind,
  };
  for (const key of ['preset', 'arch', 'optimizer', 'seed', 'trainedOn']) {
    const value = metaSetting(file, key);
    if (typeof value === 'string' || typeof value === 'number') details[words(key)] = value;
    else if (isRecord(value) && typeof value.kind === 'string') details[key] = describeSetting(value);
  }
  if (history) details['epochs trained'] = history.length;
  if (views > 1) details['test-time views'] = `${views}: probabilities averaged over the image and ${views - 1} one-pixel shift${views === 2 ? '' : 's'}`;
  const firstLayer = firstLayerWeights(model);
  const html = renderReportHtml({
    modelName: options.title ?? basename(file.path).replace(/\.json$/i, ''),
    labels: dataset.labels,
    predictions: result.predictions,
    probabilities: result.probabilities,
    // Thumbnails need gray images [height, width(, 1)].
    ...(dataset.imageShape.length >= 2 && (dataset.imageShape[2] ?? 1) === 1 && dataset.imageShape.length <= 3
      ? { images: dataset.images, imageShape: [dataset.imageShape[0], dataset.imageShape[1]] as [number, number] }
      : {}),
    classes,
    classNames,
    datasetName: description,
    summaryRows,
    ...(history ? { history } : {}),
    ...(firstLayer ? { firstLayer } : {}),
    details,
    provenance: {
      version: typeof __NNKIT_VERSION__ === 'string' ? __NNKIT_VERSION__ : '0.0.0-dev',
      date: new Date().toISOString().slice(0, 10),
      dataHash: dataHash(dataset),
    },
  });
  const bytes = new TextEncoder().encode(html);
  writeOutputFile(options.out, bytes);
  output.line(
    `accuracy ${output.color('green', `${(result.accuracy * 100).toFixed(2)}%`)} on ${dataset.count.toLocaleString('en-US')} images (${description})${views > 1 ? ` · ${viewsNote(views, options)}` : ''}` +
      ` · wrote ${options.out} (${(bytes.length / 1024).toFixed(0)} KB)`,
  );
  output.result({
    command: 'report',
    model: file.path,
    data: options.data,
    evaluatedOn: description,
    count: dataset.count,
    accuracy: result.accuracy,
    loss: result.loss,
    ...(views > 1 ? { tta: views } : {}),
    out: options.out,
    bytes: bytes.length,
    history: history !== undefined,
    firstLayer: firstLayer?.kind ?? null,
  });
}
