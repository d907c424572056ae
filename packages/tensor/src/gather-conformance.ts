import * as fc from 'fast-check';
import type { UpdateCheckTools } from './optimizer-conformance.js';
import { createRng } from './rng.js';

/** A batch of images to gather: the image size, how many images, which rows, where the bytes start (aligned or not). */
const gatherCase = fc.record({
  size: fc.integer({ min: 1, max: 40 }),
  count: fc.integer({ min: 1, max: 12 }),
  rows: fc.integer({ min: 0, max: 15 }),
  start: fc.integer({ min: 0, max: 3 }),
  offset: fc.integer({ min: 0, max: 3 }),
  seed: fc.nat(),
  pick: fc.nat(1),
  /** Images in order (runs of consecutive indices, as when scoring a test set) or shuffled. */
  ordered: fc.boolean(),
});

/** `gatherBytes` against the reference: exactly the same floats (the table's, special values included), nothing past the end, the bytes untouched. */
export function gatherChecks(tools: UpdateCheckTools): { name: string; run(): void }[] {
  const { kernels, reference } = tools;
  const name = kernels.name;
  return [
    {
      name: 'gatherBytes: gathers images through the table exactly as the reference (any size, unaligned bytes, repeated rows)',
      run: () =>
        tools.assertProperty(gatherCase, ({ size, count, rows, start, offset, seed, pick, ordered }) => {
          const context = `size=${size}, count=${count}, rows=${rows}, start=${start}, byte offset=${offset}, ordered=${ordered}`;
          const rng = createRng(`conformance/gather/${seed}`);
          const storage = new Uint8Array(offset + count * size);
          for (let i = 0; i < storage.length; i++) storage[i] = rng.int(256);
          const bytes = storage.subarray(offset);
          const bytesBefore = bytes.slice();
          const indices = Array.from({ length: start + rows }, (_, i) => (ordered ? i % count : rng.int(count)));
          const table = tools.specialValues(256, seed);
          const out = tools.place(tools.withGuard(new Float32Array(rows * size).fill(Number.NaN)), pick, 0);
          kernels.gatherBytes(bytes, indices, start, start + rows, size, table, out);
          const expected = new Float32Array(rows * size);
          reference.gatherBytes(bytesBefore, indices, start, start + rows, size, table, expected);
          for (let i = 0; i < rows * size; i++) {
            if (!Object.is(out[i], expected[i]) && !(Number.isNaN(out[i]) && Number.isNaN(expected[i]))) {
              throw new Error(`${name}.gatherBytes: element ${i} is ${out[i]}, expected ${expected[i]}; ${context}`);
            }
          }
          tools.expectGuardIntact(`${name}.gatherBytes`, out, rows * size, context);
          for (let i = 0; i < bytes.length; i++) if (bytes[i] !== bytesBefore[i]) throw new Error(`${name}.gatherBytes: modified its input bytes at ${i}; ${context}`);
        }),
    },
  ];
}
