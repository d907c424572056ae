import { checkNumber } from './optimizer.js';
import { PlateauTracker } from './plateau.js';

/** η stays at its initial value. */
export interface ConstantScheduleSpec {
  readonly kind: 'constant';
}
/** η = η₀·factor^⌊epoch/every⌋ (epoch counted from 0). */
export interface StepScheduleSpec {
  readonly kind: 'step';
  readonly every: number;
  readonly factor: number;
}
/** η = η₀·factor^epoch. */
export interface ExponentialScheduleSpec {
  readonly kind: 'exponential';
  readonly factor: number;
}
/** η = η_min + (η₀ − η_min)·(1 + cos(π·epoch/epochs))/2; `epochs` defaults to the run's length. */
export interface CosineScheduleSpec {
  readonly kind: 'cosine';
  readonly epochs?: number;
  readonly minLearningRate?: number;
}
/**
 * sklearn's `invscaling`: η = η₀/(t + 1)^powerT after each epoch, where t counts the training
 * examples seen so far (sklearn's `t_`), so η falls to η₀/√(n + 1) after the first epoch.
 */
export interface InvScalingScheduleSpec {
  readonly kind: 'invscaling';
  readonly powerT?: number;
}
/**
 * sklearn's `adaptive`: η ÷ `factor` (5) each time `patience` (2) consecutive epochs fail to
 * lower the training loss by `tol` (1e-4) below the best so far (or, with `monitor:
 * 'validationAccuracy'`, to raise it by `tol`); training stops when η would need dividing
 * while already ≤ `minLearningRate` (1e-6). sklearn's code counts `n_iter_no_change + 1` (11)
 * epochs rather than the 2 its documentation says: `adaptive:1e-4,11` reproduces the code.
 */
export interface AdaptiveScheduleSpec {
  readonly kind: 'adaptive';
  readonly tol?: number;
  readonly patience?: number;
  readonly factor?: number;
  readonly minLearningRate?: number;
  readonly monitor?: 'trainLoss' | 'validationAccuracy';
}
/**
 * Nielsen's ch. 3 schedule: halve η (`factor` 0.5) each time validation accuracy has not
 * improved on its best for `patience` epochs (the "no-improvement-in-n" rule), and stop once η
 * would drop to η₀/`stopDivisor` (128).
 */
export interface PlateauScheduleSpec {
  readonly kind: 'plateau';
  readonly patience: number;
  readonly factor?: number;
  readonly stopDivisor?: number;
  readonly monitor?: 'trainLoss' | 'validationAccuracy';
}

/**
 * Linear warm-up, then another schedule: for the first `epochs` epochs η rises step by step,
 * η = η₀·(s + 1)/W at step s of W = epochs·(steps per epoch); then `then` (default constant)
 * runs as if the run began there, over the remaining epochs.
 */
export interface WarmupScheduleSpec {
  readonly kind: 'warmup';
  readonly epochs: number;
  readonly then?: ScheduleSpec;
}
/**
 * PyTorch's OneCycleLR (Smith & Topin 2019, two phases, cosine annealing), stepped every
 * mini-batch over T = epochs·(steps per epoch) steps: η rises from η_max/divFactor to η_max
 * over the first pctStart·T − 1 steps, then falls to η_max/(divFactor·finalDivFactor) at step
 * T − 1, each phase as end + (start − end)·(1 + cos(π·pct))/2. η_max defaults to the
 * optimizer's learning rate; momentum is not cycled.
 */
export interface OneCycleScheduleSpec {
  readonly kind: 'onecycle';
  readonly maxLearningRate?: number;
  readonly pctStart?: number;
  readonly divFactor?: number;
  readonly finalDivFactor?: number;
  readonly epochs?: number;
}

/** Every learning-rate schedule's JSON-able description. */
export type ScheduleSpec =
  | WarmupScheduleSpec
  | OneCycleScheduleSpec
  | ConstantScheduleSpec
  | StepScheduleSpec
  | ExponentialScheduleSpec
  | CosineScheduleSpec
  | InvScalingScheduleSpec
  | AdaptiveScheduleSpec
  | PlateauScheduleSpec;

/** What a schedule learns at the end of each epoch. */
export interface EpochReport {
  /** Epochs completed so far (1 after the first). */
  readonly epoch: number;
  /** Training examples processed so far, over all epochs. */
  readonly samplesSeen: number;
  readonly trainLoss: number;
  readonly validationAccuracy?: number;
}

/** A schedule's progress, plain JSON, for checkpoints. */
export interface ScheduleState {
  readonly kind: ScheduleSpec['kind'];
  readonly learningRate: number;
  readonly stopRequested: boolean;
  readonly best: number | null;
  readonly epochsWithoutImprovement: number;
}

/**
 * Decides η epoch by epoch. Read `learningRate` before an epoch, call `epochEnd` after it;
 * `stopRequested` turns true when the schedule ends training (adaptive, plateau).
 */
export interface Schedule {
  /** The spec with defaults filled in. */
  readonly config: ScheduleSpec;
  readonly initialLearningRate: number;
  readonly learningRate: number;
  readonly stopRequested: boolean;
  /** Which report field the schedule watches, if any (the loop must then supply it). */
  readonly monitor: 'trainLoss' | 'validationAccuracy' | null;
  /** Takes the epoch's report and sets the next epoch's `learningRate` (or `stopRequested`). */
  epochEnd(report: EpochReport): void;
  /**
   * Schedules that change η within an epoch (warmup, onecycle): η for the mini-batch `step`
   * (0-based over the whole run) with `stepsPerEpoch` batches an epoch. Absent: η changes only
   * between epochs.
   */
  stepRate?(step: number, stepsPerEpoch: number): number;
  /** What the schedule has seen so far, as JSON-able data, to resume from. */
  getState(): ScheduleState;
  /** Restores what `getState` returned. */
  setState(state: ScheduleState): void;
}

/** Every schedule kind `parseSchedule`/`createSchedule` accept, with its text form. */
export const scheduleForms: Readonly<Record<ScheduleSpec['kind'], string>> = {
  constant: 'constant',
  step: 'step:<every epochs>,<factor>  e.g. step:10,0.5',
  exponential: 'exponential:<factor>  e.g. exponential:0.95',
  cosine: 'cosine[:<epochs>[,<min learning rate>]]  e.g. cosine:30,0.0001',
  invscaling: 'invscaling[:<power_t>]  e.g. invscaling:0.5',
  adaptive: 'adaptive[:<tol>[,<patience>[,<factor>]]]  e.g. adaptive:0.0001,2',
  plateau: 'plateau:<patience>[,<factor>[,<stop divisor>]]  e.g. plateau:10,0.5,128',
  warmup: 'warmup:<epochs>[,<schedule>]  e.g. warmup:2,cosine',
  onecycle: 'onecycle[:<max learning rate>[,<pct start>[,<div factor>[,<final div factor>]]]]  e.g. onecycle:0.003',
};

function positiveInteger(value: unknown, name: string, owner: string): number {
  if (!Number.isInteger(value) || (value as number) <= 0) {
    throw new RangeError(`${owner}: ${name} must be a positive integer, got ${JSON.stringify(value) ?? String(value)}`);
  }
  return value as number;
}

function monitorOf(value: unknown, fallback: 'trainLoss' | 'validationAccuracy', owner: string): 'trainLoss' | 'validationAccuracy' {
  if (value === undefined) return fallback;
  if (value !== 'trainLoss' && value !== 'validationAccuracy') {
    throw new TypeError(`${owner}: monitor must be "trainLoss" or "validationAccuracy", got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Fills defaults and checks every field; throws naming the field. */
export function normalizeSchedule(spec: ScheduleSpec, options: { epochs?: number } = {}): ScheduleSpec {
  if (spec === null || typeof spec !== 'object') throw new TypeError('schedule: expected a spec object like {kind: "step", every: 10, factor: 0.5}');
  const owner = `schedule ${spec.kind}`;
  switch (spec.kind) {
    case 'warmup': {
      const epochs = positiveInteger(spec.epochs, 'epochs', owner);
      if (options.epochs !== undefined && epochs >= options.epochs) {
        throw new RangeError(`${owner}: epochs ${epochs} leaves none of the run's ${options.epochs} epochs after the warm-up`);
      }
      const rest = options.epochs === undefined ? {} : { epochs: options.epochs - epochs };
      const then = spec.then ?? { kind: 'constant' };
      if (then.kind === 'warmup') throw new RangeError(`${owner}: then: a warm-up cannot follow a warm-up`);
      return { kind: 'warmup', epochs, then: normalizeSchedule(then, rest) };
    }
    case 'onecycle': {
      const epochs = spec.epochs ?? options.epochs;
      if (epochs === undefined) throw new RangeError(`${owner}: epochs is needed (the run's epoch count)`);
      return {
        kind: 'onecycle',
        ...(spec.maxLearningRate === undefined ? {} : { maxLearningRate: checkNumber(spec.maxLearningRate, 'maxLearningRate', owner, 0, Infinity, true) }),
        pctStart: checkNumber(spec.pctStart ?? 0.3, 'pctStart', owner, 0, 1, true),
        divFactor: checkNumber(spec.divFactor ?? 25, 'divFactor', owner, 1, Infinity, true),
        finalDivFactor: checkNumber(spec.finalDivFactor ?? 1e4, 'finalDivFactor', owner, 1, Infinity, true),
        epochs: positiveInteger(epochs, 'epochs', owner),
      };
    }
    case 'constant':
      return { kind: 'constant' };
    case 'step':
      return { kind: 'step', every: positiveInteger(spec.every, 'every', owner), factor: checkNumber(spec.factor, 'factor', owner, 0, Infinity) };
    case 'exponential':
      return { kind: 'exponential', factor: checkNumber(spec.factor, 'factor', owner, 0, Infinity) };
    case 'cosine': {
      const epochs = spec.epochs ?? options.epochs;
      if (epochs === undefined) throw new RangeError(`${owner}: epochs is needed (give cosine:<epochs> or the run's epoch count)`);
      return {
        kind: 'cosine',
        epochs: positiveInteger(epochs, 'epochs', owner),
        minLearningRate: checkNumber(spec.minLearningRate ?? 0, 'minLearningRate', owner, 0, Infinity),
      };
    }
    case 'invscaling':
      return { kind: 'invscaling', powerT: checkNumber(spec.powerT ?? 0.5, 'powerT', owner, 0, Infinity) };
    case 'adaptive':
      return {
        kind: 'adaptive',
        tol: checkNumber(spec.tol ?? 1e-4, 'tol', owner, 0, Infinity),
        patience: positiveInteger(spec.patience ?? 2, 'patience', owner),
        factor: checkNumber(spec.factor ?? 5, 'factor', owner, 1, Infinity),
        minLearningRate: checkNumber(spec.minLearningRate ?? 1e-6, 'minLearningRate', owner, 0, Infinity),
        monitor: monitorOf(spec.monitor, 'trainLoss', owner),
      };
    case 'plateau':
      return {
        kind: 'plateau',
        patience: positiveInteger(spec.patience, 'patience', owner),
        factor: checkNumber(spec.factor ?? 0.5, 'factor', owner, 0, 1, true),
        stopDivisor: checkNumber(spec.stopDivisor ?? 128, 'stopDivisor', owner, 1, Infinity),
        monitor: monitorOf(spec.monitor, 'validationAccuracy', owner),
      };
    default:
      throw new TypeError(
        `schedule: kind: expected one of ${Object.keys(scheduleForms).join(', ')}, got ${JSON.stringify((spec as { kind: unknown }).kind)}`,
      );
  }
}

/**
 * Parses the text form used on command lines: `kind[:a,b,…]`, e.g. `step:10,0.5`,
 * `exponential:0.95`, `cosine:30`, `invscaling:0.5`, `adaptive`, `plateau:10`.
 * Throws one line naming the text, what was wrong and the expected form.
 */
export function parseSchedule(text: string): ScheduleSpec {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new TypeError(`schedule: expected text like "step:10,0.5", got ${JSON.stringify(text)}`);
  }
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  const kind = (colon < 0 ? trimmed : trimmed.slice(0, colon)).trim();
  const argumentText = colon < 0 ? '' : trimmed.slice(colon + 1).trim();
  if (!(kind in scheduleForms)) {
    throw new TypeError(`schedule "${text}": unknown kind "${kind}"; expected one of ${Object.keys(scheduleForms).join(', ')}`);
  }
  const form = scheduleForms[kind as ScheduleSpec['kind']];
  if (kind === 'warmup') return parseWarmup(text, argumentText, form);
  const numbers = argumentText === '' ? [] : argumentText.split(',').map((part) => part.trim());
  const values = numbers.map((part, i) => {
    const value = part === '' ? NaN : Number(part);
    if (!Number.isFinite(value)) throw new TypeError(`schedule "${text}": argument ${i + 1} ("${part}") is not a number; expected ${form}`);
    return value;
  });
  const arity: Record<Exclude<ScheduleSpec['kind'], 'warmup'>, [number, number]> = {
    onecycle: [0, 4],
    constant: [0, 0],
    step: [2, 2],
    exponential: [1, 1],
    cosine: [0, 2],
    invscaling: [0, 1],
    adaptive: [0, 3],
    plateau: [1, 3],
  };
  const [low, high] = arity[kind as Exclude<ScheduleSpec['kind'], 'warmup'>];
  if (values.length < low || values.length > high) {
    const expected = low === high ? `${low}` : `${low} to ${high}`;
    throw new TypeError(`schedule "${text}": ${kind} takes ${expected} argument${high === 1 ? '' : 's'}, got ${values.length}; expected ${form}`);
  }
  const spec = ((): ScheduleSpec => {
    switch (kind as Exclude<ScheduleSpec['kind'], 'warmup'>) {
      case 'onecycle':
        return { kind: 'onecycle', maxLearningRate: values[0], pctStart: values[1], divFactor: values[2], finalDivFactor: values[3] };
      case 'constant':
        return { kind: 'constant' };
      case 'step':
        return { kind: 'step', every: values[0], factor: values[1] };
      case 'exponential':
        return { kind: 'exponential', factor: values[0] };
      case 'cosine':
        return { kind: 'cosine', epochs: values[0], minLearningRate: values[1] };
      case 'invscaling':
        return { kind: 'invscaling', powerT: values[0] };
      case 'adaptive':
        return { kind: 'adaptive', tol: values[0], patience: values[1], factor: values[2] };
      case 'plateau':
        return { kind: 'plateau', patience: values[0], factor: values[1], stopDivisor: values[2] };
    }
  })();
  // Validate now so the message names the text; leave epochs open for cosine without one.
  try {
    const withoutUndefined = Object.fromEntries(Object.entries(spec).filter(([, value]) => value !== undefined)) as unknown as ScheduleSpec;
    normalizeSchedule(withoutUndefined, { epochs: 1 });
    return withoutUndefined;
  } catch (error) {
    throw new RangeError(`schedule "${text}": ${(error as Error).message.replace(/^schedule \w+: /, '')}; expected ${form}`);
  }
}

/** `warmup:E[,<schedule>]`: the warm-up's epochs, then any other schedule's text (commas and all). */
function parseWarmup(text: string, argumentText: string, form: string): ScheduleSpec {
  const comma = argumentText.indexOf(',');
  const epochsText = (comma < 0 ? argumentText : argumentText.slice(0, comma)).trim();
  const epochs = epochsText === '' ? NaN : Number(epochsText);
  if (!Number.isInteger(epochs) || epochs <= 0) throw new TypeError(`schedule "${text}": warm-up epochs ("${epochsText}") must be a positive integer; expected ${form}`);
  const thenText = comma < 0 ? '' : argumentText.slice(comma + 1).trim();
  const then = thenText === '' ? undefined : parseSchedule(thenText);
  if (then?.kind === 'warmup') throw new TypeError(`schedule "${text}": a warm-up cannot follow a warm-up; expected ${form}`);
  return then === undefined ? { kind: 'warmup', epochs } : { kind: 'warmup', epochs, then };
}

/** The one-cycle η at `step` of `total` (PyTorch's OneCycleLR, two phases, cosine annealing). */
export function oneCycleRate(config: OneCycleScheduleSpec & { maxLearningRate: number }, step: number, total: number): number {
  const max = config.maxLearningRate;
  const initial = max / (config.divFactor ?? 25);
  const minimum = initial / (config.finalDivFactor ?? 1e4);
  const anneal = (start: number, end: number, pct: number): number => end + ((start - end) * (1 + Math.cos(Math.PI * pct))) / 2;
  const peak = (config.pctStart ?? 0.3) * total - 1;
  if (step <= peak) return anneal(initial, max, peak > 0 ? step / peak : 1);
  return anneal(max, minimum, Math.min(1, (step - peak) / (total - 1 - peak)));
}

/** `createSchedule(spec | text, η₀, {epochs})`: the schedule object a training loop drives. */
export function createSchedule(spec: ScheduleSpec | string, initialLearningRate: number, options: { epochs?: number } = {}): Schedule {
  const config = normalizeSchedule(typeof spec === 'string' ? parseSchedule(spec) : spec, options);
  const eta0 = checkNumber(initialLearningRate, 'initialLearningRate', `schedule ${config.kind}`, 0, Infinity);
  if (config.kind === 'warmup') return createWarmup(config, eta0);
  if (config.kind === 'onecycle') return createOneCycle(config, eta0);
  let learningRate = eta0;
  let stopRequested = false;
  // sklearn's adaptive counts an epoch unless it beats the best by tol; Nielsen's plateau unless it sets a new best.
  const plateau = new PlateauTracker(config.kind === 'plateau' ? 'newBest' : { tol: config.kind === 'adaptive' ? (config.tol ?? 1e-4) : 0 });
  const monitor = config.kind === 'adaptive' || config.kind === 'plateau' ? config.monitor ?? null : null;

  // Adaptive and plateau both watch a metric, as a score that grows when things improve.
  const observe = (report: EpochReport): void => {
    const raw = monitor === 'validationAccuracy' ? report.validationAccuracy : report.trainLoss;
    if (raw === undefined || !Number.isFinite(raw)) {
      throw new RangeError(`schedule ${config.kind}: epoch ${report.epoch} reported no finite ${monitor}, which this schedule watches`);
    }
    plateau.observe(monitor === 'trainLoss' ? -raw : raw);
  };

  const schedule: Schedule = {
    config,
    initialLearningRate: eta0,
    get learningRate() {
      return learningRate;
    },
    get stopRequested() {
      return stopRequested;
    },
    monitor,
    epochEnd(report) {
      const epoch = report.epoch;
      switch (config.kind) {
        case 'constant':
          return;
        case 'step':
          learningRate = eta0 * Math.pow(config.factor, Math.floor(epoch / config.every));
          return;
        case 'exponential':
          learningRate = eta0 * Math.pow(config.factor, epoch);
          return;
        case 'cosine': {
          const epochs = config.epochs as number;
          const minimum = config.minLearningRate ?? 0;
          const progress = Math.min(epoch, epochs) / epochs;
          learningRate = minimum + ((eta0 - minimum) * (1 + Math.cos(Math.PI * progress))) / 2;
          return;
        }
        case 'invscaling':
          learningRate = eta0 / Math.pow(report.samplesSeen + 1, config.powerT ?? 0.5);
          return;
        case 'adaptive': {
          observe(report);
          // `patience` stalled epochs trigger (sklearn's code fires at n_iter_no_change + 1).
          if (plateau.epochsWithoutImprovement >= (config.patience ?? 2)) {
            if (learningRate <= (config.minLearningRate ?? 1e-6)) stopRequested = true;
            else learningRate /= config.factor ?? 5;
            plateau.restart();
          }
          return;
        }
        case 'plateau': {
          observe(report);
          if (plateau.epochsWithoutImprovement >= config.patience) {
            const next = learningRate * (config.factor ?? 0.5);
            // A small tolerance so η₀·0.5⁷ counts as reaching η₀/128 despite rounding.
            if (next <= (eta0 / (config.stopDivisor ?? 128)) * (1 + 1e-9)) stopRequested = true;
            else learningRate = next;
            plateau.restart();
          }
          return;
        }
      }
    },
    getState() {
      return { kind: config.kind, learningRate, stopRequested, ...plateau.getState() };
    },
    setState(state) {
      const owner = `schedule ${config.kind}.setState`;
      if (state === null || typeof state !== 'object') throw new TypeError(`${owner}: expected a schedule state object`);
      if (state.kind !== config.kind) throw new TypeError(`${owner}: kind: expected "${config.kind}", got ${JSON.stringify(state.kind)}`);
      const rate = checkNumber(state.learningRate, 'learningRate', owner, 0, Infinity);
      if (typeof state.stopRequested !== 'boolean') throw new TypeError(`${owner}: stopRequested: expected a boolean`);
      if (state.best !== null && typeof state.best !== 'number') throw new TypeError(`${owner}: best: expected a number or null`);
      if (!Number.isInteger(state.epochsWithoutImprovement) || state.epochsWithoutImprovement < 0) {
        throw new RangeError(`${owner}: epochsWithoutImprovement: expected an integer >= 0`);
      }
      learningRate = rate;
      stopRequested = state.stopRequested;
      plateau.setState(state);
    },
  };
  return schedule;
}

/** Reads a schedule state's common fields for `owner`, checking its kind. */
function checkedState(state: ScheduleState, kind: ScheduleSpec['kind'], owner: string): ScheduleState {
  if (state === null || typeof state !== 'object') throw new TypeError(`${owner}: expected a schedule state object`);
  if (state.kind !== kind) throw new TypeError(`${owner}: kind: expected "${kind}", got ${JSON.stringify(state.kind)}`);
  checkNumber(state.learningRate, 'learningRate', owner, 0, Infinity);
  return state;
}

/** A warm-up in front of its `then` schedule, which sees epochs counted from the warm-up's end. */
function createWarmup(config: WarmupScheduleSpec, eta0: number): Schedule {
  const inner = createSchedule(config.then ?? { kind: 'constant' }, eta0);
  const warmupEpochs = config.epochs;
  let learningRate = inner.learningRate;
  return {
    config,
    initialLearningRate: eta0,
    get learningRate() {
      return learningRate;
    },
    get stopRequested() {
      return inner.stopRequested;
    },
    monitor: inner.monitor,
    epochEnd(report) {
      if (report.epoch > warmupEpochs) inner.epochEnd({ ...report, epoch: report.epoch - warmupEpochs });
      learningRate = inner.learningRate;
    },
    stepRate(step, stepsPerEpoch) {
      const warmupSteps = warmupEpochs * stepsPerEpoch;
      learningRate =
        step < warmupSteps ? (eta0 * (step + 1)) / warmupSteps : inner.stepRate ? inner.stepRate(step - warmupSteps, stepsPerEpoch) : inner.learningRate;
      return learningRate;
    },
    getState() {
      return { ...inner.getState(), kind: 'warmup', learningRate };
    },
    setState(state) {
      const checked = checkedState(state, 'warmup', 'schedule warmup.setState');
      inner.setState({ ...checked, kind: inner.config.kind, learningRate: checked.learningRate });
      learningRate = checked.learningRate;
    },
  };
}

/** PyTorch's OneCycleLR as a schedule: η is a function of the step alone, so its state is η. */
function createOneCycle(config: OneCycleScheduleSpec, eta0: number): Schedule {
  const cycle = { ...config, maxLearningRate: config.maxLearningRate ?? eta0 };
  let learningRate = cycle.maxLearningRate / (config.divFactor ?? 25);
  return {
    config,
    initialLearningRate: eta0,
    get learningRate() {
      return learningRate;
    },
    stopRequested: false,
    monitor: null,
    epochEnd() {},
    stepRate(step, stepsPerEpoch) {
      learningRate = oneCycleRate(cycle, step, (config.epochs as number) * stepsPerEpoch);
      return learningRate;
    },
    getState() {
      return { kind: 'onecycle', learningRate, stopRequested: false, best: null, epochsWithoutImprovement: 0 };
    },
    setState(state) {
      learningRate = checkedState(state, 'onecycle', 'schedule onecycle.setState').learningRate;
    },
  };
}
