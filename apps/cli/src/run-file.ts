import { closeSync, openSync, readSync } from 'node:fs';
import { nestsDeeperThan } from '@nnkit/layers';
import { CheckpointFormatError, checkpointChecksum, validateCheckpoint, type CheckpointState } from '@nnkit/train';
import { UserError } from './errors.js';
import { readTextFile } from './paths.js';
import { assertRunConsistent, storedValues } from './run-consistency.js';
import { readTrainSettings } from './saved-settings.js';
import { modelDefinitionOf, type TrainSettings } from './settings.js';
import { writeOutputFile } from './write-file.js';

/** The `format` of the run files `nnkit train --checkpoint` writes. */
export const RUN_FILE_FORMAT = 'nnkit-train-run';

/**
 * The version written. Version 1 (before the settings took the library's names: `valSplit`,
 * `earlyStop`, `clip`) is still read.
 */
export const RUN_FILE_VERSION = 2;

/** The `--checkpoint` file: the run's settings and model path beside `fit`'s checkpoint state. */
export interface RunFile {
  readonly format: typeof RUN_FILE_FORMAT;
  readonly version: typeof RUN_FILE_VERSION;
  readonly settings: TrainSettings;
  /** The `--out` path the run saves its model to, null without one. */
  readonly out: string | null;
  readonly checkpoint: CheckpointState;
}

/** A run file's text: one JSON object, `format` first (see `isRunFile`). */
export function encodeRunFile(settings: TrainSettings, out: string | null, checkpoint: CheckpointState): string {
  // The checksum of the stored numbers lets inspect and --resume catch a changed character.
  const run: RunFile = { format: RUN_FILE_FORMAT, version: RUN_FILE_VERSION, settings, out, checkpoint: { ...checkpoint, checksum: checkpointChecksum(checkpoint) } };
  return JSON.stringify(run);
}

/**
 * Parses and checks a run file's text field by field (`source` names it in errors, one line:
 * `run.ckpt.json: settings.epochs: expected an integer >= 1, got 0`). Version 1 files read the same.
 */
export function decodeRunFile(text: string, source: string): RunFile {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    throw new UserError(`${source}: not a checkpoint (invalid JSON; was the file cut short?)`);
  }
  if (root === null || typeof root !== 'object' || Array.isArray(root)) throw new UserError(`${source}: not a checkpoint (expected a JSON object)`);
  // Deeper than any field nests: messages and --json output would overflow the stack on it.
  if (nestsDeeperThan(root, 64)) throw new UserError(`${source}: nested more than 64 levels deep`);
  const fields = root as Record<string, unknown>;
  if (fields.format !== RUN_FILE_FORMAT || (fields.version !== 1 && fields.version !== RUN_FILE_VERSION)) {
    throw new UserError(`${source}: format: expected an ${RUN_FILE_FORMAT} version 1 or ${RUN_FILE_VERSION} checkpoint (written by nnkit train --checkpoint)`);
  }
  if (fields.out !== undefined && fields.out !== null && (typeof fields.out !== 'string' || fields.out === '')) {
    throw new UserError(`${source}: out: expected a file path or null, got ${JSON.stringify(fields.out)}`);
  }
  let checkpoint: CheckpointState;
  try {
    checkpoint = validateCheckpoint(fields.checkpoint ?? null, `${source}: checkpoint`);
  } catch (error) {
    if (error instanceof CheckpointFormatError) throw new UserError(error.message);
    throw error;
  }
  // The settings' network may declare no more than the checkpoint stores: checked as it is built.
  const maxParams = storedValues(checkpoint);
  const settings = readTrainSettings(fields.settings, `${source}: settings`, { maxParams });
  assertRunConsistent(settings, checkpoint, () => modelDefinitionOf(settings, { maxParams }), source);
  return { format: RUN_FILE_FORMAT, version: RUN_FILE_VERSION, settings, out: (fields.out as string | null | undefined) ?? null, checkpoint };
}

/** Reads a run file; errors are one line naming it (`what`: the option or argument it came from). */
export function readRunFile(path: string, what = '--resume'): RunFile {
  return decodeRunFile(readTextFile(path, what), path);
}

/** Writes a run file atomically (a killed run leaves the previous one whole). */
export function writeRunFile(path: string, settings: TrainSettings, out: string | null, checkpoint: CheckpointState): void {
  writeOutputFile(path, encodeRunFile(settings, out, checkpoint));
}

/** Whether the file starts like a run file (its `format` first), without reading all of it. */
export function isRunFile(path: string): boolean {
  const head = Buffer.alloc(200);
  const descriptor = openSync(path, 'r');
  try {
    const length = readSync(descriptor, head, 0, head.length, 0);
    return new RegExp(`^\\s*\\{\\s*"format"\\s*:\\s*"${RUN_FILE_FORMAT}"`).test(head.subarray(0, length).toString('utf8'));
  } finally {
    closeSync(descriptor);
  }
}
