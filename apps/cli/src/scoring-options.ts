import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import type { Kernels } from '@nnkit/tensor';
import type { WorkerTransport } from '@nnkit/train';
import { backendNames, createKernels, trainWorkers, type BackendName } from './backend.js';
import { maxThreads } from './limits.js';
import { oneOf, testTimeViews, threadCount } from './options.js';

/** The options `eval`, `predict`, `submit` and `report` share: how a model's probabilities are computed. */
export interface ScoringFlags {
  backend: BackendName;
  tta?: number;
  threads?: number;
}

/** Every core, up to what `--threads` accepts. */
export const defaultScoringThreads = (): number => Math.min(availableParallelism(), maxThreads());

/** Images one scoring batch holds: fewer than this (views counted) keep a second thread idle. */
const imagesPerBatch = 1000;

/**
 * Adds `--backend`, `--tta` and `--threads` to a command that scores images with saved models.
 * `threadsDefault` says in the help what `--threads` defaults to.
 */
export function addScoringOptions(command: Command, threadsDefault: string): Command {
  return command
    .option('--backend <name>', `kernels: ${backendNames.join(', ')} (js is the reference) or auto, the fastest that loads; probabilities agree up to float rounding`, oneOf([...backendNames, 'auto'] as const), 'auto')
    .option('--tta <n>', "test-time augmentation: average the probabilities over N views, the image and N − 1 one-pixel shifts (1–9) (default: the model's own, its training's --tta or its preset's: 5 for record, else 1)", testTimeViews)
    .option('--threads <n>', `split the images over N threads (the same predictions; the loss up to float rounding) (default: ${threadsDefault})`, threadCount);
}

/** What `--threads` defaults to for commands that score a few images as often as many. */
export const sizedThreadsHelp = (): string => `every core, ${defaultScoringThreads()} here, when more than ${imagesPerBatch.toLocaleString('en-US')} images are scored counting views; else 1`;

/** Kernels, threads and workers for scoring: `--threads`, or by default every core once `images` (views counted) fill more than one batch. */
export async function scoringSetup(flags: ScoringFlags, images?: number): Promise<{ kernels: Kernels; threads: number; parallel?: WorkerTransport }> {
  const { kernels } = await createKernels(flags.backend);
  const threads = flags.threads ?? (images === undefined || images > imagesPerBatch ? defaultScoringThreads() : 1);
  return { kernels, threads, ...(threads > 1 ? { parallel: trainWorkers(kernels) } : {}) };
}

/** How the probabilities were averaged, for a command's first line: `test-time augmentation over 5 views (the model's own; …)`, or null for the image alone. */
export function viewsNote(views: number, flags: ScoringFlags): string | null {
  if (views <= 1) return null;
  return `test-time augmentation over ${views} views${flags.tta === undefined ? " (the model's own; --tta 1 scores the image alone)" : ''}`;
}
