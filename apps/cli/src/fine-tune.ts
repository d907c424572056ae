import { InvalidArgumentError } from 'commander';
import { type ModelDefinition, Sequential, transferWeights } from '@nnkit/layers';
import { createRng } from '@nnkit/tensor';
import { UsageError } from './errors.js';
import { metaSetting, readModelFile, type ModelFile } from './model-file.js';

/** Which layers `--freeze` keeps fixed: the first N, or a list of layer names and 0-based indices. */
export type FreezeSpec = number | readonly (number | string)[];

/** Commander parser for `--freeze`: `N` (the first N layers) or a comma list of names (`conv2d_1`) and indices. */
export function freezeSpec(value: string): FreezeSpec {
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  const items = value.split(',').map((item) => item.trim());
  if (items.some((item) => item === '')) throw new InvalidArgumentError(`expected N (the first N layers) or layer names and indices separated by commas, got '${value}'`);
  return items.map((item) => (/^\d+$/.test(item) ? Number(item) : item));
}

/** The saved model `--init-from` names, read and validated (a usage error when the file is missing). */
export function readInitModel(path: string): ModelFile {
  return readModelFile(path);
}

/** The preset a saved model was trained with (`meta.settings.preset`), so fine-tuning feeds it the same pixels. */
export function presetOfModel(file: ModelFile): string | undefined {
  const preset = metaSetting(file, 'preset');
  return typeof preset === 'string' ? preset : undefined;
}

/**
 * The model a run starts from: `definition` initialised from `seed`, then — fine-tuning — the
 * weights of `init` (`transferWeights`: all but a head of another class count), then the
 * `freeze` layers kept fixed. Errors name the option.
 */
export function startingModel(definition: ModelDefinition, seed: number, options: { init?: ModelFile; freeze?: FreezeSpec }): Sequential {
  const model = new Sequential(definition, createRng(seed).fork('init'));
  if (options.init) {
    try {
      transferWeights(options.init.model, model);
    } catch (error) {
      throw new UsageError(`--init-from ${options.init.path}: ${(error as Error).message.replace(/^transferWeights: /, '')}`);
    }
  }
  if (options.freeze !== undefined) {
    try {
      model.freeze(options.freeze);
    } catch (error) {
      throw new UsageError(`--freeze: ${(error as Error).message.replace(/^freeze: /, '')}`);
    }
  }
  return model;
}
