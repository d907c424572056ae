import type { Command } from 'commander';
import { type Dataset, sliceDataset, shuffleLabels } from '@nnkit/datasets';
import { loadMnist } from '@nnkit/datasets/node';
import { createRng, jsKernels } from '@nnkit/tensor';
import { createPresetModel, evaluate, fit, presetFitOptions, presetNames, presets } from '@nnkit/train';
import { UsageError, UserError } from '../errors.js';
import { nonNegativeInteger, positiveInteger, positiveNumber } from '../options.js';
import { createOutput, type Output } from '../output.js';

interface SanityOptions {
  preset: string;
  limit: number;
  epochs: number;
  lr?: number;
  seed: number;
  json?: boolean;
  quiet?: boolean;
}

/** Defaults: small enough for well under a minute, long enough for the shuffled run to memorise. */
const DEFAULTS = { preset: 'smoke', limit: 1000, epochs: 30 } as const;

interface RunScores {
  readonly trainAccuracy: number;
  readonly testAccuracy: number;
}

export function registerSanity(program: Command): void {
  program
    .command('sanity')
    .description('shuffled-label experiment: train on randomly permuted labels beside a normal run (memorisation check)')
    .option('--preset <name>', `network and optimizer (${presetNames.join(', ')})`, DEFAULTS.preset)
    .option('--limit <n>', 'train on the first N MNIST training images', positiveInteger, DEFAULTS.limit)
    .option('--epochs <n>', 'passes over the training images (each run)', positiveInteger, DEFAULTS.epochs)
    .option('--lr <x>', "learning rate η (default: the preset's)", positiveNumber)
    .option('--seed <n>', 'seed for the label permutation, initialisation and shuffling', nonNegativeInteger, 1)
    .option('--json', 'print one JSON object with the results as the last stdout line')
    .option('--quiet', 'print no progress')
    .action(async (options: SanityOptions) => {
      await runSanity(options);
    });
}

async function trainAndScore(output: Output, label: string, options: SanityOptions, train: Dataset, test: Dataset): Promise<RunScores> {
  const preset = presets[options.preset];
  const base = presetFitOptions(preset);
  const model = createPresetModel(preset, options.seed);
  // One line per run, rewritten in place on a terminal; in logs a line every tenth of the epochs.
  const terminal = output.progressStream.isTTY === true && !output.quiet;
  const every = Math.max(1, Math.ceil(options.epochs / 10));
  const report = (epoch: number, loss: number, accuracy: number) => {
    const text = `${label.padEnd(15)}  epoch ${String(epoch).padStart(String(options.epochs).length)}/${options.epochs} · loss ${loss.toFixed(4)} · train acc ${percent(accuracy)}`;
    if (terminal) output.progressStream.write(`\r\u001b[K${text}${epoch === options.epochs ? '\n' : ''}`);
    else if (epoch % every === 0 || epoch === options.epochs) output.progress(text);
  };
  await fit(
    model,
    { train },
    {
      ...base,
      epochs: options.epochs,
      optimizer: options.lr === undefined ? base.optimizer : { ...preset.optimizer, learningRate: options.lr },
      // Every epoch is run: early stopping on the training loss would end the shuffled run before it memorises.
      earlyStopping: false,
      seed: options.seed,
      kernels: jsKernels,
      onEpochEnd: (record) => report(record.epoch, record.trainLoss, record.trainAccuracy),
    },
  ).catch((error: unknown) => {
    if (terminal) output.progressStream.write('\n');
    throw error instanceof Error ? new UserError(error.message) : error;
  });
  const normalization = preset.normalization ? { normalization: preset.normalization } : {};
  // Train accuracy against the labels it was trained on (the permuted ones for the shuffled run), in inference mode.
  return {
    trainAccuracy: evaluate(model, train, { kernels: jsKernels, ...normalization }).accuracy,
    testAccuracy: evaluate(model, test, { kernels: jsKernels, ...normalization }).accuracy,
  };
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

/** What the two runs show, in plain words. */
function explain(shuffled: RunScores, normal: RunScores, chance: number): string[] {
  const lines = [
    'With shuffled labels, image and label are unrelated: nothing learned carries over to new images,',
    `so the shuffled run's test accuracy stays near chance (≈ ${percent(chance)}).`,
  ];
  if (shuffled.trainAccuracy >= 2 * chance) {
    lines.push(
      `Its train accuracy of ${percent(shuffled.trainAccuracy)} is memorisation: the network has enough capacity to fit`,
      'random labels (Zhang et al. 2017, "Understanding deep learning requires rethinking generalization").',
    );
  } else {
    lines.push(`Its train accuracy (${percent(shuffled.trainAccuracy)}) is still near chance: give it more epochs or a bigger network to see it memorise.`);
  }
  lines.push(
    `The normal run reaches ${percent(normal.trainAccuracy)} on the training images and ${percent(normal.testAccuracy)} on unseen ones.`,
    'High training accuracy alone proves nothing: only held-out accuracy measures what was learned.',
  );
  return lines;
}

async function runSanity(options: SanityOptions): Promise<void> {
  const output = createOutput(options);
  if (!Object.prototype.hasOwnProperty.call(presets, options.preset)) {
    throw new UsageError(`unknown preset '${options.preset}': expected one of ${presetNames.join(', ')}`);
  }
  const mnist = loadMnist();
  if (options.limit > mnist.train.count) throw new UsageError(`--limit ${options.limit} exceeds the ${mnist.train.count} MNIST training images`);
  const started = performance.now();
  const train = sliceDataset(mnist.train, 0, options.limit, 'mnist:train');
  const shuffledTrain = shuffleLabels(train, createRng(options.seed).fork('shuffle-labels'));
  const { test } = mnist;
  output.progress(
    output.color('bold', `nnkit sanity — preset ${options.preset}`) +
      output.color('dim', ` · ${train.count.toLocaleString('en-US')} training images · ${options.epochs} epochs each run · seed ${options.seed}`),
  );
  const shuffled = await trainAndScore(output, 'shuffled labels', options, shuffledTrain, test);
  const normal = await trainAndScore(output, 'true labels', options, train, test);
  // Chance level: a random guess among the ten digits.
  const chance = 0.1;
  const seconds = (performance.now() - started) / 1000;

  output.line('');
  output.line(`${''.padEnd(17)}${'train accuracy'.padStart(16)}${'test accuracy'.padStart(16)}`);
  output.line(`${'true labels'.padEnd(17)}${percent(normal.trainAccuracy).padStart(16)}${percent(normal.testAccuracy).padStart(16)}`);
  output.line(
    `${'shuffled labels'.padEnd(17)}${output.color('yellow', percent(shuffled.trainAccuracy).padStart(16))}${percent(shuffled.testAccuracy).padStart(16)}` +
      output.color('dim', `   (chance ≈ ${percent(chance)})`),
  );
  output.line('');
  for (const line of explain(shuffled, normal, chance)) output.line(line);
  output.result({
    command: 'sanity',
    preset: options.preset,
    samples: train.count,
    epochs: options.epochs,
    seed: options.seed,
    shuffled,
    normal,
    chance,
    seconds,
  });
}
