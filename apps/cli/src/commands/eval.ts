import type { Command } from 'commander';
import {
  type ClassificationReport,
  type ClassScores,
  type Confusion,
  accuracy,
  classificationReport,
  confusionMatrix,
  formatConfusionMatrix,
  formatReportText,
  topConfusions,
} from '@nnkit/metrics';
import { combinationCount, combinePredictions, maxSubsets, scoreSubsets, sharedMistakes } from '@nnkit/train';
import { DATA_SPEC_HELP, SKIP_BAD_HELP, dataSpec } from '../data-spec.js';
import { assertOutputFile, dataSpecFiles } from '../paths.js';
import { modelClassNames } from '../classes.js';
import { evaluateModelFiles, evaluationSets, scoringInputFiles, type Evaluation } from '../evaluation.js';
import { nonNegativeInteger, oneOf, positiveInteger } from '../options.js';
import { addScoringOptions, defaultScoringThreads, scoringSetup, type ScoringFlags, viewsNote } from '../scoring-options.js';
import { ensembleMembers, writeEnsembleFile } from '../ensemble.js';
import { UsageError, UserError } from '../errors.js';
import { createOutput } from '../output.js';

interface EvalOptions extends ScoringFlags {
  data: string;
  on: (typeof evaluationSets)[number];
  limit?: number;
  skipBad?: boolean;
  top: number;
  json?: boolean;
  saveEnsemble?: string;
  subsets?: number;
}

const scores = (s: ClassScores) => ({ precision: s.precision, recall: s.recall, f1: s.f1, support: s.support });

/** The classification report as JSON: one entry per class (with its name when the classes have names), then the pooled rows. */
function reportJson(report: ClassificationReport, classNames?: readonly string[]): Record<string, unknown> {
  return {
    perClass: report.perClass.map((s, index) => ({ label: report.classes[index], ...(classNames ? { name: classNames[report.classes[index]] } : {}), ...scores(s) })),
    accuracy: report.accuracy,
    macroAverage: scores(report.macroAverage),
    weightedAverage: scores(report.weightedAverage),
  };
}

const percent = (value: number) => `${(value * 100).toFixed(2)}%`;
const integer = (value: number) => value.toLocaleString('en-US');

/** Top confusions as aligned text lines: `  4 → 9   52 images  (31% of the misclassified 4s)`. */
function formatConfusions(confusions: readonly Confusion[], errorsOf: (label: number) => number, names: readonly string[]): string {
  if (confusions.length === 0) return '  none: every image was classified correctly\n';
  const width = Math.max(...confusions.map((c) => String(c.count).length));
  return confusions
    .map((c) => {
      const share = errorsOf(c.label) > 0 ? c.count / errorsOf(c.label) : 0;
      return `  ${names[c.label]} → ${names[c.predicted]}  ${String(c.count).padStart(width)} image${c.count === 1 ? ' ' : 's'}  (${Math.round(share * 100)}% of the misclassified ${names[c.label]}s)`;
    })
    .join('\n')
    .concat('\n');
}

export function registerEval(program: Command): void {
  const evalCommand = program
    .command('eval')
    .description('score a saved model (or several, as an ensemble): accuracy, classification report, confusion matrix, top confusions')
    .argument('<models...>', 'model file written by `nnkit train --out`; several files are scored as an ensemble (their probabilities averaged)')
    .option('--data <spec>', `${DATA_SPEC_HELP}; scored on its test set, or on 25 % held out of it (seed 0) when it has none`, dataSpec, 'mnist')
    .option(
      '--on <images>',
      "which images: test, the data's test set; or validation, the images the model's training held out for validation (its preset's split or --val-split, rebuilt from its settings; --data does not apply), to choose views, members or how to combine them without looking at the test set",
      oneOf(evaluationSets),
      'test',
    )
    .option('--limit <n>', 'score only the first N evaluation images (default: all)', positiveInteger)
    .option('--skip-bad', SKIP_BAD_HELP)
    .option('--top <n>', 'how many of the most frequent confusions to list', nonNegativeInteger, 10);
  addScoringOptions(evalCommand, `every core, ${defaultScoringThreads()} here`)
    .option('--save-ensemble <file>', 'with several model files: also write FILE, an ensemble file listing them (relative to its folder) with the accuracy measured here, which `nnkit eval FILE` scores again (default: none written)')
    .option(
      '--subsets <k>',
      'with several model files: also score every combination of K of them (their probabilities averaged over the same views) and list the most accurate; with --on validation, to choose an ensemble\'s members without looking at the test set (default: none)',
      positiveInteger,
    )
    .option('--json', 'print one JSON object with the results as the last stdout line')
    .action(async (modelPaths: string[], options: EvalOptions, command: Command) => {
      if (options.on === 'validation') {
        if (command.getOptionValueSource('data') === 'cli') throw new UsageError('--on validation scores the images the model held out of its own training data: --data does not apply');
        if (options.saveEnsemble !== undefined) throw new UsageError('--save-ensemble records test accuracy: save the ensemble from a run on the test set (--on test)');
      }
      if (options.saveEnsemble !== undefined) {
        if (modelPaths.length < 2 && ensembleMembers(modelPaths[0]) === null) {
          throw new UserError(`--save-ensemble: an ensemble needs two or more model files, got one (${modelPaths[0]})`);
        }
        // Before minutes of scoring, not after: a file that cannot be written, or one of the models.
        assertOutputFile(options.saveEnsemble, '--save-ensemble', [...scoringInputFiles(modelPaths), ...dataSpecFiles(options.data)]);
      }
      if (options.subsets !== undefined) checkSubsets(options.subsets, modelPaths);
      const evaluation = await evaluateModelFiles(modelPaths, options.data, options.limit, {
        ...(await scoringSetup(options)),
        ...(options.tta === undefined ? {} : { views: options.tta }),
        skipBad: options.skipBad,
        on: options.on,
      });
      runEval(evaluation, options);
    });
}

/** Refuses `--subsets K` before anything is scored: K beyond the models given (an ensemble file counts its members), or too many combinations. */
function checkSubsets(size: number, modelPaths: readonly string[]): void {
  const models = modelPaths.reduce((total, path) => total + (ensembleMembers(path)?.length ?? 1), 0);
  if (models < 2) throw new UsageError(`--subsets ${size}: combinations need two or more model files, got one`);
  if (size > models) throw new UsageError(`--subsets ${size}: only ${models} models given`);
  const total = combinationCount(models, size);
  if (total > maxSubsets) {
    throw new UsageError(`--subsets ${size}: ${integer(total)} combinations of ${models} models; at most ${integer(maxSubsets)} are scored: give fewer models or another size`);
  }
}

/** How many of the most accurate combinations `--subsets` lists in text (`--json` has them all). */
const subsetsShown = 10;

/** `--subsets K`: every combination of K of the scored models, the most accurate first, and the spread over all of them. */
interface SubsetFigures {
  readonly size: number;
  readonly combinations: { models: string[]; correct: number; accuracy: number }[];
}

function subsetFigures(evaluation: Evaluation, size: number): SubsetFigures {
  const { files, members, dataset } = evaluation;
  return {
    size,
    combinations: scoreSubsets(members, dataset.labels, size).map((score) => ({
      models: score.members.map((index) => files[index].path),
      correct: score.correct,
      accuracy: score.accuracy,
    })),
  };
}

/** The text `--subsets` adds: the best combinations, then the highest, median and lowest accuracy over all of them. */
function formatSubsets({ size, combinations }: SubsetFigures, models: number, views: number): string[] {
  const count = combinations.length;
  const accuracies = combinations.map((combination) => combination.accuracy);
  const middle = (count - 1) / 2;
  const median = (accuracies[Math.floor(middle)] + accuracies[Math.ceil(middle)]) / 2;
  const best = combinations.filter((combination) => combination.correct === combinations[0].correct).length;
  const width = Math.max(...combinations.slice(0, subsetsShown).map((combination) => integer(combination.correct).length));
  return [
    `Every ${size} of the ${models} models (${integer(count)} combination${count === 1 ? '' : 's'}, probabilities averaged${views > 1 ? ` over ${views} views each` : ''}), the most accurate first:`,
    ...combinations.slice(0, subsetsShown).map((combination) => `  ${percent(combination.accuracy)}  ${integer(combination.correct).padStart(width)} correct  ${combination.models.join(', ')}`),
    ...(count > subsetsShown ? [`  … ${integer(count - subsetsShown)} more (--json lists every combination)`] : []),
    `over the ${integer(count)}: highest ${percent(accuracies[0])} (${best === 1 ? 'one combination' : `${integer(best)} combinations`}), median ${percent(median)}, lowest ${percent(accuracies[count - 1])}`,
  ];
}

/** The ensemble file `--save-ensemble` writes: the members as scored, and what they scored together. */
function saveEnsemble(path: string, evaluation: Evaluation, ensemble: EnsembleFigures | null, options: EvalOptions): void {
  const { files, dataset, description, result, views } = evaluation;
  writeEnsembleFile(
    path,
    files.map((file) => file.path),
    {
      createdBy: 'nnkit eval --save-ensemble',
      testTimeViews: views,
      evaluatedOn: { data: options.data, description, count: dataset.count },
      testAccuracy: { average: result.accuracy, ...(ensemble ? { vote: ensemble.vote } : {}) },
      ...(ensemble ? { missedByEvery: ensemble.missedByEvery.length } : {}),
      members: files.map((file, index) => {
        const settings = file.meta?.settings as { preset?: unknown; network?: unknown; arch?: unknown; seed?: unknown } | undefined;
        const own = file.meta?.testAccuracy;
        return {
          preset: settings?.preset ?? null,
          // The member's own network when its preset's is not the one it trained.
          ...(typeof settings?.network === 'string' ? { network: settings.network } : {}),
          ...(typeof settings?.arch === 'string' ? { arch: settings.arch } : {}),
          seed: settings?.seed ?? null,
          testAccuracy: typeof own === 'number' ? own : null,
          accuracy: evaluation.members[index].accuracy,
        };
      }),
    },
  );
}

/** Readable names of the other costs a model file may name. */
const costNames: Readonly<Record<string, string>> = { sigmoidCrossEntropy: 'sigmoid cross-entropy', quadratic: 'quadratic' };

/**
 * What the loss figure measures. One model over one view is scored by its own cost, as its
 * training scored it (with label smoothing that cost stays near 0.5 however well the model
 * does); probabilities averaged over views or members have no such cost, so their loss is
 * the cross-entropy −ln p̄ of the true class. Named, so the two are not read as one measure.
 */
export function lossNote({ files, file, views }: Pick<Evaluation, 'files' | 'file' | 'views'>): string {
  if (files.length > 1 || views > 1) {
    const over = [files.length > 1 ? `${files.length} models` : '', views > 1 ? `${views} views` : ''].filter(Boolean).join(' × ');
    return `cross-entropy of the probabilities averaged over ${over}`;
  }
  const loss = file.model.loss.config as { readonly kind: string; readonly labelSmoothing?: number };
  if (loss.kind === 'softmaxCrossEntropy') return loss.labelSmoothing ? `the model's cost: cross-entropy with label smoothing ${loss.labelSmoothing}` : 'cross-entropy';
  return `the model's cost: ${costNames[loss.kind] ?? loss.kind}`;
}

function runEval(evaluation: Evaluation, options: EvalOptions): void {
  const output = createOutput(options);
  const { file, files, dataset, description, classes, classNames, result, views } = evaluation;
  const scored = files.length > 1 ? `an ensemble of ${files.length}: ${files.map((f) => f.path).join(', ')}` : file.path;
  const named = classNames.some((name, label) => name !== String(label));
  const { labels } = dataset;
  const report = classificationReport(labels, result.predictions, { classes, zeroDivision: 0 });
  const matrix = confusionMatrix(labels, result.predictions, classes);
  const confusions = topConfusions(labels, result.predictions, { k: options.top, classes });
  const missed = (label: number) => report.perClass[label].support - matrix[label][label];
  // createOutput decides about colour (a terminal, no NO_COLOR); the matrix follows that decision.
  const colorful = output.color('bold', '.') !== '.';

  output.line(
    output.color('bold', `nnkit eval — ${scored}`) +
      output.color('dim', ` · ${integer(dataset.count)} images: ${description}${views > 1 ? ` · ${viewsNote(views, options)}` : ''}`),
  );
  output.line(
    `accuracy ${output.color('green', percent(result.accuracy))} (${integer(Math.round(result.accuracy * dataset.count))} of ${integer(dataset.count)} correct)` +
      ` · loss ${result.loss.toFixed(4)}${output.color('dim', ` (${lossNote(evaluation)})`)}`,
  );
  const ensemble = files.length > 1 && !dataset.unlabelled ? ensembleFigures(evaluation) : null;
  if (options.subsets !== undefined && dataset.unlabelled) throw new UserError(`--subsets: ${description} has no labels to score combinations against`);
  const subsets = options.subsets === undefined ? null : subsetFigures(evaluation, options.subsets);
  if (ensemble) {
    output.line(`each alone: ${ensemble.members.map((member) => `${percent(member.accuracy)} ${member.model}`).join(' · ')}`);
    output.line(`their vote (each member's answer; the accuracy above averages their probabilities): ${percent(ensemble.vote)}`);
    output.line(
      `missed by every member: ${integer(ensemble.missedByEvery.length)} image${ensemble.missedByEvery.length === 1 ? '' : 's'} (no way of combining these members mends them)` +
        ` · by at least one: ${integer(ensemble.missedByAny)}`,
    );
  }
  if (subsets) {
    output.line('');
    for (const line of formatSubsets(subsets, files.length, views)) output.line(line);
  }
  output.line('');
  output.line(output.color('bold', 'Classification report'));
  output.line(formatReportText(report, { digits: 4, classNames: report.classes.map((label) => classNames[label]) }));
  output.line(output.color('bold', 'Confusion matrix') + ' (rows: true label, columns: predicted)');
  output.line(formatConfusionMatrix(matrix, { color: colorful, classNames }));
  output.line(output.color('bold', 'Most frequent confusions') + ' (true → predicted)');
  output.line(formatConfusions(confusions, missed, classNames).trimEnd());
  // The file before the result line, so a result that names it means it is there.
  if (options.saveEnsemble !== undefined) {
    saveEnsemble(options.saveEnsemble, evaluation, ensemble, options);
    output.progress(`ensemble written to ${options.saveEnsemble}: \`nnkit eval ${options.saveEnsemble}\` scores its ${files.length} members together`);
  }
  output.result({
    command: 'eval',
    model: file.path,
    ...(files.length > 1 ? { models: files.map((f) => f.path) } : {}),
    // On validation the images come from each model's own training data, not from --data.
    ...(options.on === 'test' ? { data: options.data } : {}),
    on: options.on,
    evaluatedOn: description,
    count: dataset.count,
    accuracy: result.accuracy,
    loss: result.loss,
    ...(views > 1 ? { tta: views } : {}),
    confusionMatrix: matrix,
    ...(named ? { classNames } : {}),
    report: reportJson(report, named ? classNames : undefined),
    topConfusions: confusions,
    ...(ensemble ? { members: ensemble.members, vote: ensemble.vote, missedByEvery: ensemble.missedByEvery, missedByAny: ensemble.missedByAny } : {}),
    ...(subsets ? { subsets } : {}),
    ...(options.saveEnsemble === undefined ? {} : { ensembleFile: options.saveEnsemble }),
  });
}

/** How the members of an ensemble score alone, and the images they miss together (positions in the scored images). */
interface EnsembleFigures {
  readonly members: { model: string; accuracy: number }[];
  /** Accuracy of the members' plurality vote, each member's answer over its views (ties to the higher mean probability), Nielsen's way of combining. */
  readonly vote: number;
  readonly missedByEvery: number[];
  readonly missedByAny: number;
}

function ensembleFigures(evaluation: Evaluation): EnsembleFigures {
  const { files, members, dataset } = evaluation;
  let missedByAny = 0;
  for (let r = 0; r < dataset.count; r++) if (members.some((member) => member.predictions[r] !== dataset.labels[r])) missedByAny++;
  return {
    members: files.map((file, index) => ({ model: file.path, accuracy: members[index].accuracy })),
    vote: accuracy(dataset.labels, combinePredictions(members, evaluation.classes, 'vote').predictions),
    missedByEvery: sharedMistakes(members, dataset.labels),
    missedByAny,
  };
}
