import { createRng, jsKernels, sizeOf, tensor, zeroGrads, type Shape } from '@nnkit/tensor';
import { describe, expect, it } from 'vitest';
import { createLayer, initialLayer, layerKinds, layerRegistry, layerSchemas, type LayerKind, type LayerSpec } from './registry.js';
import { readConfig, type LayerSchema } from './schema.js';
import { checkLayer } from './test.js';

// Every registered kind is exercised without a table to maintain: its config is built from the
// schema (each field's `initial` value, as an editor makes a new layer), its input is the first shape it accepts.
const candidateShapes: readonly Shape[] = [[6, 6, 2], [5]];

function exampleOf(kind: LayerKind): { spec: LayerSpec; inputShape: Shape } {
  const spec = initialLayer(kind);
  for (const inputShape of candidateShapes) {
    try {
      createLayer(spec, inputShape, createRng(1));
      return { spec, inputShape };
    } catch {
      // try the next shape
    }
  }
  throw new Error(`${kind}: no example input shape fits ${JSON.stringify(spec)}`);
}

describe('layer registry', () => {
  it('lists every kind once, keyed by its config kind', () => {
    expect(new Set(layerKinds).size).toBe(layerKinds.length);
    expect(new Set(layerKinds.map((kind) => kind.toLowerCase())).size).toBe(layerKinds.length);
    for (const kind of layerKinds) expect(layerRegistry[kind].kind).toBe(kind);
  });

  it('marks weights alone for regularization: biases and batch-norm parameters are never decayed (AdamW, L1, L2)', () => {
    for (const kind of layerKinds) {
      const { spec, inputShape } = exampleOf(kind);
      for (const param of createLayer(spec, inputShape, createRng(1)).params) {
        expect(param.regularize, `${kind}.${param.name}`).toBe(param.name === 'weights');
      }
    }
  });

  it('gives every required field a value for new layers, inside its range', () => {
    for (const schema of layerSchemas as readonly LayerSchema[]) {
      for (const [name, field] of Object.entries(schema.fields)) {
        if (field.default === undefined && !field.optional) expect(field.initial, `${schema.kind}.${name}`).toBeDefined();
      }
      const { spec } = exampleOf(schema.kind as LayerKind);
      expect(readConfig(schema, spec)).toBeTypeOf('object');
    }
  });

  for (const kind of layerKinds) {
    const { spec, inputShape } = exampleOf(kind);

    it(`${kind}: built by createLayer from ${JSON.stringify(spec)}, passes checkLayer`, () => {
      // Distinct inputs keep the finite differences away from kinks (ReLU at 0, max-pool ties).
      checkLayer((rng) => createLayer(spec, inputShape, rng), { input: 'distinct' });
    });

    it(`${kind}: reuses its buffers for repeated batches of the same size`, () => {
      const layer = createLayer(spec, inputShape, createRng(1));
      const context = { kernels: jsKernels, training: true, rng: createRng(2) };
      const input = tensor([2, ...inputShape]);
      const first = layer.forward(input, context);
      const firstGrad = layer.backward(tensor([2, ...layer.outputShape]), context);
      layer.forward(tensor([3, ...inputShape]), context); // another batch size in between
      const second = layer.forward(input, context);
      const secondGrad = layer.backward(tensor([2, ...layer.outputShape]), context);
      expect(second.data).toBe(first.data);
      // Flatten and inference-mode dropout return views of the gradient they are given.
      if (kind !== 'flatten') expect(secondGrad.data).toBe(firstGrad.data);
    });

    it(`${kind}: after a larger batch, a smaller one computes what a fresh layer computes (its arrays are prefixes of the larger batch's)`, () => {
      const values = (batch: number, shape: Shape, seed: number) => tensor([batch, ...shape], Float32Array.from({ length: batch * sizeOf(shape) }, (_, i) => Math.sin(i * 0.61 + seed)));
      const step = (layer: ReturnType<typeof createLayer>, batch: number, seed: number) => {
        const context = { kernels: jsKernels, training: true, rng: createRng(seed) };
        zeroGrads(layer.params);
        const output = Array.from(layer.forward(values(batch, inputShape, seed), context).data);
        const inputGrad = Array.from(layer.backward(values(batch, layer.outputShape, seed + 1), context).data);
        return { output, inputGrad, grads: layer.params.map((param) => Array.from(param.grad.data)) };
      };
      const used = createLayer(spec, inputShape, createRng(1));
      step(used, 5, 3);
      expect(step(used, 2, 7)).toEqual(step(createLayer(spec, inputShape, createRng(1)), 2, 7));
    });
  }

  it('rejects unknown kinds without touching prototype properties', () => {
    for (const kind of ['lstm', 'constructor', '__proto__', 'toString']) {
      expect(() => createLayer({ kind } as never, [3], createRng(1))).toThrow(`layer: kind: expected one of dense, conv2d`);
    }
  });
});
