import type { ClassificationReport, ClassScores } from './classification-report.js';
import { formatFixed } from './format-number.js';

/** Options for the report formatters. */
export interface ReportFormatOptions {
  /** Decimals for precision, recall and F1 (scikit-learn's `digits`, default 2). */
  digits?: number;
  /** Row names, one per reported class (scikit-learn's `target_names`); default the class index. */
  classNames?: readonly string[];
}

function namesOf(report: ClassificationReport, options: ReportFormatOptions, where: string): string[] {
  const names = options.classNames ?? report.classes.map(String);
  if (names.length !== report.classes.length) {
    throw new Error(`${where}: classNames has ${names.length} names for ${report.classes.length} classes`);
  }
  return [...names];
}

function digitsOf(options: ReportFormatOptions, where: string): number {
  const digits = options.digits ?? 2;
  if (!Number.isInteger(digits) || digits < 0 || digits > 20) {
    throw new Error(`${where}: digits = ${digits} must be an integer in [0, 20]`);
  }
  return digits;
}

/** Label of the pooled row: scikit-learn prints `accuracy` when it equals the micro average. */
function pooledHeading(report: ClassificationReport): string {
  return report.microIsAccuracy ? 'accuracy' : 'micro avg';
}

/**
 * The report as scikit-learn's `classification_report` prints it, character for character:
 * right-aligned names at least as wide as "weighted avg", four 9-wide columns, a blank line
 * after the header and after the classes, then the `accuracy` (or `micro avg`), `macro avg`
 * and `weighted avg` rows.
 */
export function formatReportText(report: ClassificationReport, options: ReportFormatOptions = {}): string {
  const digits = digitsOf(options, 'formatReportText');
  const names = namesOf(report, options, 'formatReportText');
  const width = Math.max(...names.map((name) => name.length), 'weighted avg'.length, digits);
  const column = (text: string) => ' ' + text.padStart(9);
  const row = (name: string, scores: ClassScores) =>
    name.padStart(width) +
    ' ' +
    column(formatFixed(scores.precision, digits)) +
    column(formatFixed(scores.recall, digits)) +
    column(formatFixed(scores.f1, digits)) +
    column(String(scores.support)) +
    '\n';
  let text = ''.padStart(width) + ' ' + ['precision', 'recall', 'f1-score', 'support'].map(column).join('') + '\n\n';
  report.perClass.forEach((scores, index) => (text += row(names[index], scores)));
  text += '\n';
  if (report.microIsAccuracy) {
    const scores = report.microAverage;
    text +=
      'accuracy'.padStart(width) +
      ' ' +
      column('') +
      column('') +
      column(formatFixed(scores.f1, digits)) +
      column(String(scores.support)) +
      '\n';
  } else {
    text += row('micro avg', report.microAverage);
  }
  text += row('macro avg', report.macroAverage);
  text += row('weighted avg', report.weightedAverage);
  return text;
}

/** The report as a GitHub-flavoured Markdown table (numbers right-aligned, summary rows in bold). */
export function formatReportMarkdown(report: ClassificationReport, options: ReportFormatOptions = {}): string {
  const digits = digitsOf(options, 'formatReportMarkdown');
  const names = namesOf(report, options, 'formatReportMarkdown');
  const escape = (text: string) => text.replace(/\|/g, '\\|');
  const row = (name: string, scores: ClassScores) =>
    `| ${name} | ${formatFixed(scores.precision, digits)} | ${formatFixed(scores.recall, digits)} | ` +
    `${formatFixed(scores.f1, digits)} | ${scores.support} |`;
  const lines = [
    '| class | precision | recall | f1-score | support |',
    '| :--- | ---: | ---: | ---: | ---: |',
    ...report.perClass.map((scores, index) => row(escape(names[index]), scores)),
  ];
  if (report.microIsAccuracy) {
    const scores = report.microAverage;
    lines.push(`| **accuracy** | | | ${formatFixed(scores.f1, digits)} | ${scores.support} |`);
  } else {
    lines.push(row('**micro avg**', report.microAverage));
  }
  lines.push(row('**macro avg**', report.macroAverage), row('**weighted avg**', report.weightedAverage));
  return lines.join('\n') + '\n';
}

/** Scores keyed as scikit-learn's `output_dict` rows. */
export interface ReportJsonRow {
  precision: number;
  recall: number;
  'f1-score': number;
  support: number;
}

/**
 * The report as a plain object shaped like scikit-learn's `classification_report(…,
 * output_dict=True)`: one entry per class name, then `accuracy` (a number) or `micro avg`,
 * `macro avg` and `weighted avg`. Unrounded; `JSON.stringify` it as is. (JavaScript lists
 * integer-like keys such as `"2"` first in ascending order, whatever the class order.)
 */
export function reportToJson(
  report: ClassificationReport,
  options: Pick<ReportFormatOptions, 'classNames'> = {},
): Record<string, ReportJsonRow | number> {
  const names = namesOf(report, options, 'reportToJson');
  const row = (scores: ClassScores): ReportJsonRow => ({
    precision: scores.precision,
    recall: scores.recall,
    'f1-score': scores.f1,
    support: scores.support,
  });
  const json: Record<string, ReportJsonRow | number> = {};
  report.perClass.forEach((scores, index) => (json[names[index]] = row(scores)));
  if (report.microIsAccuracy) json[pooledHeading(report)] = report.microAverage.precision;
  else json[pooledHeading(report)] = row(report.microAverage);
  json['macro avg'] = row(report.macroAverage);
  json['weighted avg'] = row(report.weightedAverage);
  return json;
}
