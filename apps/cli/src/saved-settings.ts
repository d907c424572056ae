import { parseAugmentSpec, parseDataSpec } from '@nnkit/datasets';
import { optimizerKinds, parseSchedule, type OptimizerSpec } from '@nnkit/optim';
import { parseAveraging, presetNames, presets } from '@nnkit/train';
import { activationNames, initOptionNames, lossNames } from './arch.js';
import { backendNames } from './backend.js';
import { UserError } from './errors.js';
import { maxThreads } from './limits.js';
import type { FreezeSpec } from './fine-tune.js';
import { modelDefinitionOf, type TrainSettings } from './settings.js';

/**
 * The settings as model files record them in `meta.settings`: the flags' names (`valSplit`,
 * `earlyStop`, `clip`) in the order model files have always had, so that a run writes the same
 * bytes as before the settings took the library's names.
 */
export function modelFileSettings(settings: TrainSettings): Record<string, unknown> {
  const { validationSplit, earlyStopping, clipGradientNorm, ...rest } = settings;
  return {
    preset: rest.preset,
    arch: rest.arch,
    // Recorded only for an ensemble member's network, so other runs write the same bytes as before.
    ...(rest.network !== undefined ? { network: rest.network } : {}),
    activation: rest.activation,
    loss: rest.loss,
    init: rest.init,
    data: rest.data,
    limit: rest.limit,
    epochs: rest.epochs,
    batchSize: rest.batchSize,
    optimizer: rest.optimizer,
    schedule: rest.schedule,
    valSplit: validationSplit,
    earlyStop: earlyStopping,
    clip: clipGradientNorm,
    augment: rest.augment,
    seed: rest.seed,
    backend: rest.backend,
    threads: rest.threads,
    // Recorded only when given, so runs without it write the same bytes as before.
    ...(rest.labelSmoothing != null ? { labelSmoothing: rest.labelSmoothing } : {}),
    ...(rest.averaging != null ? { averaging: rest.averaging } : {}),
    ...(rest.testTimeViews != null ? { testTimeViews: rest.testTimeViews } : {}),
    ...(rest.testEachEpoch !== undefined ? { testEachEpoch: rest.testEachEpoch } : {}),
    ...(rest.validateEvery !== undefined ? { validateEvery: rest.validateEvery } : {}),
    ...(rest.skipBad ? { skipBad: true } : {}),
    ...(rest.initFrom ? { initFrom: rest.initFrom } : {}),
    ...(rest.freeze !== undefined ? { freeze: rest.freeze } : {}),
  };
}

/** Names the settings had before they took the library's: still read from old run files. */
const legacySettingNames = { validationSplit: 'valSplit', earlyStopping: 'earlyStop', clipGradientNorm: 'clip' } as const;

/**
 * Checks saved settings field by field (a run file's `settings`); `where` prefixes every error
 * (`run.ckpt.json: settings`). Run files written before the settings took the library's names
 * (`valSplit`, `earlyStop`, `clip`) read the same.
 */
export function readTrainSettings(value: unknown, where: string, options: { maxParams?: number } = {}): TrainSettings {
  const fail = (field: string, expected: string, got: unknown): never => {
    throw new UserError(`${where}${field === '' ? '' : `.${field}`}: expected ${expected}, got ${describe(got)}`);
  };
  if (!isObject(value)) return fail('', 'an object', value);
  const renamed = (name: keyof typeof legacySettingNames): unknown => {
    const legacy = legacySettingNames[name];
    if (value[name] !== undefined && value[legacy] !== undefined) fail(name, `one of ${name} and ${legacy} (its old name), not both`, value[legacy]);
    return value[name] !== undefined ? value[name] : value[legacy];
  };
  const text = (field: string, raw: unknown = value[field]): string => (typeof raw === 'string' && raw !== '' ? raw : fail(field, 'a string', raw));
  const optionalText = (field: string): string | null => (value[field] === null || value[field] === undefined ? null : text(field));
  const word = <T extends string>(field: string, choices: readonly T[], raw: unknown = value[field]): T =>
    (choices as readonly unknown[]).includes(raw) ? (raw as T) : fail(field, `one of ${choices.join(', ')}`, raw);
  const optionalWord = <T extends string>(field: string, choices: readonly T[]): T | null => (value[field] === null || value[field] === undefined ? null : word(field, choices));
  const integer = (field: string, min: number, raw: unknown = value[field]): number =>
    typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= min ? raw : fail(field, `an integer >= ${min}`, raw);
  const nullable = <T>(raw: unknown, read: (raw: unknown) => T): T | null => (raw === null || raw === undefined ? null : read(raw));

  const preset = text('preset');
  if (!Object.prototype.hasOwnProperty.call(presets, preset)) fail('preset', `one of ${presetNames.join(', ')}`, preset);
  const data = text('data');
  try {
    parseDataSpec(data);
  } catch {
    fail('data', 'mnist, idx:DIR, csv:FILE or folder:DIR', data);
  }
  const schedule = optionalText('schedule');
  if (schedule !== null) checkedBy('schedule', schedule, parseSchedule, fail);
  const augment = optionalText('augment');
  if (augment !== null) checkedBy('augment', augment, parseAugmentSpec, fail);
  const arch = optionalText('arch');
  const networks = presets[preset].networks?.map((network) => network.name) ?? [];
  if (value.network !== undefined && value.network !== null) {
    if (arch !== null) fail('network', 'no network beside an --arch network', value.network);
    if (networks.length === 0) fail('network', `none: preset ${preset} has no networks of its own`, value.network);
    word('network', networks);
  }
  const settings: TrainSettings = {
    preset,
    arch,
    ...(value.network === undefined || value.network === null ? {} : { network: value.network as string }),
    activation: optionalWord('activation', activationNames),
    loss: optionalWord('loss', lossNames),
    init: optionalWord('init', initOptionNames),
    data,
    limit: nullable(value.limit, (raw) => integer('limit', 1, raw)),
    epochs: integer('epochs', 1),
    batchSize: integer('batchSize', 1),
    optimizer: readOptimizer(value.optimizer, (field, expected, got) => fail(`optimizer${field}`, expected, got)),
    schedule,
    validationSplit: nullable(renamed('validationSplit'), (raw) => (typeof raw === 'number' && raw > 0 && raw < 1 ? raw : fail('validationSplit', 'a fraction between 0 and 1', raw))),
    earlyStopping: nullable(renamed('earlyStopping'), (raw) => integer('earlyStopping', 1, raw)),
    clipGradientNorm: nullable(renamed('clipGradientNorm'), (raw) => (typeof raw === 'number' && Number.isFinite(raw) && raw > 0 ? raw : fail('clipGradientNorm', 'a positive number', raw))),
    augment,
    seed: integer('seed', 0),
    backend: word('backend', [...backendNames, 'auto'] as const),
    // Run files from before threads existed carry no count: one thread.
    threads: value.threads === undefined ? 1 : integer('threads', 1) <= maxThreads() ? integer('threads', 1) : fail('threads', `at most ${maxThreads()} threads (4 per core)`, value.threads),
    ...(value.labelSmoothing === undefined || value.labelSmoothing === null
      ? {}
      : { labelSmoothing: typeof value.labelSmoothing === 'number' && value.labelSmoothing >= 0 && value.labelSmoothing < 1 ? value.labelSmoothing : fail('labelSmoothing', 'a number in [0, 1)', value.labelSmoothing) }),
    ...(optionalText('averaging') === null ? {} : { averaging: text('averaging') }),
    ...(value.testTimeViews === undefined || value.testTimeViews === null ? {} : { testTimeViews: integer('testTimeViews', 1) }),
    ...(value.testEachEpoch === undefined || value.testEachEpoch === null
      ? {}
      : { testEachEpoch: typeof value.testEachEpoch === 'boolean' ? value.testEachEpoch : fail('testEachEpoch', 'true or false', value.testEachEpoch) }),
    ...(value.validateEvery === undefined || value.validateEvery === null ? {} : { validateEvery: integer('validateEvery', 1) }),
    ...(value.skipBad === true ? { skipBad: true } : {}),
    ...(value.initFrom === undefined ? {} : { initFrom: text('initFrom') }),
    ...(value.freeze === undefined ? {} : { freeze: readFreeze(value.freeze, fail) }),
  };
  if (settings.averaging && settings.averaging !== 'none') checkedBy('averaging', settings.averaging, parseAveraging, fail);
  if (settings.arch !== null) {
    try {
      modelDefinitionOf(settings, options);
    } catch (error) {
      // The grammar's own message names the part at fault; kept whole rather than cut to a preview.
      throw new UserError(`${where}.arch: ${(error as Error).message}`);
    }
  }
  return settings;
}

/** `--freeze` as saved: a layer count, or a list of layer names and indices. */
function readFreeze(value: unknown, fail: (field: string, expected: string, got: unknown) => never): FreezeSpec {
  const isIndex = (item: unknown) => typeof item === 'number' && Number.isSafeInteger(item) && item >= 0;
  if (isIndex(value)) return value as number;
  if (Array.isArray(value) && value.every((item) => isIndex(item) || (typeof item === 'string' && item !== ''))) return value as (number | string)[];
  return fail('freeze', 'a layer count or a list of layer names and indices', value);
}

/** An optimizer spec, field by field; its keys keep their order (model files record the object as it is). */
function readOptimizer(value: unknown, fail: (field: string, expected: string, got: unknown) => never): OptimizerSpec {
  if (!isObject(value)) return fail('', 'an object', value);
  if (!(optimizerKinds as readonly unknown[]).includes(value.kind)) fail('.kind', `one of ${optimizerKinds.join(', ')}`, value.kind);
  for (const [key, field] of Object.entries(value)) {
    if (key !== 'kind' && !(typeof field === 'number' && Number.isFinite(field) && field >= 0)) fail(`.${key}`, 'a number >= 0', field);
  }
  return value as unknown as OptimizerSpec;
}

function checkedBy(field: string, text: string, parse: (text: string) => unknown, fail: (field: string, expected: string, got: unknown) => never): void {
  try {
    parse(text);
  } catch (error) {
    fail(field, `a valid ${field} (${(error as Error).message})`, text);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
