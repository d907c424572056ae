import type { Command } from 'commander';
import { sizeOf } from '@nnkit/tensor';
import { optimizerKinds } from '@nnkit/optim';
import { presetNames, presets, type CheckpointState } from '@nnkit/train';
import { activationNames, initOptionNames, lossNames } from '../arch.js';
import { backendNames, createKernels } from '../backend.js';
import { DATA_SPEC_HELP, SKIP_BAD_HELP, dataSpec } from '../data-spec.js';
import { planMembers, scoreEnsemble, writeEnsembleFile, type EnsembleScores, type PlannedMember } from '../ensemble.js';
import { UsageError } from '../errors.js';
import { assertAtMost, fraction, labelSmoothing, testTimeViews, nonNegativeInteger, nonNegativeNumber, oneOf, positiveInteger, positiveNumber, threadCount } from '../options.js';
import { maxThreads } from '../limits.js';
import { withClassCount } from '../classes.js';
import { freezeSpec, readInitModel } from '../fine-tune.js';
import { modelInputFiles } from '../model-file.js';
import { createOutput, percent } from '../output.js';
import { bestValidationEpoch } from '../progress.js';
import { assertOutputFile, dataSpecFiles, STDOUT } from '../paths.js';
import { lockOutputs } from '../lock.js';
import { readRunFile } from '../run-file.js';
import { loadTrainingData, modelDefinitionOf, resolvePreset, resolveTrainSettings, THREADS_DEFAULT_HELP, type TrainFlags, type TrainSettings } from '../settings.js';
import { finishedMember, memberProgress, normalizationOf, scoringOptionsOf, testTimeViewsOf, trainMember, type MemberResult } from '../train-member.js';

/** `nnkit train`: its options; the work is in settings, train-member, run-file, progress and ensemble. */
/** The presets whose ensembles mix networks (`Preset.networks`), for --help. */
const severalNetworks = presetNames.filter((name) => (presets[name].networks?.length ?? 0) > 1).join(', ');

/** The presets that leave the test set to the end of the run (`Preset.testEachEpoch` false), for --help: `record`. */
function presetsWithoutEpochTests(): string {
  return presetNames.filter((name) => presets[name].testEachEpoch === false).join(', ');
}

/** How often the presets score validation (`Preset.validateEvery`), for --help: `1, every epoch; record: 5`. */
function presetValidationHelp(): string {
  const sparse = presetNames.filter((name) => (presets[name].validateEvery ?? 1) > 1).map((name) => `${name}: ${presets[name].validateEvery}`);
  return ['1, every epoch', ...sparse].join('; ');
}

/** The presets whose loss smooths its targets, for --help: `0.1 for record, record-ensemble; off otherwise and for an --arch network`. */
function presetSmoothingHelp(): string {
  const byValue = new Map<number, string[]>();
  for (const name of presetNames) {
    const loss = presets[name].model.loss;
    const value = loss?.kind === 'softmaxCrossEntropy' ? loss.labelSmoothing : undefined;
    if (value !== undefined && value > 0) byValue.set(value, [...(byValue.get(value) ?? []), name]);
  }
  const parts = [...byValue].map(([value, names]) => `${value} for ${names.join(', ')}`);
  return `${parts.length > 0 ? `${parts.join('; ')}; ` : ''}off otherwise and for an --arch network`;
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train a network on MNIST (or your data) and report its test accuracy')
    .option('--preset <name>', `network and settings: ${presetNames.join(', ')} (default: cnn)`)
    .option('--arch <spec>', "network from a string instead of the preset's: layer sizes (784-30-10), short forms (conv20x5-pool2-conv40x5-pool2-fc100-fc10) or layers by kind with their fields (conv2d(20,5,same)-elu-maxPool2d(2)-flatten-dense(100)-dense(10)), any registered layer (default: the preset's network)")
    .option('--activation <name>', `hidden activation for --arch: ${activationNames.join(', ')} (default: relu)`, oneOf(activationNames))
    .option('--loss <name>', `cost for --arch: ${lossNames.join(', ')} (default: softmax-ce)`, oneOf(lossNames))
    .option('--init <name>', `weight initialiser for --arch: ${initOptionNames.join(', ')} (default: he for ReLU, scaled-normal otherwise)`, oneOf(initOptionNames))
    .option('--data <spec>', `training ${DATA_SPEC_HELP}; without a test set, 25 % is held out (seed 0)`, dataSpec, 'mnist')
    .option('--skip-bad', SKIP_BAD_HELP)
    .option('--init-from <model>', "fine-tune: start from this saved model's weights and network (with --arch, only the head may differ); its preset unless --preset (default: from the seed)")
    .option('--freeze <layers>', 'keep layers fixed: N (the first N) or layer names and 0-based indices, e.g. conv2d_1,conv2d_2 (default: none)', freezeSpec)
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
    .option('--label-smoothing <e>', `label smoothing ε of the softmax cross-entropy: targets (1 − ε)·onehot + ε/10 (default: the network's own: ${presetSmoothingHelp()})`, labelSmoothing)
    .option('--average <spec>', "end with averaged weights: ema:DECAY[,START EPOCH] after every step, or swa:K over the last K epochs, or none (default: the preset's, else none)")
    .option('--tta <n>', "final test score averages the probabilities over N views: the image and N − 1 one-pixel shifts (1–9) (default: the preset's, else 1)", testTimeViews)
    .option('--test-each-epoch', `score the test set after every epoch too, for the history and the progress line (reporting only: the weights are the same) (default: yes; ${presetsWithoutEpochTests()}: no, the test set is scored once at the end)`)
    .option('--no-test-each-epoch', 'score the test set only once, at the end of the run')
    .option('--validate-every <n>', `score the validation images after every N-th epoch and the last (reporting only: the weights are the same; --early-stop and a plateau schedule need 1) (default: ${presetValidationHelp()})`, positiveInteger)
    .option('--seed <n>', 'seed for initialisation, shuffling, dropout and distortions', nonNegativeInteger, 1)
    .option('--backend <name>', `kernels: ${backendNames.join(', ')}, or auto (the fastest that loads)`, oneOf([...backendNames, 'auto'] as const), 'auto')
    .option('--threads <n>', `split each mini-batch over N threads, at most ${maxThreads()} (4 per core) (same seed and N: same model bytes) (default: ${THREADS_DEFAULT_HELP})`, threadCount)
    .option('--config <file>', 'JSON or YAML file with any of these options (command-line flags win) (default: none)')
    .option('--checkpoint <file>', 'write a checkpoint after every epoch and on Ctrl-C (default: none, and on Ctrl-C OUT.checkpoint.json or nnkit-checkpoint.json)')
    .option('--checkpoint-every <n>', 'also write the checkpoint every N mini-batches, so a killed run loses at most N (default: only after each epoch)', positiveInteger)
    .option('--resume <file>', 'continue the run saved in a checkpoint (its settings are used) (default: a new run)')
    .option(
      '--ensemble <k>',
      `train K models with seeds SEED..SEED+K−1 and report each and their vote (${severalNetworks}: their networks take turns, each with its own seeds); with --checkpoint FILE each member writes FILE-SEED.json (FILE-NETWORK-SEED.json) and repeating the command resumes (default: the preset's, else 1)`,
      positiveInteger,
    )
    .option('--out <file>', 'save the trained model (JSON) to this file (default: not saved)')
    .option('--json', 'print one JSON object with the results as the last stdout line')
    .option('--quiet', 'print no progress')
    .action(async (options: TrainFlags, command: Command) => {
      await runTrain(options, command);
    });
}

/** Resolves the settings (or reads them from the run file to resume), trains each member, reports. */
async function runTrain(options: TrainFlags, command: Command): Promise<void> {
  const output = createOutput(options);
  let settings: TrainSettings;
  let resume: CheckpointState | undefined;
  let out = options.out ?? null;
  if (options.resume) {
    const given = command.options
      .map((option) => option.attributeName())
      .filter((name) => !['resume', 'json', 'quiet', 'out', 'checkpoint', 'checkpointEvery'].includes(name) && command.getOptionValueSource(name) === 'cli');
    if (given.length > 0) throw new UsageError(`--resume continues a run with its saved settings; drop ${given.map((name) => `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')}`);
    const run = readRunFile(options.resume);
    settings = run.settings;
    resume = run.checkpoint;
    out = out ?? run.out;
  } else {
    settings = resolveTrainSettings(options, command);
  }
  const checkpointPath = options.checkpoint ?? options.resume ?? null;
  const inputs = [...dataSpecFiles(settings.data), options.config, options.resume, ...(settings.initFrom === undefined ? [] : modelInputFiles(settings.initFrom))];
  if (out) assertOutputFile(out, '--out', [...inputs, checkpointPath ?? undefined]);
  if (checkpointPath) assertOutputFile(checkpointPath, '--checkpoint', inputs.filter((input) => input !== options.resume));
  lockOutputs([{ path: out, option: '--out' }, { path: checkpointPath, option: '--checkpoint' }]);
  if (options.checkpointEvery !== undefined && !checkpointPath) throw new UsageError('--checkpoint-every needs --checkpoint FILE (or --resume FILE) to write to');
  const members = options.resume ? 1 : (options.ensemble ?? resolvePreset(settings.preset).ensemble ?? 1);
  if (options.ensemble !== undefined && options.resume) {
    throw new UsageError('--ensemble trains several models; --resume continues one (resume an ensemble by repeating its command with the same --checkpoint)');
  }
  if (members > 1 && checkpointPath && !out) throw new UsageError('an ensemble with --checkpoint needs --out FILE: finished members are kept there, so a repeated command skips them');

  const started = performance.now();
  const { data, classes } = loadTrainingData(settings);
  // Fine-tuning trains the saved model's network unless --arch names one (whose head may differ).
  const init = settings.initFrom === undefined ? undefined : readInitModel(settings.initFrom);
  // A batch past the data is one batch of all of it; refused only when its buffers alone would pass 1 GiB of float32.
  const batchLimit = Math.max(data.train.count, Math.floor(2 ** 28 / sizeOf(data.train.imageShape)));
  assertAtMost('--batch-size', settings.batchSize, batchLimit, `the ${data.train.count.toLocaleString('en-US')} training images of ${settings.data}, with buffers past 1 GiB`);
  const kernels = await createKernels(settings.backend);
  const results: MemberResult[] = [];
  const planned = planMembers(settings, members, { out, checkpointPath });
  for (const member of planned) {
    const definition = withClassCount(init && settings.arch === null ? init.model.definition : modelDefinitionOf(member.settings), classes.count);
    // A repeated ensemble command picks up each member where its run file left it.
    const progress = members > 1 ? memberProgress(member) : null;
    if (progress?.finished) {
      results.push(await finishedMember(member, progress.history, data, kernels.kernels, output));
      continue;
    }
    const memberResume = progress?.checkpoint ?? resume;
    results.push(
      await trainMember({
        ...member,
        definition,
        data,
        classes,
        ...(init ? { init } : {}),
        kernels: kernels.kernels,
        backendName: kernels.name,
        output,
        ...(options.checkpointEvery !== undefined ? { checkpointEvery: options.checkpointEvery } : {}),
        ...(memberResume ? { resume: memberResume } : {}),
      }),
    );
    if (results.at(-1)?.interrupted) break;
  }
  const seconds = (performance.now() - started) / 1000;
  const last = results[results.length - 1];
  if (last.interrupted) {
    const again = members > 1 ? 'the same command' : `nnkit train --resume ${last.checkpointWritten}`;
    output.line(`interrupted: checkpoint written to ${last.checkpointWritten}; continue with: ${again}`);
    output.result({ command: 'train', interrupted: true, checkpoint: last.checkpointWritten, epochs: last.history.length });
    process.exitCode = 130;
    return;
  }

  let ensemble: EnsembleScores | null = null;
  if (members > 1 && data.test) {
    ensemble = await scoreEnsemble(
      results.map((result) => result.model),
      data.test,
      { ...scoringOptionsOf(settings, kernels.kernels), ...normalizationOf(settings) },
      testTimeViewsOf(settings),
    );
    output.line(
      `ensemble of ${members}: vote ${output.color('green', percent(ensemble.vote))} · averaged probabilities ${output.color('green', percent(ensemble.average))}`,
    );
  }
  if (members > 1 && out && out !== STDOUT) {
    writeEnsembleFile(
      out,
      planned.map((member) => member.out!),
      {
        preset: settings.preset,
        seeds: results.map((result) => result.seed),
        testTimeViews: testTimeViewsOf(settings),
        ...(ensemble ? { testAccuracy: { average: ensemble.average, vote: ensemble.vote } } : {}),
        members: results.map((result, index) => ({ ...networkOf(planned[index]), seed: result.seed, testAccuracy: result.accuracy })),
      },
    );
    output.progress(`ensemble written to ${out}: \`nnkit eval ${out}\` scores its ${members} members together`);
  }
  const summary = {
    command: 'train',
    preset: settings.preset,
    arch: settings.arch,
    data: settings.data,
    backend: kernels.name,
    // Presets built as ensembles average probabilities; --ensemble K of any other network votes, as in Nielsen's ch. 6.
    accuracy: ensemble ? (resolvePreset(settings.preset).ensemble ? ensemble.average : ensemble.vote) : last.accuracy,
    validationAccuracy: ensemble ? null : last.validationAccuracy,
    bestValidation: ensemble ? null : bestValidationEpoch(last.history),
    loss: last.loss,
    epochs: last.history.length,
    samples: data.train.count,
    seconds,
    imagesPerSecond: results.reduce((sum, result) => sum + result.imagesPerSecond, 0) / results.length,
    seed: settings.seed,
    threads: settings.threads,
    history: last.history,
    out: out ?? null,
    ...(ensemble ? { members: results.map((result, index) => ({ ...networkOf(planned[index]), seed: result.seed, accuracy: result.accuracy, loss: result.loss })), ensemble } : {}),
  };
  output.result(summary);
}

/** `{ network }` for a member that trains one of its preset's networks, else nothing. */
function networkOf(member: PlannedMember): { network?: string } {
  return member.settings.network === undefined ? {} : { network: member.settings.network };
}

