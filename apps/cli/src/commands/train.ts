import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseAugmentSpec, sliceDataset } from '@nnkit/datasets';
import { loadMnist, writeFileAtomic } from '@nnkit/datasets/node';
import { saveModel, Sequential, type ModelDefinition } from '@nnkit/layers';
import { optimizerKinds, parseSchedule, type OptimizerKind, type OptimizerSpec } from '@nnkit/optim';
import { availableParallelism } from 'node:os';
import { createRng, type Kernels } from '@nnkit/tensor';
import { nodeWorkers } from '@nnkit/train/node';
import {
  distortionHook,
  evaluate,
  evaluateEnsemble,
  fit,
  parseCheckpoint,
  presetData,
  presetFitOptions,
  presetNames,
  presets,
  serializeCheckpoint,
  type CheckpointState,
  type EpochRecord,
  type FitData,
  type FitOptions,
  type Preset,
} from '@nnkit/train';
import { activationNames, initOptionNames, lossNames, parseArchitecture, type ActivationName, type InitOptionName, type LossName } from '../arch.js';
import { backendNames, createKernels, type BackendName } from '../backend.js';
import { readConfigFile } from '../config-file.js';
import { DATA_SPEC_HELP, dataSpec, loadData, splitData } from '../data-spec.js';
import { UsageError, UserError } from '../errors.js';
import { fraction, nonNegativeInteger, nonNegativeNumber, oneOf, positiveInteger, positiveNumber } from '../options.js';
import { createOutput, EpochProgress, formatDuration, type Output } from '../output.js';
import { assertReadableFile, assertWritableFile } from '../paths.js';

/** Everything that decides a training run; saved in checkpoints so `--resume FILE` needs nothing else. */
export interface TrainSettings {
  readonly preset: string;
  readonly arch: string | null;
  readonly activation: ActivationName | null;
  readonly loss: LossName | null;
  readonly init: InitOptionName | null;
  readonly data: string;
  readonly limit: number | null;
  readonly epochs: number;
  readonly batchSize: number;
  readonly optimizer: OptimizerSpec;
  readonly schedule: string | null;
  readonly valSplit: number | null;
  readonly earlyStop: number | null;
  readonly clip: number | null;
  readonly augment: string | null;
  readonly seed: number;
  readonly backend: BackendName;
  readonly threads: number;
}

/** The options as commander hands them over (camelCase), before settings are resolved. */
interface TrainOptions {
  preset?: string;
  arch?: string;
  activation?: ActivationName;
  loss?: LossName;
  init?: InitOptionName;
  data: string;
  limit?: number;
  epochs?: number;
  batchSize?: number;
  optimizer?: OptimizerKind;
  lr?: number;
  momentum?: number;
  l2?: number;
  l1?: number;
  schedule?: string;
  valSplit?: number;
  earlyStop?: number;
  clip?: number;
  augment?: string;
  seed: number;
  backend: BackendName;
  threads?: number;
  config?: string;
  checkpoint?: string;
  checkpointEvery?: number;
  resume?: string;
  ensemble?: number;
  out?: string;
  json?: boolean;
  quiet?: boolean;
}

/** Options a `--config` file may set: every `train` option except the ones naming files of this run. */
const configurable = [
  'preset', 'arch', 'activation', 'loss', 'init', 'data', 'limit', 'epochs', 'batchSize', 'optimizer', 'lr', 'momentum',
  'l2', 'l1', 'schedule', 'valSplit', 'earlyStop', 'clip', 'augment', 'seed', 'backend', 'threads', 'ensemble',
] as const;

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train a network on MNIST (or your data) and report its test accuracy')
    .option('--preset <name>', `network and settings: ${presetNames.join(', ')} (default: cnn)`)
    .option('--arch <spec>', "network from a string instead of the preset's, e.g. 784-30-10 or conv20x5-pool2-conv40x5-pool2-fc100-fc10 (default: the preset's network)")
    .option('--activation <name>', `hidden activation for --arch: ${activationNames.join(', ')} (default: relu)`, oneOf(activationNames))
    .option('--loss <name>', `cost for --arch: ${lossNames.join(', ')} (default: softmax-ce)`, oneOf(lossNames))
    .option('--init <name>', `weight initialiser for --arch: ${initOptionNames.join(', ')} (default: he for ReLU, scaled-normal otherwise)`, oneOf(initOptionNames))
    .option('--data <spec>', `training ${DATA_SPEC_HELP}; without a test set, 25 % is held out (seed 0)`, dataSpec, 'mnist')
    .option('--limit <n>', 'train on the first N training images only (default: all of them)', positiveInteger)
    .option('--epochs <n>', "passes over the training data (default: the preset's)", positiveInteger)
    .option('--batch-size <n>', "mini-batch size (default: the preset's)", positiveInteger)
    .option('--optimizer <name>', `${optimizerKinds.join(', ')} (default: the preset's)`, oneOf(optimizerKinds))
    .option('--lr <x>', "learning rate η (default: the preset's, or the optimizer's usual value)", positiveNumber)
    .option('--momentum <x>', 'momentum μ for momentum, nesterov and rmsprop (default: 0.9; rmsprop 0)', nonNegativeNumber)
    .option('--l2 <x>', "L2 strength λ, Nielsen's (1 − ηλ/n) weight decay with n the training images (default: the preset's)", nonNegativeNumber)
    .option('--l1 <x>', 'L1 strength λ (weights only, λ/n · sign(w)) (default: 0)', nonNegativeNumber)
    .option('--schedule <spec>', "learning-rate schedule: constant, step:E,F, exponential:F, cosine:E, invscaling:P, adaptive, plateau:N (default: the preset's, else constant)")
    .option('--val-split <f>', "hold out this fraction of the training images for validation (default: the preset's split, else none)", fraction)
    .option('--early-stop <n>', "stop after N epochs without improvement (validation accuracy if held out, else training loss) (default: the preset's, else off)", positiveInteger)
    .option('--clip <x>', 'clip the global gradient norm to X (default: off)', positiveNumber)
    .option('--augment <spec>', 'distort training images on the fly, e.g. rotate:12,scale:0.1,elastic:34/4,shift:1,noise:0.1 (default: none)')
    .option('--seed <n>', 'seed for initialisation, shuffling, dropout and distortions', nonNegativeInteger, 1)
    .option('--backend <name>', `kernels: ${backendNames.join(', ')}, or auto (the fastest that loads)`, oneOf([...backendNames, 'auto'] as const), 'auto')
    .option('--threads <n>', `split each mini-batch over N threads (same seed and N: same model bytes) (default: ${THREADS_DEFAULT_HELP})`, positiveInteger)
    .option('--config <file>', 'JSON or YAML file with any of these options (command-line flags win) (default: none)')
    .option('--checkpoint <file>', 'write a checkpoint after every epoch and on Ctrl-C (default: none, and on Ctrl-C OUT.checkpoint.json or nnkit-checkpoint.json)')
    .option('--checkpoint-every <n>', 'also write the checkpoint every N mini-batches, so a killed run loses at most N (default: only after each epoch)', positiveInteger)
    .option('--resume <file>', 'continue the run saved in a checkpoint (its settings are used) (default: a new run)')
    .option('--ensemble <k>', 'train K models with seeds SEED..SEED+K−1 and report each and their vote (default: 1)', positiveInteger)
    .option('--out <file>', 'save the trained model (JSON) to this file (default: not saved)')
    .option('--json', 'print one JSON object with the results as the last stdout line')
    .option('--quiet', 'print no progress')
    .action(async (options: TrainOptions, command: Command) => {
      await runTrain(options, command);
    });
}

/** Presets that train fastest on one thread (see `Preset.threads`). */
const singleThreadPresets = presetNames.filter((name) => presets[name].threads === 1);

/** How `--threads` defaults, for `train` and `bench` help. */
export const THREADS_DEFAULT_HELP = `every core, ${availableParallelism()} here; ${singleThreadPresets.join(', ')}: 1, as their steps are too small to split`;

/**
 * Threads when `--threads` is not given: every core, capped by the preset's `threads` when the
 * run trains the preset's own network at its own batch size (what that cap was measured on).
 */
export function defaultThreads(preset: Preset, options: { arch?: string; batchSize?: number } = {}): number {
  const cores = availableParallelism();
  const presetStep = options.arch === undefined && (options.batchSize === undefined || options.batchSize === preset.batchSize);
  return presetStep && preset.threads !== undefined ? Math.min(cores, preset.threads) : cores;
}

function resolvePreset(name: string): Preset {
  const preset = Object.prototype.hasOwnProperty.call(presets, name) ? presets[name] : undefined;
  if (!preset) throw new UsageError(`unknown preset '${name}': expected one of ${presetNames.join(', ')}`);
  return preset;
}

/** Settings from the preset, then the config file, then the command line (the last one wins). */
function resolveSettings(options: TrainOptions, command: Command): TrainSettings {
  const merged: TrainOptions = { ...options };
  if (options.config) {
    const values = readConfigFile(options.config, configurable, command);
    for (const [key, value] of Object.entries(values)) {
      const source = command.getOptionValueSource(key);
      if (source === undefined || source === 'default') (merged as unknown as Record<string, unknown>)[key] = value;
    }
  }
  const preset = resolvePreset(merged.preset ?? 'cnn');
  const base = presetFitOptions(preset);
  if (!merged.arch && (merged.activation || merged.loss || merged.init)) {
    throw new UsageError('--activation, --loss and --init shape an --arch network; a preset fixes its own');
  }
  const presetOptimizer = preset.optimizer;
  const kind = merged.optimizer ?? presetOptimizer.kind;
  const sameKind = kind === presetOptimizer.kind;
  const defaults: Record<OptimizerKind, number> = { sgd: 0.1, momentum: 0.01, nesterov: 0.01, adam: 1e-3, adamw: 1e-3, rmsprop: 1e-3 };
  const learningRate = merged.lr ?? (sameKind ? (presetOptimizer.learningRate ?? defaults[kind]) : defaults[kind]);
  const inherited = sameKind ? { ...presetOptimizer } : {};
  if (merged.momentum !== undefined && kind !== 'momentum' && kind !== 'nesterov' && kind !== 'rmsprop') {
    throw new UsageError(`--momentum applies to momentum, nesterov and rmsprop, not ${kind}`);
  }
  const optimizer = {
    ...inherited,
    kind,
    learningRate,
    ...(merged.momentum === undefined ? {} : { momentum: merged.momentum }),
    ...(merged.l2 === undefined ? {} : { l2: merged.l2 }),
    ...(merged.l1 === undefined ? {} : { l1: merged.l1 }),
  } as OptimizerSpec;
  if (merged.schedule) {
    try {
      parseSchedule(merged.schedule);
    } catch (error) {
      throw new UsageError(`--schedule: ${(error as Error).message}`);
    }
  }
  if (merged.augment) {
    try {
      parseAugmentSpec(merged.augment);
    } catch (error) {
      throw new UsageError(`--augment: ${(error as Error).message}`);
    }
  }
  if (merged.arch) parseArchitecture(merged.arch, merged); // reports a bad spec before any data is read
  return {
    preset: preset.name,
    arch: merged.arch ?? null,
    activation: merged.activation ?? null,
    loss: merged.loss ?? null,
    init: merged.init ?? null,
    data: merged.data,
    limit: merged.limit ?? null,
    epochs: merged.epochs ?? base.epochs,
    batchSize: merged.batchSize ?? base.batchSize,
    optimizer,
    schedule: merged.schedule ?? null,
    valSplit: merged.valSplit ?? null,
    earlyStop: merged.earlyStop ?? null,
    clip: merged.clip ?? null,
    augment: merged.augment ?? null,
    seed: merged.seed,
    backend: merged.backend,
    threads: merged.threads ?? defaultThreads(preset, merged),
  };
}

/** The network a run trains: the --arch string's, or the preset's. */
export function modelDefinitionOf(settings: TrainSettings): ModelDefinition {
  if (settings.arch === null) return resolvePreset(settings.preset).model;
  return parseArchitecture(settings.arch, {
    ...(settings.activation ? { activation: settings.activation } : {}),
    ...(settings.loss ? { loss: settings.loss } : {}),
    ...(settings.init ? { init: settings.init } : {}),
  });
}

/**
 * The training and test sets of a run. The embedded MNIST gets the preset's validation split
 * and expansion; a Kaggle CSV is split 75 / 25 with a fixed seed (0, the notebook's
 * `random_state=0`), the same split `nnkit eval --data csv:FILE` scores.
 */
function loadRunData(settings: TrainSettings): FitData {
  const preset = resolvePreset(settings.preset);
  let data: FitData;
  if (settings.data === 'mnist') {
    data = presetData(preset, loadMnist());
  } else {
    const { train, test } = splitData(settings.data, loadData(settings.data));
    data = { train, test };
  }
  if (settings.limit !== null) {
    if (settings.limit > data.train.count) {
      throw new UsageError(`--limit ${settings.limit} exceeds the ${data.train.count} training images of ${settings.data}`);
    }
    data = { ...data, train: sliceDataset(data.train, 0, settings.limit) };
  }
  return data;
}

/** The checkpoint file of the CLI: the run's settings beside `fit`'s state. */
export interface RunCheckpoint {
  readonly format: 'nnkit-train-run';
  readonly version: 1;
  readonly settings: TrainSettings;
  readonly out: string | null;
  readonly checkpoint: CheckpointState;
}

/** Reads a `--checkpoint` file; errors are one line naming it (`what`: the option or argument it came from). */
export function readRunCheckpoint(path: string, what = '--resume'): RunCheckpoint {
  assertReadableFile(path, what);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new UserError(`${path}: not a checkpoint (invalid JSON; was the file cut short?)`);
  }
  const run = parsed as Partial<RunCheckpoint>;
  if (run?.format !== 'nnkit-train-run' || run.version !== 1) {
    throw new UserError(`${path}: format: expected an nnkit-train-run version 1 checkpoint (written by nnkit train --checkpoint)`);
  }
  if (typeof run.settings !== 'object' || run.settings === null) throw new UserError(`${path}: settings: expected an object`);
  const checkpoint = parseCheckpoint(JSON.stringify(run.checkpoint), path);
  return { format: run.format, version: 1, settings: run.settings, out: run.out ?? null, checkpoint };
}

async function runTrain(options: TrainOptions, command: Command): Promise<void> {
  const output = createOutput(options);
  let settings: TrainSettings;
  let resume: CheckpointState | undefined;
  let out = options.out ?? null;
  if (options.resume) {
    const given = command.options
      .map((option) => option.attributeName())
      .filter((name) => !['resume', 'json', 'quiet', 'out', 'checkpoint', 'checkpointEvery'].includes(name) && command.getOptionValueSource(name) === 'cli');
    if (given.length > 0) throw new UsageError(`--resume continues a run with its saved settings; drop ${given.map((name) => `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')}`);
    const run = readRunCheckpoint(options.resume);
    settings = run.settings;
    resume = run.checkpoint;
    out = out ?? run.out;
  } else {
    settings = resolveSettings(options, command);
  }
  if (out) assertWritableFile(out, '--out');
  const checkpointPath = options.checkpoint ?? options.resume ?? null;
  if (checkpointPath) assertWritableFile(checkpointPath, '--checkpoint');
  if (options.checkpointEvery !== undefined && !checkpointPath) throw new UsageError('--checkpoint-every needs --checkpoint FILE (or --resume FILE) to write to');
  if (options.ensemble !== undefined && (checkpointPath || options.resume)) {
    throw new UsageError('--ensemble trains several models; it cannot be combined with --checkpoint or --resume');
  }

  const started = performance.now();
  const definition = modelDefinitionOf(settings);
  const data = loadRunData(settings);
  const kernels = await createKernels(settings.backend);
  const members = options.ensemble ?? 1;
  const results: MemberResult[] = [];
  for (let member = 0; member < members; member++) {
    const seed = settings.seed + member;
    const memberOut = out === null ? null : members === 1 ? out : out.replace(/(\.json)?$/, `-${seed}.json`);
    results.push(
      await trainOne({ settings: { ...settings, seed }, definition, data, kernels: kernels.kernels, backendName: kernels.name, output, out: memberOut, checkpointPath, ...(options.checkpointEvery !== undefined ? { checkpointEvery: options.checkpointEvery } : {}), ...(resume ? { resume } : {}) }),
    );
    if (results.at(-1)?.interrupted) break;
  }
  const seconds = (performance.now() - started) / 1000;
  const last = results[results.length - 1];
  if (last.interrupted) {
    output.line(`interrupted: checkpoint written to ${last.checkpointWritten}; continue with: nnkit train --resume ${last.checkpointWritten}`);
    output.result({ command: 'train', interrupted: true, checkpoint: last.checkpointWritten, epochs: last.history.length });
    process.exitCode = 130;
    return;
  }

  let ensemble: { vote: number; average: number } | null = null;
  if (members > 1 && data.test) {
    const models = results.map((result) => result.model);
    ensemble = {
      vote: evaluateEnsemble(models, data.test, { method: 'vote', kernels: kernels.kernels }).accuracy,
      average: evaluateEnsemble(models, data.test, { method: 'average', kernels: kernels.kernels }).accuracy,
    };
    output.line(
      `ensemble of ${members}: vote ${output.color('green', percent(ensemble.vote))} · averaged probabilities ${output.color('green', percent(ensemble.average))}`,
    );
  }
  const summary = {
    command: 'train',
    preset: settings.preset,
    arch: settings.arch,
    data: settings.data,
    backend: kernels.name,
    accuracy: ensemble ? ensemble.vote : last.accuracy,
    validationAccuracy: ensemble ? null : last.validationAccuracy,
    bestValidation: ensemble ? null : bestValidationEpoch(last.history),
    loss: last.loss,
    epochs: last.history.length,
    samples: data.train.count,
    seconds,
    imagesPerSecond: mean(results.map((result) => result.imagesPerSecond)),
    seed: settings.seed,
    threads: settings.threads ?? 1,
    history: last.history,
    out: out ?? null,
    ...(ensemble ? { members: results.map((result) => ({ seed: result.seed, accuracy: result.accuracy, loss: result.loss })), ensemble } : {}),
  };
  output.result(summary);
}

interface MemberResult {
  readonly seed: number;
  readonly model: Sequential;
  readonly accuracy: number;
  /** Accuracy on the held-out validation images (preset split or --val-split), null without one. */
  readonly validationAccuracy: number | null;
  readonly loss: number;
  readonly imagesPerSecond: number;
  readonly history: readonly EpochRecord[];
  readonly interrupted: boolean;
  readonly checkpointWritten: string | null;
}

async function trainOne(run: {
  settings: TrainSettings;
  definition: ModelDefinition;
  data: FitData;
  kernels: Kernels;
  backendName: string;
  output: Output;
  out: string | null;
  checkpointPath: string | null;
  /** Also save the checkpoint every this many batches. */
  checkpointEvery?: number;
  resume?: CheckpointState;
}): Promise<MemberResult> {
  const { settings, data, output } = run;
  const model = new Sequential(run.definition, createRng(settings.seed).fork('init'));
  const progress = new EpochProgress(output);
  const epochSpeeds: number[] = [];
  const recentSeconds: number[] = [];
  let lastSpeed = 0;
  let currentEpoch = 0;
  const signal = { aborted: false };
  let checkpointWritten: string | null = null;
  const interruptPath = run.checkpointPath ?? (run.out ? `${run.out.replace(/\.json$/, '')}.checkpoint.json` : 'nnkit-checkpoint.json');
  const onInterrupt = (): void => {
    if (signal.aborted) process.exit(130); // a second Ctrl-C: stop now
    signal.aborted = true;
    progress.stop();
    output.progress('stopping after this batch; writing a checkpoint (Ctrl-C again to quit at once)');
  };
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);

  output.progress(
    output.color('bold', `nnkit train — ${settings.arch ? `--arch ${settings.arch}` : `preset ${settings.preset}`}`) +
      output.color('dim', ` · ${data.train.count} training images · ${settings.epochs} epoch(s) · batch ${settings.batchSize} · ${settings.optimizer.kind} η=${settings.optimizer.learningRate ?? ''} · ${run.backendName} kernels × ${settings.threads ?? 1} thread(s) · seed ${settings.seed}`),
  );
  if (run.resume) output.progress(`resuming after epoch ${run.resume.position.epoch}, batch ${run.resume.position.batch}`);

  const writeCheckpoint = (state: CheckpointState, path: string): void => {
    // A RunCheckpoint, with fit's state in its own serialised form.
    const text = `{"format":"nnkit-train-run","version":1,"settings":${JSON.stringify(settings)},"out":${JSON.stringify(run.out)},"checkpoint":${serializeCheckpoint(state)}}`;
    writeFileAtomic(path, new TextEncoder().encode(text));
    checkpointWritten = path;
  };

  const fitOptions: FitOptions = {
    ...presetFitOptions(resolvePreset(settings.preset)),
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    optimizer: settings.optimizer,
    seed: settings.seed,
    kernels: run.kernels,
    // Checkpoints from before threads existed carry no count: one thread.
    ...((settings.threads ?? 1) > 1 ? { threads: settings.threads, parallel: nodeWorkers() } : {}),
    ...(settings.schedule ? { schedule: settings.schedule } : {}),
    ...(settings.valSplit !== null ? { validationSplit: settings.valSplit } : {}),
    ...(settings.earlyStop !== null ? { earlyStopping: { nIterNoChange: settings.earlyStop } } : {}),
    ...(settings.clip !== null ? { clipGradientNorm: settings.clip } : {}),
    ...(settings.augment ? { augment: distortionHook(parseAugmentSpec(settings.augment)) } : {}),
    ...(run.resume ? { resume: run.resume } : {}),
    signal,
    checkpoint: {
      every: run.checkpointPath ? (run.checkpointEvery ?? 'epoch') : 'epoch',
      save: (state) => {
        // Every epoch when asked for; on Ctrl-C always (fit saves once more when it stops).
        if (run.checkpointPath) writeCheckpoint(state, run.checkpointPath);
        else if (signal.aborted) writeCheckpoint(state, interruptPath);
      },
    },
    // Scoring in batches of 250 keeps activations small (peak memory) at no cost in speed.
    evaluationBatchSize: 250,
    batchEndEvery: 10,
    onBatchEnd: (event) => {
      if (event.epoch !== currentEpoch) {
        currentEpoch = event.epoch;
        progress.start(`epoch ${event.epoch}/${settings.epochs}`, event.batches);
      }
      progress.update(event.batch, event);
      lastSpeed = event.imagesPerSecond;
    },
    onEpochEnd: (record) => {
      progress.stop();
      epochSpeeds.push(lastSpeed);
      recentSeconds.push(record.seconds);
      const scores = [
        `loss ${record.trainLoss.toFixed(4)}`,
        `train acc ${percent(record.trainAccuracy)}`,
        ...(record.validationAccuracy === undefined ? [] : [`validation acc ${percent(record.validationAccuracy)}`]),
        ...(record.testAccuracy === undefined ? [] : [`test acc ${percent(record.testAccuracy)}`]),
        `η ${record.learningRate.toPrecision(3)}`,
        `${record.seconds.toFixed(1)} s`,
      ];
      // The run's ETA from the last three epochs' times (early stopping may end it sooner).
      const left = settings.epochs - record.epoch;
      const recent = recentSeconds.slice(-3);
      const eta = left > 0 ? ` · ≈ ${formatDuration((1000 * left * recent.reduce((a, b) => a + b, 0)) / recent.length)} to go` : '';
      output.progress(`epoch ${record.epoch}/${settings.epochs}: ${scores.join(', ')}${eta}`);
    },
  };

  let result;
  try {
    result = await fit(model, data, fitOptions);
  } catch (error) {
    progress.stop();
    throw error instanceof Error ? new UserError(error.message) : error;
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
  }
  if (result.stopReason === 'aborted') {
    return { seed: settings.seed, model, accuracy: NaN, validationAccuracy: null, loss: NaN, imagesPerSecond: mean(epochSpeeds), history: result.history, interrupted: true, checkpointWritten };
  }
  if (result.stopReason === 'earlyStopping') output.progress(`early stopping after epoch ${result.history.length}${result.bestEpoch ? ` (best epoch ${result.bestEpoch})` : ''}`);

  const last = result.history.at(-1);
  // The last epoch's test score describes the final weights unless early stopping put back an earlier epoch's.
  const test =
    last?.testAccuracy !== undefined && last.testLoss !== undefined && !result.restoredBest
      ? { accuracy: last.testAccuracy, loss: last.testLoss }
      : data.test
        ? evaluate(model, data.test, { kernels: run.kernels })
        : { accuracy: NaN, loss: NaN };
  // Likewise the validation score: the last epoch's, or the restored best epoch's.
  const validationRecord = result.restoredBest && result.bestEpoch !== undefined ? result.history[result.bestEpoch - 1] : last;
  const validationAccuracy = validationRecord?.validationAccuracy ?? null;
  const imagesPerSecond = mean(epochSpeeds);
  if (model.params.some((param) => !param.value.data.every(Number.isFinite))) {
    throw new UserError(`training produced non-finite weights (NaN or Infinity); try a smaller --lr${run.out ? `; ${run.out} was not written` : ''}`);
  }
  if (run.out) {
    const meta = { settings, trainedOn: `${data.train.count} images of ${settings.data}`, testAccuracy: test.accuracy };
    // Wall-clock seconds stay out of the file: the same command and seed give the same bytes.
    const history = result.history.map(({ seconds: _seconds, ...record }) => record);
    writeFileAtomic(run.out, new TextEncoder().encode(saveModel(model, { history, meta })));
  }
  if (run.checkpointPath && existsSync(run.checkpointPath)) {
    output.progress(`checkpoint: ${run.checkpointPath}`);
  }
  const best = bestValidationEpoch(result.history);
  if (best !== null && result.history.length > 1) {
    output.progress(
      `best validation accuracy ${percent(best.validationAccuracy)} at epoch ${best.epoch}` +
        (best.testAccuracy === undefined ? '' : `, test accuracy there ${percent(best.testAccuracy)} (the figure Nielsen's network3.py reports)`),
    );
  }
  output.line(
    (validationAccuracy === null ? '' : `validation accuracy ${percent(validationAccuracy)} · `) +
      `test accuracy ${output.color('green', percent(test.accuracy))} · test loss ${test.loss.toFixed(4)} · ` +
      `${Math.round(imagesPerSecond).toLocaleString('en-US')} img/s` +
      (run.out ? ` · saved ${run.out}` : ''),
  );
  return { seed: settings.seed, model, accuracy: test.accuracy, validationAccuracy, loss: test.loss, imagesPerSecond, history: result.history, interrupted: false, checkpointWritten };
}

/**
 * The last epoch with the highest validation accuracy, as network3.py picks it (`>=`): its
 * "corresponding test accuracy" is the figure Nielsen's chapter 6 reports. Null without validation.
 */
export function bestValidationEpoch(history: readonly EpochRecord[]): { epoch: number; validationAccuracy: number; testAccuracy?: number } | null {
  let best: EpochRecord | null = null;
  for (const record of history) {
    if (record.validationAccuracy !== undefined && (best === null || record.validationAccuracy >= best.validationAccuracy!)) best = record;
  }
  if (best === null) return null;
  return { epoch: best.epoch, validationAccuracy: best.validationAccuracy!, ...(best.testAccuracy === undefined ? {} : { testAccuracy: best.testAccuracy }) };
}

function percent(value: number): string {
  return `${(value * 100).toFixed(2)}%`;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}
