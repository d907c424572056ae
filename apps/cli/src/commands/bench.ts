import type { Command } from 'commander';
import { sliceDataset } from '@nnkit/datasets';
import { loadMnist } from '@nnkit/datasets/node';
import { createPresetModel, evaluate, evaluateParallel, fit, presetFitOptions, presetNames, presets } from '@nnkit/train';
import { backendNames, createKernels, trainWorkers, type BackendName } from '../backend.js';
import { UsageError } from '../errors.js';
import { oneOf, positiveInteger, threadCount } from '../options.js';
import { maxThreads } from '../limits.js';
import { createOutput } from '../output.js';
import { defaultThreads, THREADS_DEFAULT_HELP } from '../settings.js';

interface BenchOptions {
  preset: string;
  images: number;
  backend: BackendName;
  threads?: number;
  json?: boolean;
}

/**
 * `nnkit bench`: how fast this machine trains and runs a preset's network on real MNIST. One
 * epoch over the first N training images (the first batches warm the JIT and are part of it),
 * then inference over the 10 000 test images at batch 1000. `pnpm bench:peers` compares with
 * other libraries; this command answers "how fast here, with these settings".
 */
export function registerBench(program: Command): void {
  program
    .command('bench')
    .description("measure training and inference images/s of a preset's network on this machine")
    .option('--preset <name>', `network and settings: ${presetNames.join(', ')}`, 'cnn')
    .option('--images <n>', 'training images to time (one epoch over the first N)', positiveInteger, 6400)
    .option('--backend <name>', `kernels: ${backendNames.join(', ')}, or auto`, oneOf([...backendNames, 'auto'] as const), 'auto')
    .option('--threads <n>', `threads for training and inference, at most ${maxThreads()} (4 per core), as \`nnkit train\` picks them (default: ${THREADS_DEFAULT_HELP})`, threadCount)
    .option('--json', 'print one JSON object with the results as the last stdout line')
    .action(async (options: BenchOptions) => {
      const output = createOutput(options);
      const preset = Object.prototype.hasOwnProperty.call(presets, options.preset) ? presets[options.preset] : undefined;
      if (!preset) throw new UsageError(`unknown preset '${options.preset}': expected one of ${presetNames.join(', ')}`);
      const mnist = loadMnist();
      if (options.images > mnist.train.count) throw new UsageError(`--images: at most ${mnist.train.count}`);
      const train = sliceDataset(mnist.train, 0, options.images);
      const { kernels, name } = await createKernels(options.backend);
      const threads = options.threads ?? defaultThreads(preset);
      const model = createPresetModel(preset, 1);
      const parallel = threads > 1 ? { threads, parallel: trainWorkers(kernels) } : {};
      output.progress(`bench: preset ${preset.name}, ${options.images} images, ${name} kernels × ${threads} thread(s)`);
      let trainSpeed = 0;
      await fit(model, { train }, {
        ...presetFitOptions(preset),
        epochs: 1,
        seed: 1,
        kernels,
        ...parallel,
        batchEndEvery: 1_000_000,
        onBatchEnd: (event) => {
          trainSpeed = event.imagesPerSecond;
        },
      });
      const started = performance.now();
      if (threads > 1) await evaluateParallel(model, mnist.test, { kernels, threads, parallel: trainWorkers(kernels) });
      else evaluate(model, mnist.test, { kernels });
      const inferSpeed = mnist.test.count / ((performance.now() - started) / 1000);
      output.line(`train ${Math.round(trainSpeed).toLocaleString('en-US')} img/s (batch ${preset.batchSize}) · inference ${Math.round(inferSpeed).toLocaleString('en-US')} img/s (batch 1000)`);
      output.result({
        command: 'bench',
        preset: preset.name,
        backend: name,
        threads,
        images: options.images,
        trainImagesPerSecond: trainSpeed,
        inferenceImagesPerSecond: inferSpeed,
      });
    });
}
