import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { parseAugmentSpec, sliceDataset } from '@nnkit/datasets';
import { loadMnist } from '@nnkit/datasets/node';
import type { ModelDefinition } from '@nnkit/layers';
import { createSchedule, parseSchedule, type OptimizerKind, type OptimizerSpec } from '@nnkit/optim';
import { parseAveraging, presetData, presetFitOptions, presetNames, presetNetwork, presets, type AveragingOptions, type FitData, type Preset } from '@nnkit/train';
import { parseArchitecture, type ActivationName, type InitOptionName, type LossName } from './arch.js';
import type { BackendName } from './backend.js';
import { readConfigFile } from './config-file.js';
import { type DataClasses, dataClasses } from './classes.js';
import { type FreezeSpec, presetOfModel, readInitModel } from './fine-tune.js';
import { loadData, splitData } from './data-spec.js';
import { UsageError } from './errors.js';

/**
 * Everything that decides a training run, in the library's words where they map (`fit`'s
 * `validationSplit`, `earlyStopping`, `clipGradientNorm`); saved in run files so `--resume FILE`
 * needs nothing else.
 */
export interface TrainSettings {
  readonly preset: string;
  readonly arch: string | null;
  /** The preset network an ensemble member trains (`Preset.networks`, `presetMembers`); absent: the preset's model. */
  readonly network?: string;
  readonly activation: ActivationName | null;
  readonly loss: LossName | null;
  readonly init: InitOptionName | null;
  readonly data: string;
  readonly limit: number | null;
  readonly epochs: number;
  readonly batchSize: number;
  readonly optimizer: OptimizerSpec;
  readonly schedule: string | null;
  /** Fraction of the training images held out for validation (`--val-split`). */
  readonly validationSplit: number | null;
  /** Epochs without improvement before stopping (`--early-stop`), `fit`'s `earlyStopping.nIterNoChange`. */
  readonly earlyStopping: number | null;
  /** Largest global gradient norm (`--clip`). */
  readonly clipGradientNorm: number | null;
  readonly augment: string | null;
  readonly seed: number;
  readonly backend: BackendName;
  readonly threads: number;
  /** Label smoothing ε of the softmax cross-entropy (`--label-smoothing`); null: the network's own loss. */
  readonly labelSmoothing?: number | null;
  /** Weight averaging, `ema:D[,E]`, `swa:K` or `none` (`--average`); null: the preset's. */
  readonly averaging?: string | null;
  /** Views the final test score averages over (`--tta`); null: the preset's (1 without one). */
  readonly testTimeViews?: number | null;
  /** Whether the test set is scored after every epoch too (`--test-each-epoch`, `--no-test-each-epoch`); absent: the preset's (`Preset.testEachEpoch`). */
  readonly testEachEpoch?: boolean;
  /** Validation scored after every n-th epoch and the last (`--validate-every`); absent: the preset's (`Preset.validateEvery`), or 1 where early stopping or the schedule watches it. */
  readonly validateEvery?: number;
  /** Present (true) only when unreadable images of a `folder:` are skipped (`--skip-bad`). */
  readonly skipBad?: boolean;
  /** The saved model whose weights the run starts from (`--init-from`); absent: from the seed. */
  readonly initFrom?: string;
  /** Layers kept fixed (`--freeze`); absent: none. */
  readonly freeze?: FreezeSpec;
}

/** The `train` options as commander hands them over (camelCase, the flags' names), before settings are resolved. */
export interface TrainFlags {
  preset?: string;
  arch?: string;
  activation?: ActivationName;
  loss?: LossName;
  init?: InitOptionName;
  data: string;
  skipBad?: boolean;
  initFrom?: string;
  freeze?: FreezeSpec;
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
  labelSmoothing?: number;
  average?: string;
  tta?: number;
  testEachEpoch?: boolean;
  validateEvery?: number;
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

/** Flags a `--config` file may set: every `train` option except the ones naming files of this run. */
const configurable = [
  'preset', 'arch', 'activation', 'loss', 'init', 'data', 'skipBad', 'limit', 'epochs', 'batchSize', 'optimizer', 'lr', 'momentum',
  'l2', 'l1', 'schedule', 'valSplit', 'earlyStop', 'clip', 'augment', 'labelSmoothing', 'average', 'tta', 'testEachEpoch', 'validateEvery', 'seed', 'backend', 'threads', 'ensemble',
] as const;

/** Settings' names a `--config` file may use instead of the flags' (`validation-split: 0.1` as `val-split: 0.1`). */
const configAliases: Readonly<Record<string, (typeof configurable)[number]>> = {
  validationSplit: 'valSplit',
  earlyStopping: 'earlyStop',
  clipGradientNorm: 'clip',
  averaging: 'average',
  testTimeViews: 'tta',
};

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

/** The preset called `name`; a usage error naming the choices otherwise. */
export function resolvePreset(name: string): Preset {
  const preset = Object.prototype.hasOwnProperty.call(presets, name) ? presets[name] : undefined;
  if (!preset) throw new UsageError(`unknown preset '${name}': expected one of ${presetNames.join(', ')}`);
  return preset;
}

/** Usual learning rates of optimizers the preset does not configure. */
const defaultLearningRates: Record<OptimizerKind, number> = { sgd: 0.1, momentum: 0.01, nesterov: 0.01, adam: 1e-3, adamw: 1e-3, rmsprop: 1e-3 };

/** Settings from the preset, then the config file, then the command line (the last one wins). */
export function resolveTrainSettings(flags: TrainFlags, command: Command): TrainSettings {
  const merged: TrainFlags = { ...flags };
  if (flags.config) {
    const values = readConfigFile(flags.config, configurable, command, configAliases);
    for (const [key, value] of Object.entries(values)) {
      const source = command.getOptionValueSource(key);
      if (source === undefined || source === 'default') (merged as unknown as Record<string, unknown>)[key] = value;
    }
  }
  // Fine-tuning keeps the saved model's preset (its pixel normalization) unless one is named.
  const preset = resolvePreset(merged.preset ?? (merged.initFrom ? presetOfModel(readInitModel(merged.initFrom)) : undefined) ?? 'cnn');
  const base = presetFitOptions(preset);
  if (!merged.arch && (merged.activation || merged.loss || merged.init)) {
    throw new UsageError('--activation, --loss and --init shape an --arch network; a preset fixes its own');
  }
  const presetOptimizer = preset.optimizer;
  const kind = merged.optimizer ?? presetOptimizer.kind;
  const sameKind = kind === presetOptimizer.kind;
  const learningRate = merged.lr ?? (sameKind ? (presetOptimizer.learningRate ?? defaultLearningRates[kind]) : defaultLearningRates[kind]);
  const inherited = sameKind ? { ...presetOptimizer } : {};
  if (merged.momentum !== undefined && kind !== 'momentum' && kind !== 'nesterov' && kind !== 'rmsprop') {
    throw new UsageError(`--momentum applies to momentum, nesterov and rmsprop, not ${kind}`);
  }
  // The key order is the model file's (`meta.settings.optimizer`): keep it, for the same bytes.
  const optimizer = {
    ...inherited,
    kind,
    learningRate,
    ...(merged.momentum === undefined ? {} : { momentum: merged.momentum }),
    ...(merged.l2 === undefined ? {} : { l2: merged.l2 }),
    ...(merged.l1 === undefined ? {} : { l1: merged.l1 }),
  } as OptimizerSpec;
  usageChecked('--schedule', merged.schedule, parseSchedule);
  usageChecked('--augment', merged.augment, parseAugmentSpec);
  if (merged.average !== 'none') usageChecked('--average', merged.average, parseAveraging);
  if (merged.arch) parseArchitecture(merged.arch, merged); // reports a bad spec before any data is read
  if (merged.valSplit !== undefined && merged.data === 'mnist' && preset.validationCount !== undefined) {
    throw new UsageError(`--val-split: preset ${preset.name} holds out its own validation images of mnist (the last ${preset.validationCount.toLocaleString('en-US')} training images)`);
  }
  const averaging = merged.average ?? describeAveraging(preset.averaging);
  if (merged.earlyStop !== undefined && averaging !== 'none') {
    throw new UsageError(`--early-stop: the run ends with averaged weights (${merged.average !== undefined ? `--average ${averaging}` : `preset ${preset.name}'s ${averaging}`}), not the best epoch's; add --average none to stop early`);
  }
  const watcher = validationWatcher(merged.earlyStop ?? null, merged.schedule ?? null);
  if ((merged.validateEvery ?? 1) > 1 && watcher !== null) {
    throw new UsageError(`--validate-every ${merged.validateEvery}: ${watcher} looks at the validation score after every epoch; leave --validate-every out or give 1`);
  }
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
    validationSplit: merged.valSplit ?? null,
    earlyStopping: merged.earlyStop ?? null,
    clipGradientNorm: merged.clip ?? null,
    augment: merged.augment ?? null,
    seed: merged.seed,
    backend: merged.backend,
    threads: merged.threads ?? defaultThreads(preset, merged),
    ...(merged.labelSmoothing !== undefined ? { labelSmoothing: merged.labelSmoothing } : {}),
    ...(merged.average !== undefined ? { averaging: merged.average } : {}),
    ...(merged.tta !== undefined ? { testTimeViews: merged.tta } : {}),
    ...(merged.testEachEpoch !== undefined ? { testEachEpoch: merged.testEachEpoch } : {}),
    ...(merged.validateEvery !== undefined ? { validateEvery: merged.validateEvery } : {}),
    ...(merged.skipBad ? { skipBad: true } : {}),
    ...(merged.initFrom ? { initFrom: merged.initFrom } : {}),
    ...(merged.freeze !== undefined ? { freeze: merged.freeze } : {}),
  };
}

/** A preset's averaging in the `--average` form (`ema:0.999`, `swa:5`, `none`). */
export function describeAveraging(averaging: AveragingOptions | undefined): string {
  if (averaging === undefined) return 'none';
  return averaging.kind === 'ema' ? `ema:${averaging.decay}${averaging.startEpoch === undefined ? '' : `,${averaging.startEpoch}`}` : `swa:${averaging.epochs}`;
}

/**
 * The option that decides from the validation score after every epoch, as the user wrote it
 * (`--early-stop`, or a `--schedule` that watches it: plateau), or null: with one, validation
 * is scored every epoch whatever the preset says.
 */
export function validationWatcher(earlyStop: number | null, schedule: string | null): string | null {
  if (earlyStop !== null) return '--early-stop';
  return schedule !== null && createSchedule(schedule, 1, { epochs: 1 }).monitor === 'validationAccuracy' ? `--schedule ${schedule}` : null;
}

function usageChecked(option: string, value: string | undefined, parse: (text: string) => unknown): void {
  if (!value) return;
  try {
    parse(value);
  } catch (error) {
    throw new UsageError(`${option}: ${(error as Error).message}`);
  }
}

/**
 * The network a run trains: the --arch string's, or the preset's (an ensemble member's network
 * of the preset, `settings.network`); `--label-smoothing` sets its
 * loss's ε. `maxParams` bounds what the string may declare (a run file passes the values it stores).
 */
export function modelDefinitionOf(settings: TrainSettings, options: { maxParams?: number } = {}): ModelDefinition {
  const preset = resolvePreset(settings.preset);
  const definition =
    settings.arch === null
      ? settings.network === undefined
        ? preset.model
        : presetNetwork(preset, settings.network).model
      : parseArchitecture(settings.arch, {
          ...(settings.activation ? { activation: settings.activation } : {}),
          ...(settings.loss ? { loss: settings.loss } : {}),
          ...(settings.init ? { init: settings.init } : {}),
          ...(options.maxParams === undefined ? {} : { maxParams: options.maxParams }),
        });
  const smoothing = settings.labelSmoothing ?? null;
  if (smoothing === null) return definition;
  if (definition.loss?.kind !== 'softmaxCrossEntropy') {
    throw new UsageError(`--label-smoothing applies to the softmax cross-entropy (softmax-ce), not ${definition.loss?.kind ?? 'this network'}'s loss`);
  }
  return { ...definition, loss: { kind: 'softmaxCrossEntropy', labelSmoothing: smoothing } };
}

/**
 * The training and test sets of a run. The embedded MNIST gets the preset's validation split
 * and expansion; a Kaggle CSV is split 75 / 25 with a fixed seed (0, the notebook's
 * `random_state=0`), the same split `nnkit eval --data csv:FILE` scores. `classes`: how many
 * the data has, and their names when it names them (`dataClasses`).
 */
export function loadTrainingData(settings: TrainSettings): { data: FitData; classes: DataClasses } {
  const preset = resolvePreset(settings.preset);
  let data: FitData;
  let classes: DataClasses = { count: 10 };
  if (settings.data === 'mnist') {
    data = presetData(preset, loadMnist());
  } else {
    const loaded = loadData(settings.data, { skipBad: settings.skipBad });
    const { train, test } = splitData(settings.data, loaded);
    data = { train, test };
    classes = dataClasses(loaded);
  }
  if (settings.limit !== null) {
    if (settings.limit > data.train.count) {
      throw new UsageError(`--limit ${settings.limit} exceeds the ${data.train.count} training images of ${settings.data}`);
    }
    data = { ...data, train: sliceDataset(data.train, 0, settings.limit) };
  }
  return { data, classes };
}
