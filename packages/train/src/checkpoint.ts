import type { OptimizerState, ScheduleState } from '@nnkit/optim';
import { decodeFloat32, type RngState } from '@nnkit/tensor';
import type { EarlyStoppingState } from './early-stopping.js';
import type { EpochRecord } from './history.js';
import type { AveragingState } from './weight-averaging.js';

/** A named tensor in a checkpoint: shape and base64 little-endian float32 values. */
export interface TensorRecord {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: string;
}

/**
 * Everything `fit` needs to continue a run exactly where it stopped: model parameters and
 * layer state, optimizer and schedule state, the random streams, the position (epochs done,
 * batches done in the current epoch, with that epoch's running sums), early-stopping progress
 * and the history so far. Plain JSON; `serializeCheckpoint`/`parseCheckpoint` turn it into text
 * and back. Resuming with the same data and options gives byte-identical final parameters.
 */
export interface CheckpointState {
  readonly format: 'nnkit-checkpoint';
  readonly version: 1;
  readonly seed: string;
  readonly batchSize: number;
  /** Training images per epoch (after any validation split), checked on resume. */
  readonly trainCount: number;
  /**
   * Threads each mini-batch was split over, checked on resume: another count sums the
   * gradients in another order. Absent (and not checked) in checkpoints written before it was
   * recorded.
   */
  readonly threads?: number;
  readonly position: {
    /** Epochs completed. */
    readonly epoch: number;
    /** Batches completed in epoch `epoch + 1` (0 at an epoch boundary). */
    readonly batch: number;
  };
  readonly params: readonly TensorRecord[];
  readonly state: readonly TensorRecord[];
  readonly optimizer: OptimizerState;
  readonly schedule: ScheduleState;
  readonly rng: {
    /** The shuffling stream at the start of the current epoch (the epoch's order is redrawn from it). */
    readonly shuffle: RngState;
    readonly dropout: RngState;
    readonly augment: RngState;
  };
  /** Running sums of the current epoch's finished batches. */
  readonly epochProgress: { readonly lossSum: number; readonly correct: number; readonly seen: number; readonly seconds: number };
  readonly earlyStopping: EarlyStoppingState | null;
  readonly history: readonly EpochRecord[];
  /** The weight averaging's progress, in runs that average (absent otherwise). */
  readonly averaging?: AveragingState;
  /**
   * `crc32:<8 hex digits>` of the stored numbers (`checkpointChecksum`), written by
   * `serializeCheckpoint` and checked by `parseCheckpoint`; absent in older checkpoints.
   */
  readonly checksum?: string;
}

/** A checkpoint file that is not what it should be: `<source>: <field path>: <what was expected>`. */
export class CheckpointFormatError extends Error {
  readonly source: string;
  readonly path: string;
  constructor(source: string, path: string, expected: string) {
    super(`${source}: ${path}: ${expected}`);
    this.name = 'CheckpointFormatError';
    this.source = source;
    this.path = path;
  }
}

/** CRC-32 lookup table (IEEE polynomial, reflected), built on first use. */
let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE, as zlib and PNG use it) of the low bytes of `texts`' code units (all ASCII here). */
function crc32(texts: readonly string[]): number {
  crcTable ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let bit = 0; bit < 8; bit++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c;
  });
  let crc = 0xffffffff;
  for (const text of texts) {
    for (let i = 0; i < text.length; i++) crc = crcTable[(crc ^ text.charCodeAt(i)) & 0xff] ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * `crc32:<8 hex digits>` over everything a resumed run continues from that is stored as base64:
 * parameters, layer state and optimizer buffers. One flipped character anywhere in them changes it.
 */
export function checkpointChecksum(state: Pick<CheckpointState, 'params' | 'state' | 'optimizer'>): string {
  const slots = Object.keys(state.optimizer.slots)
    .sort()
    .flatMap((name) => [name, ...state.optimizer.slots[name]]);
  const texts = [...state.params, ...state.state].flatMap((tensor) => [tensor.name, tensor.shape.join(','), tensor.data]);
  return `crc32:${crc32([...texts, ...slots]).toString(16).padStart(8, '0')}`;
}

/** The checkpoint as JSON text (one object; parameters are base64 inside it), with its checksum. */
export function serializeCheckpoint(state: CheckpointState): string {
  return JSON.stringify({ ...state, checksum: checkpointChecksum(state) });
}

type Json = unknown;

class Reader {
  constructor(readonly source: string) {}

  fail(path: string, expected: string): never {
    throw new CheckpointFormatError(this.source, path, expected);
  }

  object(value: Json, path: string): Record<string, Json> {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) this.fail(path, `expected an object, got ${describe(value)}`);
    return value as Record<string, Json>;
  }

  array(value: Json, path: string): Json[] {
    if (!Array.isArray(value)) this.fail(path, `expected a list, got ${describe(value)}`);
    return value;
  }

  number(value: Json, path: string, options: { integer?: boolean; min?: number } = {}): number {
    const ok = typeof value === 'number' && Number.isFinite(value) && (!options.integer || Number.isInteger(value)) && value >= (options.min ?? -Infinity);
    if (!ok) {
      const kind = options.integer ? 'an integer' : 'a finite number';
      this.fail(path, `expected ${kind}${options.min !== undefined ? ` >= ${options.min}` : ''}, got ${describe(value)}`);
    }
    return value as number;
  }

  string(value: Json, path: string): string {
    if (typeof value !== 'string') this.fail(path, `expected a string, got ${describe(value)}`);
    return value;
  }

  tensors(value: Json, path: string): TensorRecord[] {
    return this.array(value, path).map((entry, i) => {
      const at = `${path}[${i}]`;
      const record = this.object(entry, at);
      const shape = this.array(record.shape, `${at}.shape`).map((d, j) => this.number(d, `${at}.shape[${j}]`, { integer: true, min: 1 }));
      const data = this.string(record.data, `${at}.data`);
      const values = shape.reduce((a, b) => a * b, 1);
      const characters = 4 * Math.ceil((values * 4) / 3); // base64 of 4 bytes a value
      if (data.length !== characters) {
        this.fail(`${at}.data`, `expected base64 of ${values} float32 values (${characters} characters), got ${data.length} characters`);
      }
      let bad = -1;
      let decoded: Float32Array | undefined;
      try {
        decoded = decodeFloat32(data, `${at}.data`, values);
        bad = decoded.findIndex((x) => !Number.isFinite(x));
      } catch {
        this.fail(`${at}.data`, 'expected base64 float32 values, got characters outside base64');
      }
      if (bad >= 0) this.fail(`${at}.data`, `value ${bad} is ${decoded![bad]}, expected finite numbers`);
      return { name: this.string(record.name, `${at}.name`), shape, data };
    });
  }

  rng(value: Json, path: string): RngState {
    const record = this.object(value, path);
    const alea = this.object(record.alea, `${path}.alea`);
    for (const key of ['c', 's0', 's1', 's2']) this.number(alea[key], `${path}.alea.${key}`);
    return { seed: this.string(record.seed, `${path}.seed`), alea };
  }
}

function describe(value: Json): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/**
 * Parses and validates checkpoint text; throws `CheckpointFormatError` naming the field
 * (`<source>: <field path>: <what was expected>`). Optimizer and schedule states are checked
 * in depth when `fit` restores them.
 */
export function parseCheckpoint(text: string, source = 'checkpoint'): CheckpointState {
  let json: Json;
  try {
    json = JSON.parse(text);
  } catch (error) {
    new Reader(source).fail('(file)', `expected JSON text (${(error as Error).message})`);
  }
  return validateCheckpoint(json, source);
}

/** `parseCheckpoint` on JSON already parsed (a checkpoint stored inside another file). */
export function validateCheckpoint(json: unknown, source = 'checkpoint'): CheckpointState {
  const read = new Reader(source);
  const root = read.object(json, '(root)');
  if (root.format !== 'nnkit-checkpoint') read.fail('format', `expected "nnkit-checkpoint", got ${describe(root.format)}`);
  if (root.version !== 1) read.fail('version', `expected 1 (this version of nnkit reads version 1), got ${describe(root.version)}`);
  const position = read.object(root.position, 'position');
  const rng = read.object(root.rng, 'rng');
  const progress = read.object(root.epochProgress, 'epochProgress');
  const optimizer = read.object(root.optimizer, 'optimizer');
  read.string(optimizer.kind, 'optimizer.kind');
  read.number(optimizer.step, 'optimizer.step', { integer: true, min: 0 });
  read.number(optimizer.learningRate, 'optimizer.learningRate', { min: 0 });
  const slots = read.object(optimizer.slots, 'optimizer.slots');
  for (const [name, buffers] of Object.entries(slots)) {
    read.array(buffers, `optimizer.slots.${name}`).forEach((buffer, i) => read.string(buffer, `optimizer.slots.${name}[${i}]`));
  }
  const schedule = read.object(root.schedule, 'schedule');
  read.string(schedule.kind, 'schedule.kind');
  read.number(schedule.learningRate, 'schedule.learningRate', { min: 0 });
  let earlyStopping: EarlyStoppingState | null = null;
  if (root.earlyStopping !== null && root.earlyStopping !== undefined) {
    const early = read.object(root.earlyStopping, 'earlyStopping');
    earlyStopping = {
      best: early.best === null ? null : read.number(early.best, 'earlyStopping.best'),
      epochsWithoutImprovement: read.number(early.epochsWithoutImprovement, 'earlyStopping.epochsWithoutImprovement', { integer: true, min: 0 }),
      bestEpoch: read.number(early.bestEpoch, 'earlyStopping.bestEpoch', { integer: true, min: 0 }),
      bestValues:
        early.bestValues === null ? null : read.array(early.bestValues, 'earlyStopping.bestValues').map((v, i) => read.string(v, `earlyStopping.bestValues[${i}]`)),
    };
  }
  const history = read.array(root.history, 'history').map((entry, i) => {
    const at = `history[${i}]`;
    const record = read.object(entry, at);
    for (const key of ['epoch', 'trainLoss', 'trainAccuracy', 'learningRate', 'seconds']) read.number(record[key], `${at}.${key}`);
    for (const key of ['validationLoss', 'validationAccuracy', 'testLoss', 'testAccuracy']) {
      if (record[key] !== undefined) read.number(record[key], `${at}.${key}`);
    }
    return record as unknown as EpochRecord;
  });
  return {
    format: 'nnkit-checkpoint',
    version: 1,
    seed: read.string(root.seed, 'seed'),
    batchSize: read.number(root.batchSize, 'batchSize', { integer: true, min: 1 }),
    trainCount: read.number(root.trainCount, 'trainCount', { integer: true, min: 1 }),
    ...(root.threads === undefined ? {} : { threads: read.number(root.threads, 'threads', { integer: true, min: 1 }) }),
    position: {
      epoch: read.number(position.epoch, 'position.epoch', { integer: true, min: 0 }),
      batch: read.number(position.batch, 'position.batch', { integer: true, min: 0 }),
    },
    params: read.tensors(root.params, 'params'),
    state: read.tensors(root.state, 'state'),
    optimizer: optimizer as unknown as OptimizerState,
    schedule: schedule as unknown as ScheduleState,
    rng: { shuffle: read.rng(rng.shuffle, 'rng.shuffle'), dropout: read.rng(rng.dropout, 'rng.dropout'), augment: read.rng(rng.augment, 'rng.augment') },
    epochProgress: {
      lossSum: read.number(progress.lossSum, 'epochProgress.lossSum'),
      correct: read.number(progress.correct, 'epochProgress.correct', { integer: true, min: 0 }),
      seen: read.number(progress.seen, 'epochProgress.seen', { integer: true, min: 0 }),
      seconds: read.number(progress.seconds, 'epochProgress.seconds', { min: 0 }),
    },
    earlyStopping,
    history,
    ...(root.averaging === undefined
      ? {}
      : (() => {
          const averaging = read.object(root.averaging, 'averaging');
          return { averaging: { count: read.number(averaging.count, 'averaging.count', { integer: true, min: 0 }), tensors: read.tensors(averaging.tensors, 'averaging.tensors') } };
        })()),
    ...(root.checksum === undefined ? {} : { checksum: verifiedChecksum(read, root) }),
  };
}

/** The checkpoint's `checksum` when it matches the stored numbers; fails naming it otherwise. */
function verifiedChecksum(read: Reader, root: Record<string, Json>): string {
  const stored = read.string(root.checksum, 'checksum');
  const actual = checkpointChecksum(root as unknown as CheckpointState);
  if (stored !== actual) read.fail('checksum', `the stored numbers give ${actual}, not ${stored} (the file was changed or corrupted)`);
  return stored;
}
