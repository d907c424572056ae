// Matmul throughput of the wasm kernels against jsKernels: square sizes and the bench-cnn
// convolution products (batch 64). Run: pnpm --filter @nnkit/wasm bench [-- --quick]
import v8 from 'node:v8';

// Must run before any WebAssembly module is compiled (Node 20 ships relaxed SIMD behind a flag).
v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

const { jsKernels } = await import('@nnkit/tensor');
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

function gflops(kernels, shape) {
  const { m, k, n } = shape;
  const a = randomArray(m * k, 1);
  const b = randomArray(k * n, 2);
  const out = new Float32Array(m * n);
  kernels.matmul(a, b, out, shape);
  const times = [];
  const deadline = performance.now() + minimumSeconds * 1000;
  do {
    const start = performance.now();
    kernels.matmul(a, b, out, shape);
    times.push(performance.now() - start);
  } while (performance.now() < deadline || times.length < 3);
  times.sort((x, y) => x - y);
  const median = times[times.length >> 1];
  return { gflops: (2 * m * k * n) / (median * 1e6), milliseconds: median };
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
console.log('matmul GFLOP/s (median time per call), one thread');
console.table(rows);
