export { type Dataset, MNIST_IMAGE_SHAPE, createDataset, imageSizeOf } from './dataset.js';
export { type DatasetErrorDetails, DatasetError } from './dataset-error.js';
export { type DataSpec, DataSpecError, dataSpecKinds, parseDataSpec, formatDataSpec } from './data-spec.js';
export { defaultMaxPixels, checkImageSize, pngSize } from './image-size.js';
export { parseClassNames, classCountOf } from './class-names.js';
export { isGzip, gunzipIfNeeded, gzipBytes } from './gzip.js';
export {
  type IdxArray,
  type IdxImages,
  type IdxPairNames,
  IDX_IMAGES_MAGIC,
  IDX_LABELS_MAGIC,
  parseIdx,
  parseIdxImages,
  parseIdxLabels,
  parseIdxDataset,
  idxToDataset,
  readIdxImages,
  readIdxLabels,
  readIdxDataset,
  encodeIdx,
  encodeIdxImages,
  encodeIdxLabels,
} from './idx.js';
export {
  type KaggleCsvLayout,
  type KaggleCsvOptions,
  parseKaggleCsv,
  encodeKaggleCsv,
  encodeSubmissionCsv,
  parseSubmissionCsv,
} from './kaggle-csv.js';
export {
  type Normalization,
  normalizationTable,
  fillBatch,
  fillLabels,
  normalizeBytes,
  pixelMeanStd,
  parseNormalization,
} from './normalization.js';
export { sliceDataset, subset, validationSplit, trainTestSplit, concatDatasets } from './splits.js';
export { shuffledIndices, rangeIndices, shuffleLabels } from './shuffle.js';
export {
  type AugmentSpec,
  parseAugmentSpec,
  formatAugmentSpec,
  distortImage,
  augmentBatch,
  augmentDataset,
  augmentPreview,
  augmentImagesInPlace,
  augmentHook,
  shiftImage,
  expandByShifts,
} from './distortions.js';
export { type PreprocessOptions, type PreprocessSteps, preprocessDigit, toGray } from './preprocess.js';
export { type ImageHeader, DEFAULT_MAX_IMAGE_PIXELS, readImageHeader } from './image-header.js';
export { type DigitGridOptions, digitGrid } from './digit-grid.js';
export { type FetchMnistOptions, type MnistSplit, MNIST_FILES, fetchMnist, fetchMnistSplit } from './fetch-mnist.js';
