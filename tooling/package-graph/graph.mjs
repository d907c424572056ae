// Who may import whom: the one list behind the table in docs/architecture.md and the check that
// `pnpm lint` runs over every package's sources and package.json (check.mjs). Change the graph
// here, then `pnpm graph:docs` rewrites the table.

/**
 * Workspace packages in dependency order. `imports`: the @nnkit packages its code may import
 * (`'packages'` = every package, never an app); `nodeOnly`: the whole package is for Node (an
 * app or a data package); otherwise only its `/node` entry may use Node built-ins.
 */
export const packages = [
  { name: '@nnkit/tensor', path: 'packages/tensor', imports: [], role: '`Tensor`, `Shape`, `Param`, `Rng`, the `Kernels` interface, `jsKernels` (reference backend), conformance suite at `@nnkit/tensor/test`' },
  { name: '@nnkit/picture', path: 'packages/picture', imports: [], role: '`Raster`, one 5×7 bitmap font; `/node` writes and reads PNG files' },
  { name: '@nnkit/mnist', path: 'packages/mnist', imports: [], nodeOnly: true, role: 'the MNIST IDX files on disk (data, not code)' },
  { name: '@nnkit/layers', path: 'packages/layers', imports: ['@nnkit/tensor'], role: '`Layer`/`Context` contract, layers and their schemas, losses, `Sequential`, registry, the architecture grammar, model files, `checkLayer` at `@nnkit/layers/test`' },
  { name: '@nnkit/optim', path: 'packages/optim', imports: ['@nnkit/tensor'], role: 'optimizers and learning-rate schedules' },
  { name: '@nnkit/datasets', path: 'packages/datasets', imports: ['@nnkit/tensor', '@nnkit/picture', '@nnkit/mnist'], role: 'IDX and Kaggle CSV over bytes, `Dataset`, batching, splits, distortions, digit grids; `/node` reads files and MNIST (`@nnkit/mnist`, an optional peer)' },
  { name: '@nnkit/metrics', path: 'packages/metrics', imports: [], role: 'accuracy, confusion matrix, classification report, formatters' },
  { name: '@nnkit/wasm', path: 'packages/wasm', imports: ['@nnkit/tensor'], role: 'WebAssembly SIMD `Kernels`, same conformance suite' },
  { name: '@nnkit/interop', path: 'packages/interop', imports: ['@nnkit/tensor', '@nnkit/layers'], role: 'TensorFlow.js layers-model and ONNX export/import, nnkit\'s binary and quantized model files; `/node` writes and reads files' },
  { name: '@nnkit/inference', path: 'packages/inference', imports: ['@nnkit/tensor', '@nnkit/layers', '@nnkit/datasets'], role: 'load a model file and read digits in a page: `loadClassifier`, `fetchClassifier`, a script-tag build within 20 KB gzipped' },
  { name: '@nnkit/train', path: 'packages/train', imports: ['@nnkit/tensor', '@nnkit/layers', '@nnkit/optim', '@nnkit/datasets'], role: '`fit`, `evaluate`, `predict`, checkpoints, ensembles, presets; never a backend: the app hands it the kernels' },
  { name: '@nnkit/cli', path: 'apps/cli', imports: 'packages', nodeOnly: true, role: 'the `nnkit` command (Node): files, threads, progress bars, reports' },
  { name: 'playground', path: 'apps/playground', imports: 'packages', role: 'the web app (Vite): canvas, charts, training in a Web Worker' },
];

/**
 * Edges that break the graph today, each to be deleted with the change that removes it. The
 * check fails when an exception is no longer needed, so none outlives its reason.
 */
export const exceptions = [];
