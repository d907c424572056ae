import { createRng, jsKernels, tensor, zeroGrads, type Kernels } from '@nnkit/tensor';
import { describe, expect, it } from 'vitest';
import { allocateFloats, BatchCache, BufferPool, scratchFloats } from './batch-cache.js';
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

describe('BufferPool', () => {
  it("hands a smaller batch a prefix of the slot's array, and a larger one a new array, keeping the old", () => {
    const pool = new BufferPool();
    const large = pool.floats(undefined, 'output', 12);
    const small = pool.floats(undefined, 'output', 5);
    expect(small.buffer).toBe(large.buffer);
    expect([small.byteOffset, small.length]).toEqual([large.byteOffset, 5]);
    // Slots do not share.
    expect(pool.floats(undefined, 'inputGrad', 5).buffer).not.toBe(large.buffer);
    const larger = pool.floats(undefined, 'output', 20);
    expect(larger.buffer).not.toBe(large.buffer);
    expect(pool.floats(undefined, 'output', 12).buffer).toBe(larger.buffer);
    const ints = pool.ints('argmax', 8);
    expect(pool.ints('argmax', 3).buffer).toBe(ints.buffer);
    expect(pool.tensor(undefined, 'output', [2, 3]).data.buffer).toBe(larger.buffer);
  });

  it('a smaller batch after a larger one: the same outputs and gradients as a fresh network, in the larger batch\'s memory', () => {
    const definition = {
      inputShape: [8, 8, 1],
      layers: [
        { kind: 'conv2d', filters: 3, kernelSize: 3, padding: 'same' },
        { kind: 'batchNorm' },
        { kind: 'relu' },
        { kind: 'maxPool2d', size: 2 },
        { kind: 'conv2d', filters: 4, kernelSize: 3 },
        { kind: 'elu' },
        { kind: 'avgPool2d', size: 2 },
        { kind: 'dropout', rate: 0.3 },
        { kind: 'flatten' },
        { kind: 'dense', units: 5 },
      ],
      loss: { kind: 'softmaxCrossEntropy' },
    } as const;
    const images = (batch: number, seed: number) => tensor([batch, 8, 8, 1], Float32Array.from({ length: batch * 64 }, (_, i) => Math.sin(i * 0.37 + seed)));
    const step = (model: Sequential, batch: number, seed: number) => {
      const context = { kernels: jsKernels, training: true, rng: createRng(seed) };
      zeroGrads(model.params);
      const layerOutputs: Float32Array[] = [];
      let x = images(batch, seed);
      for (const layer of model.layers) {
        x = layer.forward(x, context);
        layerOutputs.push(x.data);
      }
      const inputGrad = model.backward(tensor(x.shape, Float32Array.from({ length: x.data.length }, (_, i) => Math.cos(i))), context);
      return { layerOutputs, inputGrad: inputGrad.data, grads: model.params.map((param) => Array.from(param.grad.data)) };
    };
    const used = new Sequential(definition, createRng(1));
    const first = step(used, 7, 3);
    const second = step(used, 4, 4);
    const fresh = step(new Sequential(definition, createRng(1)), 4, 4);
    second.layerOutputs.forEach((data, i) => expect(Array.from(data), `layer ${i}`).toEqual(Array.from(fresh.layerOutputs[i])));
    expect(Array.from(second.inputGrad)).toEqual(Array.from(fresh.inputGrad));
    expect(second.grads).toEqual(fresh.grads);
    // Each layer's output for 4 images is the start of its output for 7 (dropout in training too).
    second.layerOutputs.forEach((data, i) => {
      expect(data.buffer, `layer ${i}`).toBe(first.layerOutputs[i].buffer);
      expect(data.byteOffset, `layer ${i}`).toBe(first.layerOutputs[i].byteOffset);
    });
    expect(second.inputGrad.buffer).toBe(first.inputGrad.buffer);
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
