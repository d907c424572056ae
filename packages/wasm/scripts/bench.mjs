// Matmul throughput of the wasm kernels against jsKernels: square sizes and the bench-cnn
// convolution products (batch 64), the other bench-cnn kernels, and zeroing in linear memory.
// Run: pnpm --filter @nnkit/wasm bench [-- --quick]
import v8 from 'node:v8';

// Must run before any WebAssembly module is compiled (Node 20 ships relaxed SIMD behind a flag).
v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

const { conv2dGeometry, jsKernels, pool2dGeometry } = await import('@nnkit/tensor');
const { createWasmKernels } = await import('../dist/index.js');

const quick = process.argv.includes('--quick');
const minimumSeconds = quick ? 0.15 : 0.5;

function randomArray(length, seed) {
  // A small linear congruential generator: the benchmark needs values, not statistics.
  const array = new Float32Array(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    array[i] = state / 4294967296 - 0.5;
  }
  return array;
}

/** Milliseconds of processor time this process has used (user + system). */
function processorMilliseconds() {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/**
 * Least processor time of one call of `run`, over the calls made in `minimumSeconds` (at least
 * 3, after a warm-up call). Processor time rather than wall time, and the minimum rather than
 * the median, because on a shared machine other processes preempt and slow the calls.
 */
function bestMilliseconds(run) {
  run();
  let best = Infinity;
  let calls = 0;
  const deadline = performance.now() + minimumSeconds * 1000;
  do {
    const start = processorMilliseconds();
    run();
    best = Math.min(best, processorMilliseconds() - start);
    calls++;
  } while (performance.now() < deadline || calls < 3);
  return best;
}

function gflops(kernels, shape) {
  const { m, k, n } = shape;
  const a = randomArray(m * k, 1);
  const b = randomArray(k * n, 2);
  const out = new Float32Array(m * n);
  const best = bestMilliseconds(() => kernels.matmul(a, b, out, shape));
  return { gflops: (2 * m * k * n) / (best * 1e6), milliseconds: best };
}

const shapes = [
  ...[128, 256, 512, 1024].map((size) => ({ label: `${size}³`, m: size, k: size, n: size })),
  { label: 'conv1 forward  36864×25 · 25×20', m: 36864, k: 25, n: 20 },
  { label: 'conv1 weights  (36864×25)ᵀ · 36864×20', m: 25, k: 36864, n: 20, transposeA: true },
  { label: 'conv1 input    36864×20 · (25×20)ᵀ', m: 36864, k: 20, n: 25, transposeB: true },
  { label: 'conv2 forward  4096×500 · 500×40', m: 4096, k: 500, n: 40 },
  { label: 'conv2 weights  (4096×500)ᵀ · 4096×40', m: 500, k: 4096, n: 40, transposeA: true },
  { label: 'conv2 input    4096×40 · (500×40)ᵀ', m: 4096, k: 40, n: 500, transposeB: true },
  { label: 'dense1 forward 64×640 · 640×100', m: 64, k: 640, n: 100 },
];

const backends = [
  ['js', jsKernels],
  ['wasm simd', await createWasmKernels({ relaxedSimd: false })],
];
const relaxed = await createWasmKernels();
if (relaxed.features === 'relaxed-simd') backends.push(['wasm relaxed', relaxed]);

const rows = [];
for (const shape of shapes) {
  const row = { shape: shape.label };
  for (const [name, kernels] of backends) {
    if (name === 'js' && shape.m * shape.k * shape.n > (quick ? 2e7 : 3e8)) {
      row[name] = '-';
      continue;
    }
    const result = gflops(kernels, shape);
    row[name] = `${result.gflops.toFixed(1)} (${result.milliseconds.toFixed(2)} ms)`;
  }
  rows.push(row);
}
console.log('matmul GFLOP/s (least processor time of one call), one thread');
console.table(rows);

// The other bench-cnn kernels (batch 64), copies in and out of wasm memory included.
const operations = [];
for (const [size, channels, filters] of [[28, 1, 20], [12, 20, 40]]) {
  const g = conv2dGeometry({ batch: 64, inputHeight: size, inputWidth: size, inputChannels: channels, kernelHeight: 5, kernelWidth: 5 });
  const input = randomArray(64 * size * size * channels, 3);
  const columns = new Float32Array(64 * g.outputHeight * g.outputWidth * 25 * channels);
  const rows = 64 * g.outputHeight * g.outputWidth;
  const activations = randomArray(rows * filters, 4);
  const bias = randomArray(filters, 5);
  const pool = pool2dGeometry({ batch: 64, inputHeight: g.outputHeight, inputWidth: g.outputWidth, channels: filters, poolHeight: 2, poolWidth: 2 });
  const pooled = new Float32Array(64 * pool.outputHeight * pool.outputWidth * filters);
  const argmax = new Int32Array(pooled.length);
  const where = `${size}×${size}×${channels}`;
  operations.push(
    [`im2col ${where} → ${rows}×${25 * channels}`, (kernels) => kernels.im2col(input, columns, g)],
    [`col2im ${rows}×${25 * channels} → ${where}`, (kernels) => kernels.col2im(columns, input, g)],
    [`addRowVector ${rows}×${filters}`, (kernels) => kernels.addRowVector(activations, bias, rows, filters)],
    [`sumRows ${rows}×${filters}`, (kernels) => kernels.sumRows(activations, bias, rows, filters)],
    [`maxPool2d 2×2 ${g.outputHeight}×${g.outputWidth}×${filters}`, (kernels) => kernels.maxPool2d(activations, pooled, argmax, pool)],
    [`maxPool2dBackward ${g.outputHeight}×${g.outputWidth}×${filters}`, (kernels) => kernels.maxPool2dBackward(pooled, argmax, activations, pool)],
  );
}
const operationRows = operations.map(([label, run]) => {
  const row = { operation: label };
  for (const [name, kernels] of backends) row[name] = `${bestMilliseconds(() => run(kernels)).toFixed(3)} ms`;
  return row;
});
console.log('other kernels at bench-cnn shapes (batch 64), least processor time of one call');
console.table(operationRows);

// Zeroing a layer's input gradient in linear memory (the conv1 → pool gradient of bench-cnn,
// 64×24×24×20 floats): a JavaScript fill over a SharedArrayBuffer against the zero kernel.
const zeroRows = [];
for (const [name, kernels] of backends) {
  if (kernels.allocate === undefined) continue;
  const array = kernels.allocate(64 * 24 * 24 * 20);
  zeroRows.push({
    backend: name,
    'array.fill(0)': `${bestMilliseconds(() => array.fill(0)).toFixed(3)} ms`,
    'kernels.zero(array)': `${bestMilliseconds(() => kernels.zero(array)).toFixed(3)} ms`,
  });
}
console.log('zeroing 737 280 floats in linear memory (a SharedArrayBuffer), least processor time of one call');
console.table(zeroRows);
