export { type Rgb, diverging, textColorOn } from './colors.js';
export { type FirstLayerWeights, type WeightImages, firstLayerImages } from './first-layer.js';
export { type HistoryTable, historySeries, historyTable } from './history.js';
export { digitPng, weightsPng } from './png.js';
export { type ReportInput, renderReportHtml } from './render-report-html.js';
export { errorHistogramSvg } from './svg-bar-chart.js';
export { confusionMatrixSvg } from './svg-confusion-matrix.js';
export { type LineSeries, lineChartSvg } from './svg-line-chart.js';
export {
  type MisclassifiedExample,
  confusionMatrixPng,
  errorHistogramPng,
  lineChartPng,
  misclassifiedSheetPng,
} from './png-charts.js';
