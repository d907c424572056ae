import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BlockAllocator } from './block-allocator.js';

describe('BlockAllocator', () => {
  it('bumps, reuses the first free run that fits, merges neighbours and lowers the end (hand-traced)', () => {
    const blocks = new BlockAllocator(1000);
    const a = blocks.allocate(100); // [1000, 1100)
    const b = blocks.allocate(200); // [1100, 1300)
    const c = blocks.allocate(50); // [1300, 1350)
    expect([a, b, c, blocks.end]).toEqual([1000, 1100, 1300, 1350]);
    blocks.release({ offset: a, size: 100 });
    expect(blocks.allocate(60)).toBe(1000); // split: [1060, 1100) stays free
    expect(blocks.freeRuns()).toEqual([{ offset: 1060, size: 40 }]);
    blocks.release({ offset: b, size: 200 }); // merges with [1060, 1100)
    expect(blocks.freeRuns()).toEqual([{ offset: 1060, size: 240 }]);
    blocks.release({ offset: c, size: 50 }); // reaches the end: the end drops to 1060
    expect(blocks.freeRuns()).toEqual([]);
    expect(blocks.end).toBe(1060);
  });

  it('never hands out overlapping blocks, and frees everything back to the start (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 50 }), fc.boolean()), { maxLength: 60 }), fc.nat(), (steps, seed) => {
        const blocks = new BlockAllocator(64);
        const live: { offset: number; size: number }[] = [];
        let turn = seed;
        for (const [size, release] of steps) {
          if (release && live.length > 0) {
            const [block] = live.splice(turn++ % live.length, 1);
            blocks.release(block);
          } else {
            const block = { offset: blocks.allocate(size * 64), size: size * 64 };
            for (const other of live) {
              expect(block.offset + block.size <= other.offset || other.offset + other.size <= block.offset).toBe(true);
            }
            expect(block.offset + block.size).toBeLessThanOrEqual(blocks.end);
            live.push(block);
          }
        }
        for (const block of live) blocks.release(block);
        expect(blocks.end).toBe(64);
        expect(blocks.freeRuns()).toEqual([]);
      }),
      { seed: 3 },
    );
  });
});
