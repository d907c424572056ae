import { describe, expect, it } from 'vitest';
import { accuracy, topKAccuracy } from './accuracy.js';
import { classificationReport } from './classification-report.js';
import { confusionMatrix } from './confusion-matrix.js';
import { formatReportText, reportToJson } from './format-report.js';
import { logLoss } from './log-loss.js';

// Every expected value below was printed by scikit-learn 1.2.1 (Debian's python3-sklearn,
// numpy 1.24.2) on exactly these inputs, with warnings silenced:
//   classification_report(y_true, y_pred, labels=list(range(10)), zero_division=…, digits=…)
//   classification_report(…, output_dict=True), confusion_matrix(…, labels=list(range(10))),
//   accuracy_score, top_k_accuracy_score(y_true, scores, k=…, labels=list(range(10))).
// log_loss: scikit-learn ≥ 1.5 clips with np.finfo(y_pred.dtype).eps and no longer renormalises
// rows; 1.2.1 renormalises, so its value was reproduced with the ≥ 1.5 definition in numpy:
//   eps = np.finfo(p.dtype).eps; -np.log(np.clip(p, eps, 1 - eps)[range(n), y_true]).mean()
// (1.2.1's log_loss(eps="auto") agrees to 1e-15 in float64 and 2e-8 in float32.)

describe('equivalence with scikit-learn: absent and never-predicted classes', () => {
  // Class 7 appears nowhere, class 8 is never predicted, class 9 is predicted but never true.
  const labels = [0, 0, 0, 1, 1, 2, 2, 2, 2, 3, 3, 4, 4, 4, 5, 5, 6, 6, 6, 8, 8, 0, 1, 2, 3, 4, 5, 6];
  const predictions = [0, 0, 1, 1, 1, 2, 2, 3, 9, 3, 2, 4, 4, 9, 5, 3, 6, 6, 0, 6, 9, 0, 1, 2, 3, 4, 5, 6];

  it('matches confusion_matrix', () => {
    expect(confusionMatrix(labels, predictions)).toEqual([
      [3, 1, 0, 0, 0, 0, 0, 0, 0, 0],
      [0, 3, 0, 0, 0, 0, 0, 0, 0, 0],
      [0, 0, 3, 1, 0, 0, 0, 0, 0, 1],
      [0, 0, 1, 2, 0, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 3, 0, 0, 0, 0, 1],
      [0, 0, 0, 1, 0, 2, 0, 0, 0, 0],
      [1, 0, 0, 0, 0, 0, 3, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 1, 0, 0, 1],
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    ]);
  });

  it('matches classification_report(zero_division="warn", digits=4) as text', () => {
    expect(formatReportText(classificationReport(labels, predictions), { digits: 4 })).toBe(
      [
        '              precision    recall  f1-score   support',
        '',
        '           0     0.7500    0.7500    0.7500         4',
        '           1     0.7500    1.0000    0.8571         3',
        '           2     0.7500    0.6000    0.6667         5',
        '           3     0.5000    0.6667    0.5714         3',
        '           4     1.0000    0.7500    0.8571         4',
        '           5     1.0000    0.6667    0.8000         3',
        '           6     0.7500    0.7500    0.7500         4',
        '           7     0.0000    0.0000    0.0000         0',
        '           8     0.0000    0.0000    0.0000         2',
        '           9     0.0000    0.0000    0.0000         0',
        '',
        '   micro avg     0.6786    0.6786    0.6786        28',
        '   macro avg     0.5500    0.5183    0.5252        28',
        'weighted avg     0.7321    0.6786    0.6946        28',
        '',
      ].join('\n'),
    );
  });

  it('matches classification_report(zero_division=1, output_dict=True)', () => {
    const json = reportToJson(classificationReport(labels, predictions, { zeroDivision: 1 }));
    const expected = {
      '0': { precision: 0.75, recall: 0.75, 'f1-score': 0.75, support: 4 },
      '1': { precision: 0.75, recall: 1.0, 'f1-score': 0.8571428571428571, support: 3 },
      '2': { precision: 0.75, recall: 0.6, 'f1-score': 0.6666666666666665, support: 5 },
      '3': { precision: 0.5, recall: 0.6666666666666666, 'f1-score': 0.5714285714285715, support: 3 },
      '4': { precision: 1.0, recall: 0.75, 'f1-score': 0.8571428571428571, support: 4 },
      '5': { precision: 1.0, recall: 0.6666666666666666, 'f1-score': 0.8, support: 3 },
      '6': { precision: 0.75, recall: 0.75, 'f1-score': 0.75, support: 4 },
      '7': { precision: 1.0, recall: 1.0, 'f1-score': 1.0, support: 0 },
      '8': { precision: 1.0, recall: 0.0, 'f1-score': 0.0, support: 2 },
      '9': { precision: 0.0, recall: 1.0, 'f1-score': 0.0, support: 0 },
      'micro avg': { precision: 0.6785714285714286, recall: 0.6785714285714286, 'f1-score': 0.6785714285714286, support: 28 },
      'macro avg': { precision: 0.75, recall: 0.7183333333333334, 'f1-score': 0.6252380952380953, support: 28 },
      'weighted avg': { precision: 0.8035714285714286, recall: 0.6785714285714286, 'f1-score': 0.6945578231292517, support: 28 },
    };
    expect(Object.keys(json)).toEqual(Object.keys(expected));
    for (const [name, row] of Object.entries(expected)) {
      for (const [key, value] of Object.entries(row)) {
        // F1 is computed as 2tp/(2tp+fp+fn) here and as 2PR/(P+R) in 1.2.1: equal up to rounding.
        expect((json[name] as unknown as Record<string, number>)[key], `${name} ${key}`).toBeCloseTo(value, 14);
      }
    }
  });
});

describe('equivalence with scikit-learn: all classes present, scores with ties to round', () => {
  const labels = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 8, 7, 6, 4, 0, 7, 0, 7, 6, 3, 5, 8, 8, 7, 5, 0, 0, 2, 8, 9, 6, 4, 9, 7, 3, 3, 8, 3, 0];
  const predictions = [0, 1, 2, 8, 4, 2, 6, 2, 8, 9, 9, 4, 7, 6, 4, 0, 7, 0, 7, 2, 3, 5, 8, 4, 7, 5, 0, 2, 2, 8, 9, 7, 4, 9, 7, 9, 3, 8, 3, 1];
  // prettier-ignore
  const scores = [
    0.6027, 0.0128, 0.1233, 0.0049, 0.0016, 0.0164, 0.0051, 0.0105, 0.2155, 0.007199999999999984,
    0.0379, 0.6688, 0.0255, 0.0293, 0.0769, 0.0358, 0.0051, 0.0467, 0.0045, 0.06950000000000012,
    0.1039, 0.0004, 0.6854, 0.0518, 0.0167, 0.0274, 0.0855, 0.0052, 0.0087, 0.015000000000000013,
    0.0164, 0.0401, 0.1923, 0.0595, 0.0546, 0.155, 0.1689, 0.0105, 0.218, 0.0847,
    0.0809, 0.0182, 0.0268, 0.0001, 0.6215, 0.0274, 0.0214, 0.0251, 0.0364, 0.1422,
    0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
    0.0078, 0.079, 0.0051, 0.1239, 0.032, 0.0571, 0.6126, 0.0048, 0.0297, 0.04800000000000004,
    0.0613, 0.0863, 0.2866, 0.0065, 0.0946, 0.1129, 0.2368, 0.005, 0.0339, 0.07609999999999983,
    0.186, 0.0, 0.0005, 0.0123, 0.0047, 0.0888, 0.0069, 0.0021, 0.6749, 0.023799999999999932,
    0.0001, 0.0896, 0.0652, 0.0992, 0.0139, 0.0429, 0.0195, 0.003, 0.0551, 0.6114999999999999,
    0.0069, 0.0381, 0.0341, 0.0009, 0.0437, 0.074, 0.0774, 0.0173, 0.0405, 0.6671,
    0.0095, 0.0394, 0.3246, 0.0134, 0.3904, 0.0379, 0.0215, 0.1263, 0.018, 0.018999999999999906,
    0.0664, 0.0337, 0.0006, 0.1637, 0.0102, 0.0044, 0.0005, 0.6262, 0.0169, 0.07740000000000002,
    0.0021, 0.1527, 0.0246, 0.0239, 0.0185, 0.0007, 0.6562, 0.0162, 0.0566, 0.04849999999999999,
    0.1156, 0.0134, 0.033, 0.017, 0.649, 0.0059, 0.0502, 0.0921, 0.0163, 0.007500000000000062,
    0.3044, 0.0426, 0.1108, 0.1484, 0.0318, 0.1664, 0.1364, 0.0013, 0.0563, 0.0016000000000000458,
    0.0, 0.006, 0.0006, 0.1812, 0.0011, 0.0549, 0.0552, 0.6207, 0.0519, 0.02839999999999998,
    0.6066, 0.0001, 0.0933, 0.0548, 0.0253, 0.0505, 0.0016, 0.0065, 0.1588, 0.0024999999999999467,
    0.0674, 0.1573, 0.0248, 0.0832, 0.0177, 0.0084, 0.0011, 0.6303, 0.0095, 0.000300000000000078,
    0.0364, 0.0429, 0.3097, 0.2886, 0.013, 0.0059, 0.0042, 0.183, 0.1007, 0.015599999999999836,
    0.0419, 0.0034, 0.0121, 0.6591, 0.0667, 0.0081, 0.0008, 0.0896, 0.0008, 0.11749999999999994,
    0.0059, 0.1562, 0.0586, 0.0206, 0.0013, 0.6098, 0.0477, 0.0238, 0.0038, 0.07230000000000003,
    0.086, 0.0033, 0.049, 0.0162, 0.0249, 0.0247, 0.0386, 0.0199, 0.7239, 0.013500000000000068,
    0.0261, 0.0281, 0.0996, 0.2481, 0.2524, 0.0809, 0.0338, 0.0428, 0.1071, 0.08109999999999995,
    0.0999, 0.0564, 0.0583, 0.0025, 0.0674, 0.0256, 0.0011, 0.6001, 0.0728, 0.015900000000000136,
    0.0634, 0.0063, 0.0524, 0.0235, 0.0117, 0.6307, 0.0893, 0.0217, 0.0245, 0.07650000000000001,
    0.6917, 0.0504, 0.0009, 0.0163, 0.0331, 0.0716, 0.0024, 0.0032, 0.0393, 0.09110000000000007,
    0.0174, 0.1218, 0.6804, 0.0118, 0.0036, 0.0183, 0.0, 0.118, 0.0074, 0.021299999999999986,
    0.0519, 0.0017, 0.6018, 0.0573, 0.0178, 0.0015, 0.0017, 0.2256, 0.0176, 0.02310000000000001,
    0.0238, 0.0009, 0.0285, 0.2166, 0.003, 0.0324, 0.0309, 0.0575, 0.6014, 0.004999999999999893,
    0.0001, 0.1245, 0.0045, 0.0261, 0.0226, 0.0085, 0.1484, 0.0054, 0.0111, 0.6488,
    0.0168, 0.003, 0.0725, 0.1049, 0.1194, 0.2179, 0.031, 0.2712, 0.1037, 0.059599999999999986,
    0.007, 0.0692, 0.0886, 0.0369, 0.6007, 0.044, 0.0064, 0.1403, 0.0053, 0.0015999999999999348,
    0.1793, 0.0088, 0.0086, 0.0212, 0.0669, 0.0106, 0.0152, 0.0207, 0.041, 0.6277,
    0.0667, 0.0728, 0.0315, 0.0107, 0.0386, 0.0171, 0.0944, 0.6579, 0.0061, 0.0041999999999999815,
    0.0257, 0.005, 0.1425, 0.039, 0.2406, 0.0449, 0.0423, 0.0694, 0.0407, 0.3499000000000001,
    0.0556, 0.0242, 0.0044, 0.7223, 0.0679, 0.0678, 0.0221, 0.0005, 0.0327, 0.0025000000000000577,
    0.0062, 0.0132, 0.0298, 0.0054, 0.0228, 0.0098, 0.0486, 0.0381, 0.7431, 0.08299999999999996,
    0.0312, 0.0239, 0.0834, 0.6103, 0.0517, 0.0059, 0.012, 0.0167, 0.0905, 0.07439999999999991,
    0.067, 0.3714, 0.1147, 0.0396, 0.1496, 0.1852, 0.0161, 0.0022, 0.0461, 0.008099999999999996,
  ];

  it('matches classification_report() at digits 2 and 3', () => {
    const report = classificationReport(labels, predictions);
    expect(formatReportText(report)).toBe(
      [
        '              precision    recall  f1-score   support',
        '',
        '           0       1.00      0.67      0.80         6',
        '           1       0.50      1.00      0.67         1',
        '           2       0.33      1.00      0.50         2',
        '           3       1.00      0.60      0.75         5',
        '           4       0.60      1.00      0.75         3',
        '           5       1.00      0.67      0.80         3',
        '           6       1.00      0.50      0.67         4',
        '           7       0.83      0.83      0.83         6',
        '           8       0.80      0.67      0.73         6',
        '           9       0.80      1.00      0.89         4',
        '',
        '    accuracy                           0.75        40',
        '   macro avg       0.79      0.79      0.74        40',
        'weighted avg       0.85      0.75      0.76        40',
        '',
      ].join('\n'),
    );
    const lastRows = formatReportText(report, { digits: 3 }).split('\n').slice(-4).join('\n');
    expect(lastRows).toBe(
      [
        '    accuracy                          0.750        40',
        '   macro avg      0.787     0.793     0.738        40',
        'weighted avg      0.849     0.750     0.761        40',
        '',
      ].join('\n'),
    );
    expect(reportToJson(report).accuracy).toBe(0.75);
  });

  it('matches accuracy_score and top_k_accuracy_score', () => {
    expect(accuracy(labels, predictions)).toBe(0.75);
    expect(topKAccuracy(labels, scores, 1)).toBe(0.75);
    expect(topKAccuracy(labels, scores, 2)).toBe(0.75);
    expect(topKAccuracy(labels, scores, 3)).toBe(0.775);
    expect(topKAccuracy(labels, scores, 5)).toBe(0.8);
  });

  it('matches log_loss with dtype epsilon in float64 and float32 (row 5 puts 0 on its label)', () => {
    expect(logLoss(labels, scores)).toBeCloseTo(2.0846320991711615, 13);
    expect(logLoss(labels, Float32Array.from(scores))).toBeCloseTo(1.5821003930516646, 13);
    // scikit-learn < 1.3 defaulted to eps=1e-15: log_loss(…, eps=1e-15) = 2.047010174316.
    expect(logLoss(labels, scores, { eps: 1e-15 })).toBeCloseTo(2.047010174316, 11);
  });
});

describe('equivalence with scikit-learn: rounding of exact ties', () => {
  it("prints 1/8 as 0.12 and 1/16 as 0.06, as Python's format does", () => {
    // classification_report([1,0,0,0,0,0,0,0], [1,1,1,1,1,1,1,1]) with labels=[0, 1]
    const report = classificationReport([1, 0, 0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1, 1, 1], { classes: 2 });
    expect(formatReportText(report)).toBe(
      '              precision    recall  f1-score   support\n\n' +
        '           0       0.00      0.00      0.00         7\n' +
        '           1       0.12      1.00      0.22         1\n\n' +
        '    accuracy                           0.12         8\n' +
        '   macro avg       0.06      0.50      0.11         8\n' +
        'weighted avg       0.02      0.12      0.03         8\n',
    );
    expect(formatReportText(report, { digits: 0 }).split('\n')[6]).toBe('   macro avg          0         0         0         8');
  });
});
