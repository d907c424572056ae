import type { Command } from 'commander';
import { sliceDataset } from '@nnkit/datasets';
import { loadMnist, writeFileAtomic } from '@nnkit/datasets/node';
import { saveModel } from '@nnkit/layers';
import { jsKernels } from '@nnkit/tensor';
import { createPresetModel, evaluate, fit, presetData, presetFitOptions, presetNames, presets } from '@nnkit/train';
import { UsageError, UserError } from '../errors.js';
import { assertWritableFile } from '../paths.js';
import { nonNegativeInteger, positiveInteger, positiveNumber } from '../options.js';
import { createOutput, EpochProgress } from '../output.js';

interface TrainOptions {
  preset: string;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  seed: number;
  limit?: number;
  out?: string;
  json?: boolean;
  quiet?: boolean;
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train a network on MNIST and report its test accuracy')
    .option('--preset <name>', `network and settings (${presetNames.join(', ')})`, 'cnn')
    .option('--epochs <n>', 'passes over the training data (default: the preset\'s)', positiveInteger)
    .option('--batch-size <n>', 'mini-batch size (default: the preset\'s)', positiveInteger)
    .option('--lr <x>', 'learning rate η (default: the preset\'s)', positiveNumber)
    .option('--seed <n>', 'seed for initialisation, shuffling, dropout and distortions', nonNegativeInteger, 1)
    .option('--limit <n>', 'train on the first N training images only', positiveInteger)
    .option('--out <file>', 'save the trained model (JSON) to this file')
    .option('--json', 'print one JSON object with the results as the last stdout line')
    .option('--quiet', 'print no progress')
    .action(async (options: TrainOptions) => {
      await runTrain(options);
    });
}

async function runTrain(options: TrainOptions): Promise<void> {
  const output = createOutput(options);
  const preset = Object.prototype.hasOwnProperty.call(presets, options.preset) ? presets[options.preset] : undefined;
  if (!preset) throw new UsageError(`unknown preset '${options.preset}': expected one of ${presetNames.join(', ')}`);
  const base = presetFitOptions(preset);
  const epochs = options.epochs ?? base.epochs;
  const batchSize = options.batchSize ?? base.batchSize;
  const optimizer = options.lr === undefined ? base.optimizer : { ...preset.optimizer, learningRate: options.lr };

  if (options.out) assertWritableFile(options.out, '--out');
  const started = performance.now();
  const mnist = loadMnist();
  const prepared = presetData(preset, mnist);
  if (options.limit !== undefined && options.limit > prepared.train.count) {
    throw new UsageError(`--limit ${options.limit} exceeds the ${prepared.train.count} training images of preset ${preset.name}`);
  }
  const data = options.limit === undefined ? prepared : { ...prepared, train: sliceDataset(prepared.train, 0, options.limit) };
  const model = createPresetModel(preset, options.seed);
  const progress = new EpochProgress(output);
  let currentEpoch = 0;
  // Training throughput per epoch, excluding the evaluation passes that an epoch's wall time includes.
  const epochSpeeds: number[] = [];
  let lastSpeed = 0;
  output.progress(
    output.color('bold', `nnkit train — preset ${options.preset}`) +
      output.color('dim', ` · ${data.train.count} training images · ${epochs} epoch(s) · batch ${batchSize} · seed ${options.seed}`),
  );

  const result = await fit(
    model,
    data,
    {
      ...base,
      epochs,
      batchSize,
      optimizer,
      seed: options.seed,
      kernels: jsKernels,
      batchEndEvery: 10,
      onBatchEnd: (event) => {
        if (event.epoch !== currentEpoch) {
          currentEpoch = event.epoch;
          progress.start(`epoch ${event.epoch}/${epochs}`, event.batches);
        }
        progress.update(event.batch, event);
        lastSpeed = event.imagesPerSecond;
      },
      onEpochEnd: (record) => {
        progress.stop();
        epochSpeeds.push(lastSpeed);
        output.progress(
          `epoch ${record.epoch}/${epochs}: loss ${record.trainLoss.toFixed(4)}, train acc ${(record.trainAccuracy * 100).toFixed(2)}%` +
            (record.testAccuracy === undefined ? '' : `, test acc ${(record.testAccuracy * 100).toFixed(2)}%`) +
            `, ${record.seconds.toFixed(1)} s`,
        );
      },
    },
  ).catch((error: unknown) => {
    progress.stop();
    throw error instanceof Error ? new UserError(error.message) : error;
  });

  const last = result.history.at(-1);
  // The last epoch's test score describes the final weights unless early stopping put back an earlier epoch's.
  const test =
    last?.testAccuracy !== undefined && last.testLoss !== undefined && !result.restoredBest
      ? { accuracy: last.testAccuracy, loss: last.testLoss }
      : evaluate(model, mnist.test, { kernels: jsKernels });
  const seconds = (performance.now() - started) / 1000;
  const imagesPerSecond = epochSpeeds.length === 0 ? 0 : epochSpeeds.reduce((sum, speed) => sum + speed, 0) / epochSpeeds.length;
  if (options.out) {
    writeFileAtomic(options.out, new TextEncoder().encode(saveModel(model, { history: result.history, meta: { preset: options.preset, seed: options.seed } })));
  }
  output.line(
    `test accuracy ${output.color('green', `${(test.accuracy * 100).toFixed(2)}%`)} · test loss ${test.loss.toFixed(4)} · ` +
      `${seconds.toFixed(1)} s · ${Math.round(imagesPerSecond).toLocaleString('en-US')} img/s` +
      (options.out ? ` · saved ${options.out}` : ''),
  );
  output.result({
    command: 'train',
    preset: options.preset,
    accuracy: test.accuracy,
    loss: test.loss,
    epochs: result.history.length,
    samples: data.train.count,
    seconds,
    imagesPerSecond,
    seed: options.seed,
    out: options.out ?? null,
  });
}
