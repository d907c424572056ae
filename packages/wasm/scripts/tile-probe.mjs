// Why the matrix product's register tile is 4×8: compiles the micro-kernel's inner loop for
// several tile shapes (R rows of A × 4·V columns of B, R·V f32x4 accumulators) with the same
// AssemblyScript options as the package, and times each on packed operands that stay in cache,
// so the figure is the micro-kernel's own rate (no packing, no memory traffic).
// Run: node packages/wasm/scripts/tile-probe.mjs [--tiles 4x8,5x8,6x8,4x12] [--depth 256]
// Prints GFLOP/s per tile and round (processor time of this thread; alternate, read the medians).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import asc from 'assemblyscript/asc';

v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

function option(name, fallback) {
  const at = process.argv.indexOf(name);
  return at >= 0 && at + 1 < process.argv.length ? process.argv[at + 1] : fallback;
}

const tiles = option('--tiles', '4x8,5x8,6x8,4x12').split(',').map((text) => {
  const match = /^(\d+)x(\d+)$/.exec(text);
  if (!match || Number(match[2]) % 4 !== 0 || Number(match[1]) < 1) throw new Error(`tile-probe: --tiles takes RxC with C a multiple of 4, got "${text}"`);
  return { name: text, rows: Number(match[1]), vectors: Number(match[2]) / 4 };
});
const depth = Number(option('--depth', '256'));
const rounds = Number(option('--rounds', '5'));

/** One tile's kernel: `panels` B panels × `blocks` A micro-panels, the depth loop as gemmBlock's. */
function kernelSource({ name, rows, vectors }) {
  const id = name.replace('x', '_');
  const acc = (r, v) => `c${r}_${v}`;
  const lines = [];
  lines.push(`export function tile${id}(a: usize, b: usize, kc: i32, blocks: i32, panels: i32, out: usize, outStride: i32): void {`);
  lines.push('  const rowBytes = <usize>outStride * 4;');
  lines.push('  for (let p = 0; p < panels; p++) {');
  lines.push('    for (let r = 0; r < blocks; r++) {');
  lines.push(`      let pa = a + <usize>r * <usize>kc * ${rows * 4};`);
  lines.push(`      let pb = b + <usize>p * <usize>kc * ${vectors * 16};`);
  for (let r = 0; r < rows; r++) for (let v = 0; v < vectors; v++) lines.push(`      let ${acc(r, v)} = f32x4.splat(0);`);
  lines.push('      for (let q = 0; q < kc; q++) {');
  for (let v = 0; v < vectors; v++) lines.push(`        const b${v} = v128.load(pb, ${v * 16});`);
  for (let r = 0; r < rows; r++) {
    lines.push(`        ${r === 0 ? 'let ' : ''}x = v128.load32_splat(pa, ${r * 4});`);
    for (let v = 0; v < vectors; v++) lines.push(`        ${acc(r, v)} = f32x4.relaxed_madd(x, b${v}, ${acc(r, v)});`);
  }
  lines.push(`        pa += ${rows * 4};`);
  lines.push(`        pb += ${vectors * 16};`);
  lines.push('      }');
  lines.push(`      let o = out + (<usize>(r * ${rows}) * <usize>outStride + <usize>p * ${vectors * 4}) * 4;`);
  for (let r = 0; r < rows; r++) {
    for (let v = 0; v < vectors; v++) lines.push(`      v128.store(o, ${acc(r, v)}, ${v * 16});`);
    lines.push('      o += rowBytes;');
  }
  lines.push('    }');
  lines.push('  }');
  lines.push('}');
  return lines.join('\n');
}

const directory = mkdtempSync(join(tmpdir(), 'nnkit-tile-probe-'));
let binary;
try {
  writeFileSync(join(directory, 'tiles.ts'), tiles.map(kernelSource).join('\n\n'));
  const { error, stderr } = await asc.main([
    join(directory, 'tiles.ts'), '--outFile', join(directory, 'tiles.wasm'),
    '-O3', '--runtime', 'stub', '--noAssert', '--use', 'abort=', '--importMemory', '--initialMemory', '1',
    '--enable', 'simd,relaxed-simd',
  ]);
  if (error) throw new Error(`tile-probe: asc failed: ${stderr.toString()}`);
  binary = readFileSync(join(directory, 'tiles.wasm'));
} finally {
  rmSync(directory, { recursive: true, force: true });
}

const memory = new WebAssembly.Memory({ initial: 256 });
const { instance } = await WebAssembly.instantiate(binary, { env: { memory } });
const floats = new Float32Array(memory.buffer);
for (let i = 0; i < floats.length; i++) floats[i] = ((i * 2654435761) % 1000) / 1000 - 0.5;
// 120 rows of A (a multiple of 3, 4, 5, 6, 8) and 48 columns of B (a multiple of 8, 12, 16):
// packed A 120 KiB and B 48 KiB at depth 256, in the core's L2 throughout.
const rowsOfA = 120;
const columnsOfB = 48;
const A = 1 << 16;
const B = 1 << 20;
const OUT = 1 << 22;

const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

console.log(`micro-kernel rate, GFLOP/s (${rowsOfA}×${depth} · ${depth}×${columnsOfB}, relaxed SIMD, ${rounds} rounds alternating)`);
const rates = new Map(tiles.map((tile) => [tile.name, []]));
for (let round = 0; round < rounds; round++) {
  for (const tile of tiles) {
    const kernel = instance.exports[`tile${tile.name.replace('x', '_')}`];
    const blocks = Math.floor(rowsOfA / tile.rows);
    const panels = Math.floor(columnsOfB / (tile.vectors * 4));
    const flops = 2 * blocks * tile.rows * depth * panels * tile.vectors * 4;
    for (let warm = 0; warm < 50; warm++) kernel(A, B, depth, blocks, panels, OUT, columnsOfB);
    const repeats = 1000;
    const start = cpuMs();
    for (let repeat = 0; repeat < repeats; repeat++) kernel(A, B, depth, blocks, panels, OUT, columnsOfB);
    rates.get(tile.name).push((flops * repeats) / ((cpuMs() - start) * 1e6));
  }
}
const median = (values) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
for (const tile of tiles) {
  const values = rates.get(tile.name);
  console.log(`${tile.name.padEnd(5)} ${String(tile.rows * tile.vectors).padStart(2)} accumulators  median ${median(values).toFixed(1).padStart(5)}  (${values.map((v) => v.toFixed(1)).join(', ')})`);
}
