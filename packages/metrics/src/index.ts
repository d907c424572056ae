export { accuracy, topKAccuracy } from './accuracy.js';
export { argmaxRows } from './argmax-rows.js';
export {
  type ClassificationOptions,
  type ClassificationReport,
  type ClassScores,
  type PrecisionRecallFscoreSupport,
  type ZeroDivision,
  classificationReport,
  precisionRecallFscoreSupport,
} from './classification-report.js';
export { confusionMatrix, errorsPerClass } from './confusion-matrix.js';
export {
  type ConfusionMatrixFormatOptions,
  formatConfusionMatrix,
  formatConfusionMatrixMarkdown,
} from './format-confusion-matrix.js';
export { formatFixed } from './format-number.js';
export {
  type ReportFormatOptions,
  type ReportJsonRow,
  formatReportMarkdown,
  formatReportText,
  reportToJson,
} from './format-report.js';
export { FLOAT32_EPSILON, logLoss } from './log-loss.js';
export { type Confusion, topConfusions } from './top-confusions.js';
export type { ClassSelection } from './validate.js';
