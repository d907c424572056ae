import { describe, expect, it } from 'vitest';
import { classificationReport } from './classification-report.js';
import { formatReportMarkdown, formatReportText, reportToJson } from './format-report.js';

// 8 zeros (7 right) and 2 ones (1 right): P0 = R0 = 7/8, P1 = R1 = 1/2, accuracy 8/10.
const labels = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1];
const predictions = [0, 0, 0, 0, 0, 0, 0, 1, 1, 0];
const report = classificationReport(labels, predictions, { classes: 2 });

describe('formatReportText', () => {
  it('widens the name column for long class names like scikit-learn target_names', () => {
    // Printed by scikit-learn 1.2.1: classification_report(…, target_names=['zero', 'one-long-name']).
    expect(formatReportText(report, { classNames: ['zero', 'one-long-name'] })).toBe(
      [
        '               precision    recall  f1-score   support',
        '',
        '         zero       0.88      0.88      0.88         8',
        'one-long-name       0.50      0.50      0.50         2',
        '',
        '     accuracy                           0.80        10',
        '    macro avg       0.69      0.69      0.69        10',
        ' weighted avg       0.80      0.80      0.80        10',
        '',
      ].join('\n'),
    );
  });

  it('rejects a wrong number of names and bad digits', () => {
    expect(() => formatReportText(report, { classNames: ['a'] })).toThrow(
      'formatReportText: classNames has 1 names for 2 classes',
    );
    expect(() => formatReportText(report, { digits: -1 })).toThrow('formatReportText: digits = -1 must be an integer in [0, 20]');
  });
});

describe('formatReportMarkdown', () => {
  it('writes one row per class and bold summary rows', () => {
    expect(formatReportMarkdown(report, { digits: 3 })).toBe(
      [
        '| class | precision | recall | f1-score | support |',
        '| :--- | ---: | ---: | ---: | ---: |',
        '| 0 | 0.875 | 0.875 | 0.875 | 8 |',
        '| 1 | 0.500 | 0.500 | 0.500 | 2 |',
        '| **accuracy** | | | 0.800 | 10 |',
        '| **macro avg** | 0.688 | 0.688 | 0.688 | 10 |',
        '| **weighted avg** | 0.800 | 0.800 | 0.800 | 10 |',
        '',
      ].join('\n'),
    );
  });
});

describe('reportToJson', () => {
  it('is a plain object shaped like output_dict=True that survives JSON', () => {
    const json = reportToJson(report);
    expect(JSON.parse(JSON.stringify(json))).toEqual({
      '0': { precision: 0.875, recall: 0.875, 'f1-score': 0.875, support: 8 },
      '1': { precision: 0.5, recall: 0.5, 'f1-score': 0.5, support: 2 },
      accuracy: 0.8,
      'macro avg': { precision: 0.6875, recall: 0.6875, 'f1-score': 0.6875, support: 10 },
      'weighted avg': { precision: 0.8, recall: 0.8, 'f1-score': 0.8, support: 10 },
    });
  });
});
