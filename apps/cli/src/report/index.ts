export { type Rgb, diverging, textColorOn } from './colors.js';
export { type FirstLayerWeights, type WeightImages, firstLayerImages } from './first-layer.js';
export { type HistoryTable, historySeries, historyTable } from './history.js';
export { digitPng, encodePng, pngDataUri, weightsPng } from './png.js';
export { type ReportInput, renderReportHtml } from './render-report-html.js';
export { errorHistogramSvg } from './svg-bar-chart.js';
export { confusionMatrixSvg } from './svg-confusion-matrix.js';
export { type LineSeries, lineChartSvg } from './svg-line-chart.js';
export { GLYPH_HEIGHT, GLYPH_WIDTH, textWidth } from './bitmap-font.js';
export {
  type MisclassifiedExample,
  confusionMatrixPng,
  errorHistogramPng,
  lineChartPng,
  misclassifiedSheetPng,
} from './png-charts.js';
export { Raster, type TextOptions } from './raster.js';
