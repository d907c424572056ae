import type { Kernels } from '@nnkit/tensor';
import type { Workspace } from './workspace.js';

/** The module's pixel entry point (assembly/gather.ts). */
export interface GatherExports {
  lookupBytes(bytes: number, table: number, out: number, length: number): void;
}

/**
 * `gatherBytes` in WebAssembly: the batch's image bytes and the table are copied into linear
 * memory (a memcpy per image), the lookups run there and write the floats in place when `out`
 * lives in the module's memory (the input batches of `fit` and `evaluate` do).
 */
export function createGather(exports: GatherExports, workspace: Workspace): Pick<Kernels, 'gatherBytes'> {
  return {
    gatherBytes(bytes, indices, start, end, size, table, out) {
      const length = (end - start) * size;
      if (out.length < length) throw new Error(`wasm kernels: gatherBytes out has ${out.length} elements, needs at least ${length}`);
      if (table.length < 256) throw new Error(`wasm kernels: gatherBytes table has ${table.length} entries, needs 256`);
      if (length <= 0) return;
      const outResident = workspace.address(out);
      const [tableAt, bytesAt, outCopy] = workspace.layout(256, Math.ceil(length / 4), outResident >= 0 ? 0 : length);
      workspace.write(tableAt, table, 256);
      // One copy per run of consecutive images (a whole batch when they come in order).
      for (let r = 0; r < end - start; ) {
        const first = indices[start + r];
        let run = 1;
        while (r + run < end - start && indices[start + r + run] === first + run) run++;
        workspace.writeBytes(bytesAt + r * size, bytes, first * size, run * size);
        r += run;
      }
      const outAt = outResident >= 0 ? outResident : outCopy;
      exports.lookupBytes(bytesAt, tableAt, outAt, length);
      workspace.finish(outAt, out, length);
    },
  };
}
