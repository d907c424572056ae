import { createRng, jsKernels, tensor, type Kernels } from '@nnkit/tensor';
import { describe, expect, it } from 'vitest';
import { allocateFloats, BatchCache, scratchFloats } from './batch-cache.js';
import { Sequential } from './sequential.js';

describe('BatchCache', () => {
  it('builds once per batch size and evicts the oldest size beyond its capacity', () => {
    const built: number[] = [];
    const cache = new BatchCache((batch) => {
      built.push(batch);
      return { batch };
    }, 2);
    expect(cache.get(4)).toBe(cache.get(4));
    cache.get(8);
    cache.get(16); // evicts 4
    cache.get(4);
    expect(built).toEqual([4, 8, 16, 4]);
  });
});

describe('buffers from the backend', () => {
  it('layers take their buffers from kernels.allocate when the backend offers it', () => {
    const allocated = new Set<Float32Array>();
    const kernels: Kernels = {
      ...jsKernels,
      name: 'allocating',
      allocate: (length) => {
        const array = new Float32Array(length);
        allocated.add(array);
        return array;
      },
    };
    const model = new Sequential(
      {
        inputShape: [6, 6, 1],
        layers: [{ kind: 'conv2d', filters: 2, kernelSize: 3 }, { kind: 'relu' }, { kind: 'maxPool2d', size: 2 }, { kind: 'flatten' }, { kind: 'dense', units: 3 }],
        loss: { kind: 'softmaxCrossEntropy' },
      },
      createRng(1),
    );
    const context = { kernels, training: true, rng: createRng(2) };
    const input = tensor([2, 6, 6, 1], Float32Array.from({ length: 72 }, (_, i) => Math.sin(i)));
    const outputs = model.layers.map(() => null as Float32Array | null);
    let x = input;
    model.layers.forEach((layer, i) => {
      x = layer.forward(x, context);
      outputs[i] = x.data;
    });
    const inputGrad = model.backward(tensor(x.shape, new Float32Array(6).fill(0.1)), context);
    // Conv, ReLU, pooling and dense outputs (flatten shares its input's) and every input gradient.
    for (const data of outputs) expect(allocated.has(data as Float32Array)).toBe(true);
    expect(allocated.has(inputGrad.data)).toBe(true);
    // The same results as with ordinary arrays.
    const plain = new Sequential(model.definition, createRng(1));
    const plainContext = { kernels: jsKernels, training: true, rng: createRng(2) };
    expect(Array.from(plain.forward(input, plainContext).data)).toEqual(Array.from(x.data));
  });

  it('allocateFloats falls back to an ordinary zeroed array', () => {
    const array = allocateFloats(jsKernels, 5);
    expect(array).toEqual(new Float32Array(5));
    expect(allocateFloats(undefined, 2)).toEqual(new Float32Array(2));
  });

  it('scratchFloats hands every caller on a backend the same memory, grown on demand', () => {
    const allocations: number[] = [];
    const kernels: Kernels = { ...jsKernels, allocate: (length) => (allocations.push(length), new Float32Array(length)) };
    const first = scratchFloats(kernels, 10);
    const second = scratchFloats(kernels, 6);
    expect([first.length, second.length]).toEqual([10, 6]);
    expect(second.buffer).toBe(first.buffer);
    const grown = scratchFloats(kernels, 20);
    expect(grown.length).toBe(20);
    expect(grown.buffer).not.toBe(first.buffer);
    expect(scratchFloats(kernels, 15).buffer).toBe(grown.buffer);
    expect(allocations).toEqual([10, 20]);
    // Another backend has its own.
    expect(scratchFloats(jsKernels, 6).buffer).not.toBe(first.buffer);
  });
});
