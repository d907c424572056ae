import { describe, expect, it } from 'vitest';
import { formatMatmulBench, naiveMatmul, runMatmulBench } from './matmul-bench.js';

describe('matmul benchmark', () => {
  it('naiveMatmul computes a·b ([[1,2],[3,4]]·[[5,6],[7,8]] = [[19,22],[43,50]])', () => {
    const out = new Float32Array(4).fill(Number.NaN);
    naiveMatmul(new Float32Array([1, 2, 3, 4]), new Float32Array([5, 6, 7, 8]), out, 2, 2, 2);
    expect([...out]).toEqual([19, 22, 43, 50]);
  });

  it('reports one row per size and formats them as a table', () => {
    const result = runMatmulBench({ sizes: [8, 16], runs: 1 });
    expect(result.kernels).toBe('js');
    expect(result.rows.map((row) => row.size)).toEqual([8, 16]);
    for (const row of result.rows) expect(row.speedup).toBeCloseTo(row.kernelGflops / row.naiveGflops);
    const lines = formatMatmulBench(result).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toContain('js GFLOP/s');
    expect(lines[3]).toContain('16×16×16');
  });
});
