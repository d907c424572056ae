import { decodeFloat32, encodeFloat32 } from '@nnkit/optim';
import type { TensorRecord } from './checkpoint.js';

/**
 * Averaging of the weights over the end of a run, used in place of the last weights once `fit`
 * ends:
 * - `{kind: 'ema', decay, startEpoch?}`: an exponential moving average updated after every
 *   step from epoch `startEpoch` (1-based, default 1), avg ← d·avg + (1 − d)·w, the first
 *   update copying w; d = min(decay, (1 + n)/(10 + n)) after n updates, TensorFlow's
 *   `ExponentialMovingAverage` with `num_updates`, so a short run is not an average dominated
 *   by its first weights;
 * - `{kind: 'swa', epochs}`: the plain mean of the weights at the end of each of the last
 *   `epochs` epochs (Izmailov et al. 2018, stochastic weight averaging).
 *
 * Layer state (batch norm's running mean and variance) is averaged the same way as the
 * weights rather than recomputed by a further pass over the training images (PyTorch's
 * `update_bn`): it costs nothing, needs no training data at the end, and late in a run, when
 * the learning rate has decayed, the averaged statistics stay close to those of the averaged
 * weights. Recomputing would be the safer choice for SWA at a high constant learning rate.
 */
export type AveragingOptions =
  | { readonly kind: 'ema'; readonly decay: number; readonly startEpoch?: number }
  | { readonly kind: 'swa'; readonly epochs: number };

/** The averaging's progress in a checkpoint: how many updates were averaged, and the averages. */
export interface AveragingState {
  readonly count: number;
  readonly tensors: readonly TensorRecord[];
}

/** A parameter or layer-state tensor by name: what the averaging keeps a running mean of. */
export type NamedTensor = { readonly name: string; readonly value: { readonly shape: readonly number[]; readonly data: Float32Array } };

/** Text forms `ema:<decay>[,<start epoch>]` and `swa:<epochs>`, as `--average` takes them. */
export const averagingForms = 'ema:<decay>[,<start epoch>] (e.g. ema:0.999) or swa:<last epochs> (e.g. swa:5)';

/** Checks averaging options against a run of `epochs` epochs; throws one line naming the field. */
export function checkAveraging(options: AveragingOptions, epochs: number): AveragingOptions {
  if (options === null || typeof options !== 'object') throw new TypeError(`fit: averaging: expected ${averagingForms}`);
  if (options.kind === 'ema') {
    if (typeof options.decay !== 'number' || !(options.decay > 0 && options.decay < 1)) {
      throw new RangeError(`fit: averaging.decay must be a number in (0, 1), got ${JSON.stringify(options.decay)}`);
    }
    const start = options.startEpoch ?? 1;
    if (!Number.isInteger(start) || start < 1 || start > epochs) {
      throw new RangeError(`fit: averaging.startEpoch must be an integer in [1, ${epochs}] (the run's epochs), got ${JSON.stringify(options.startEpoch)}`);
    }
    return { kind: 'ema', decay: options.decay, startEpoch: start };
  }
  if (options.kind === 'swa') {
    if (!Number.isInteger(options.epochs) || options.epochs < 1 || options.epochs > epochs) {
      throw new RangeError(`fit: averaging.epochs must be an integer in [1, ${epochs}] (the run's epochs), got ${JSON.stringify(options.epochs)}`);
    }
    return { kind: 'swa', epochs: options.epochs };
  }
  throw new TypeError(`fit: averaging.kind: expected "ema" or "swa", got ${JSON.stringify((options as { kind: unknown }).kind)}`);
}

/** Parses `ema:0.999`, `ema:0.999,10` or `swa:5`; throws one line naming the text and the expected forms. */
export function parseAveraging(text: string): AveragingOptions {
  const match = /^\s*(ema|swa)\s*:\s*([^,\s]+)\s*(?:,\s*([^,\s]+)\s*)?$/.exec(text);
  const fail = (): never => {
    throw new TypeError(`averaging "${text}": expected ${averagingForms}`);
  };
  if (!match) return fail();
  const first = Number(match[2]);
  const second = match[3] === undefined ? undefined : Number(match[3]);
  if (!Number.isFinite(first) || (second !== undefined && !Number.isFinite(second))) return fail();
  if (match[1] === 'swa') return match[3] === undefined ? { kind: 'swa', epochs: first } : fail();
  return second === undefined ? { kind: 'ema', decay: first } : { kind: 'ema', decay: first, startEpoch: second };
}

/** Keeps the average of `tensors` (parameters, then layer state) as a run goes; `apply` puts it in their place. */
export class WeightAveraging {
  readonly options: AveragingOptions;
  private readonly tensors: readonly NamedTensor[];
  private readonly averages: Float32Array[];
  private readonly epochs: number;
  private count = 0;

  /** `epochs`: the run's length (SWA averages its last `options.epochs`). */
  constructor(options: AveragingOptions, tensors: readonly NamedTensor[], epochs: number) {
    this.options = checkAveraging(options, epochs);
    this.tensors = tensors;
    this.averages = tensors.map((tensor) => new Float32Array(tensor.value.data.length));
    this.epochs = epochs;
  }

  /** How many updates the average holds (0: none yet, `apply` does nothing). */
  get updates(): number {
    return this.count;
  }

  /** After each optimizer step of epoch `epoch` (0-based): the EMA update. */
  afterStep(epoch: number): void {
    const { options } = this;
    if (options.kind !== 'ema' || epoch + 1 < (options.startEpoch ?? 1)) return;
    if (this.count === 0) this.copyIn();
    else this.blend(Math.min(options.decay, (1 + this.count) / (10 + this.count)));
    this.count++;
  }

  /** After epoch `epoch` (0-based) ends: the SWA update, a running mean. */
  afterEpoch(epoch: number): void {
    const { options } = this;
    if (options.kind !== 'swa' || epoch + 1 <= this.epochs - options.epochs) return;
    this.count++;
    if (this.count === 1) this.copyIn();
    else this.blend(1 - 1 / this.count);
  }

  /** Writes the average into the tensors; false (and nothing written) when nothing was averaged. */
  apply(): boolean {
    if (this.count === 0) return false;
    this.tensors.forEach((tensor, i) => tensor.value.data.set(this.averages[i]));
    return true;
  }

  /** The running mean and how many snapshots it holds, for a checkpoint. */
  getState(): AveragingState {
    return {
      count: this.count,
      tensors: this.tensors.map((tensor, i) => ({ name: tensor.name, shape: [...tensor.value.shape], data: encodeFloat32(this.averages[i]) })),
    };
  }

  /** Restores what `getState` returned (resuming from a checkpoint). */
  setState(state: AveragingState): void {
    if (state.tensors.length !== this.tensors.length) {
      throw new RangeError(`fit: resume: the checkpoint averages ${state.tensors.length} tensors but the model has ${this.tensors.length}`);
    }
    const values = state.tensors.map((record, i) => decodeFloat32(record.data, `fit: resume: averaging.tensors[${i}] (${record.name})`, this.averages[i].length));
    values.forEach((data, i) => this.averages[i].set(data));
    this.count = state.count;
  }

  private copyIn(): void {
    this.tensors.forEach((tensor, i) => this.averages[i].set(tensor.value.data));
  }

  /** avg ← keep·avg + (1 − keep)·w. */
  private blend(keep: number): void {
    const add = 1 - keep;
    this.tensors.forEach((tensor, i) => {
      const average = this.averages[i];
      const value = tensor.value.data;
      for (let j = 0; j < average.length; j++) average[j] = keep * average[j] + add * value[j];
    });
  }
}
