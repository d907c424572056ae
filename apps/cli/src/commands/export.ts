import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Normalization } from '@nnkit/datasets';
import { describeNormalization, fromNnkitBinary, fromTfjs, headOf, toNnkitBinary, toTfjs, type WeightQuantization, weightQuantizations } from '@nnkit/interop';
import { expandModelText, writeNnkitBinary, writeOnnxModel, writeTfjsModel, type WrittenFiles } from '@nnkit/interop/node';
import { loadModel, type Sequential } from '@nnkit/layers';
import { evaluate } from '@nnkit/train';
import { DATA_SPEC_HELP, dataSpec } from '../data-spec.js';
import { evaluateModelFiles } from '../evaluation.js';
import { UsageError } from '../errors.js';
import { modelNormalization, readModelFile } from '../model-file.js';
import { oneOf, positiveInteger } from '../options.js';
import { createOutput } from '../output.js';
import { assertWritableFile } from '../paths.js';

const formats = ['tfjs', 'onnx', 'nnkit'] as const;
type ExportFormat = (typeof formats)[number];

interface ExportOptions {
  format: ExportFormat;
  out: string;
  quantize?: WeightQuantization;
  data: string;
  limit?: number;
  json?: boolean;
}

/** A normalization as the text nnkit writes into exports: `scale`, `standardize:0.1307/0.3081`, … */
export function normalizationText(normalization: Normalization | undefined): string {
  if (normalization === undefined) return 'scale';
  switch (normalization.kind) {
    case 'binarize':
      return `binarize:${normalization.threshold}`;
    case 'standardize':
      return `standardize:${normalization.mean}/${normalization.std}`;
    default:
      return normalization.kind;
  }
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('write a model for other runtimes: TensorFlow.js layers-model (DIR/model.json + weights.bin), ONNX, or nnkit\'s binary form (JSON + .bin)')
    .argument('<model>', 'model file written by `nnkit train --out` or `nnkit import`')
    .requiredOption('--format <format>', 'tfjs (--out is a folder), onnx (--out FILE.onnx) or nnkit (--out FILE.json, values in FILE.bin) (required)', oneOf(formats))
    .requiredOption('--out <path>', 'where to write (required)')
    .option('--quantize <dtype>', `store weights as ${weightQuantizations.join(' or ')} (tfjs and nnkit formats; affine per tensor as TensorFlow.js does) and report the accuracy change (default: float32, exact)`, oneOf(weightQuantizations))
    .option('--data <spec>', `${DATA_SPEC_HELP}; with --quantize, accuracy is measured on its test set`, dataSpec, 'mnist')
    .option('--limit <n>', 'with --quantize, measure on the first N evaluation images (default: all)', positiveInteger)
    .option('--json', 'print one JSON object with the results as the last stdout line')
    .action(async (modelPath: string, options: ExportOptions) => {
      await runExport(modelPath, options);
    });
}

/** Checks `--out` before any work: a folder (existing or new in an existing one) for tfjs, a file otherwise. */
function assertOutput(format: ExportFormat, out: string): void {
  if (format !== 'tfjs') {
    assertWritableFile(out, '--out');
    if (format === 'onnx' && !/\.onnx$/i.test(out)) throw new UsageError(`--out ${out}: an ONNX model file should end in .onnx`);
    if (format === 'nnkit' && !/\.json$/i.test(out)) throw new UsageError(`--out ${out}: nnkit's binary form is FILE.json beside FILE.bin; name it .json`);
    return;
  }
  const full = resolve(out);
  if (existsSync(full) && !statSync(full).isDirectory()) throw new UsageError(`--out ${out}: is a file; --format tfjs writes a folder (model.json + weights.bin)`);
  if (!existsSync(full) && !existsSync(dirname(full))) throw new UsageError(`--out ${out}: folder ${dirname(full)} does not exist`);
}

/** The model file's text as `saveModel` wrote it (a binary-form file is expanded first). */
const modelText = (path: string): string => expandModelText(path, readFileSync(path, 'utf8'));

async function runExport(modelPath: string, options: ExportOptions): Promise<void> {
  const output = createOutput(options);
  if (options.quantize !== undefined && options.format === 'onnx') {
    throw new UsageError('--quantize applies to --format tfjs or nnkit; ONNX weights are written as float32');
  }
  assertOutput(options.format, options.out);
  const file = readModelFile(modelPath);
  const { model } = file;
  const normalization = modelNormalization(file);
  const exportOptions = { normalization: normalizationText(normalization), source: modelPath, ...(file.meta === undefined ? {} : { meta: { ...file.meta } }) };

  // What the stored (possibly quantized) weights give back, to measure what quantization costs.
  let stored: Sequential | undefined;
  if (options.quantize !== undefined) {
    if (options.format === 'tfjs') {
      const { modelJson, weightData } = toTfjs(model, { ...exportOptions, quantization: options.quantize });
      stored = fromTfjs({ modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest[0].weights, weightData, userDefinedMetadata: modelJson.userDefinedMetadata }, modelPath).model;
    } else {
      const { json, weightData } = toNnkitBinary(modelText(modelPath), { quantization: options.quantize }, modelPath);
      stored = loadModel(fromNnkitBinary(json, weightData, modelPath), modelPath).model;
    }
  }
  let accuracy: { before: number; after: number; count: number; description: string } | undefined;
  if (stored !== undefined) {
    const before = await evaluateModelFiles([modelPath], options.data, options.limit, { views: 1 });
    const after = evaluate(stored, before.dataset, normalization ? { normalization } : {}).accuracy;
    accuracy = { before: before.result.accuracy, after, count: before.dataset.count, description: before.description };
  }

  let written: WrittenFiles;
  if (options.format === 'tfjs') {
    written = writeTfjsModel(options.out, model, { ...exportOptions, ...(options.quantize ? { quantization: options.quantize } : {}) });
  } else if (options.format === 'onnx') written = writeOnnxModel(options.out, model, exportOptions);
  else written = writeNnkitBinary(options.out, modelText(modelPath), options.quantize ? { quantization: options.quantize } : {});

  const integer = (value: number) => value.toLocaleString('en-US');
  const total = written.reduce((sum, entry) => sum + entry.bytes, 0);
  const head = headOf(model);
  output.line(`${modelPath} → ${options.format}${options.quantize ? ` (weights ${options.quantize})` : ''}: ${integer(total)} bytes`);
  for (const entry of written) output.line(`  wrote ${entry.path} (${integer(entry.bytes)} bytes)`);
  if (options.format !== 'nnkit') {
    output.line(`  input: float32 NHWC [N, ${model.inputShape.join(', ')}], already normalized: ${describeNormalization(exportOptions.normalization)}`);
    output.line(`  output: ${head === 'none' ? 'the last activations (quadratic cost); the class is the argmax' : `class probabilities (${head} after the logits nnkit trains on)`}`);
  }
  if (accuracy !== undefined) {
    const points = (accuracy.after - accuracy.before) * 100;
    output.line(
      `  accuracy on ${integer(accuracy.count)} images (${accuracy.description}): ${(accuracy.before * 100).toFixed(2)}% → ${(accuracy.after * 100).toFixed(2)}% with ${options.quantize} weights (${points >= 0 ? '+' : '−'}${Math.abs(points).toFixed(2)} points)`,
    );
  }
  output.result({
    command: 'export',
    model: modelPath,
    format: options.format,
    quantize: options.quantize ?? null,
    files: written,
    bytes: total,
    normalization: exportOptions.normalization,
    output: head === 'none' ? 'activations' : 'probabilities',
    accuracy: accuracy === undefined ? null : { before: accuracy.before, after: accuracy.after, count: accuracy.count },
  });
}
