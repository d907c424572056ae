import { createRng, formatShape, jsKernels, sizeOf, tensor, type Kernels, type Param, type Rng, type Shape } from '@nnkit/tensor';
import type { Context, Layer } from './layer.js';
import { createLayer, type LayerSpec } from './registry.js';

/** How `checkLayer` probes a layer. */
export interface CheckLayerOptions {
  /** Seeds the inputs, the loss weights, the contexts and the parameter-seed checks (default 1). */
  readonly seed?: number;
  /** Examples per batch (default 3). */
  readonly batch?: number;
  /** Largest accepted relative error of a gradient element (default 1e-2). */
  readonly tolerance?: number;
  /** Central-difference step h (default 1e-2). */
  readonly step?: number;
  /**
   * 'normal': inputs N(0, 1). 'distinct': every input a different multiple of 4h, none within 2h
   * of zero, so ±h never crosses a kink (ReLU at 0, max-pool ties). Default 'normal'.
   */
  readonly input?: 'normal' | 'distinct';
  /** Modes to check gradients in (default both: dropout and batch norm differ). */
  readonly modes?: readonly ('training' | 'inference')[];
  /** Elements checked per tensor at most (a seeded sample beyond; default 200). */
  readonly maxElements?: number;
  /** Backend for every pass (default the reference `jsKernels`). */
  readonly kernels?: Kernels;
  /** Rebuilds a layer from its config for the round-trip and seed checks (default `createLayer`). */
  readonly create?: (config: LayerSpec, inputShape: Shape, rng: Rng) => Layer;
}

/** What `checkLayer` verified: the list of checks and the largest gradient error seen. */
export interface CheckLayerReport {
  readonly checks: readonly string[];
  readonly maxRelativeError: number;
}

/**
 * Verifies a layer against the Layer contract and throws one Error listing every failure:
 * 1. `config` is JSON-able and names its kind; param names are unique, grads match values.
 * 2. forward returns `[batch, ...outputShape]`, finite, and leaves the input untouched (backward too).
 * 3. gradients: for the loss L = Σ r·y with fixed random r (float64 sums), backward's dL/dx and
 *    every dL/dparam match central differences (L(v + h) − L(v − h)) / 2h element by element:
 *    |a − n| / max(|a|, |n|, 0.01·G) < tolerance (G = largest |a| in that tensor, so elements
 *    a hundred times smaller than the rest are judged on an absolute scale, not on float32 noise),
 *    in every mode of `options.modes`, each pass with the same seeded context (same dropout mask).
 * 4. backward twice after one forward doubles the parameter gradients and repeats dL/dx.
 * 5. JSON round trip: create(JSON(config)) with a different seed, params and state copied,
 *    reproduces forward exactly (both modes).
 * 6. same seed ⇒ same initial params and state (given a factory `rng → layer`, or via `create`).
 * Pass a layer, or a factory `(rng) => layer` (then check 6 uses the factory).
 */
export function checkLayer(subject: Layer | ((rng: Rng) => Layer), options: CheckLayerOptions = {}): CheckLayerReport {
  const seed = options.seed ?? 1;
  const batch = options.batch ?? 3;
  const tolerance = options.tolerance ?? 1e-2;
  const step = options.step ?? 1e-2;
  const kernels = options.kernels ?? jsKernels;
  const create = options.create ?? createLayer;
  const maxElements = options.maxElements ?? 200;
  const modes = options.modes ?? ['training', 'inference'];
  const layer = typeof subject === 'function' ? subject(createRng(`${seed}/layer`)) : subject;
  const name = `checkLayer(${layer.config.kind} ${formatShape(layer.inputShape)} → ${formatShape(layer.outputShape)})`;
  const failures: string[] = [];
  const checks: string[] = [];
  let maxRelativeError = 0;
  const check = (label: string, run: () => void): void => {
    checks.push(label);
    try {
      run();
    } catch (error) {
      failures.push(`${label}: ${(error as Error).message}`);
    }
  };
  const context = (training: boolean): Context => ({ kernels, training, rng: createRng(`${seed}/context`) });
  const entries = (target: Layer) => [...target.params, ...(target.state ?? [])];

  check('config and params', () => {
    if (typeof layer.config.kind !== 'string') throw new Error('config.kind must be a string');
    const json = JSON.stringify(layer.config);
    if (JSON.stringify(JSON.parse(json)) !== json) throw new Error(`config is not JSON-able: ${json}`);
    const names = entries(layer).map((entry) => entry.name);
    if (new Set(names).size !== names.length) throw new Error(`param/state names are not unique: ${names.join(', ')}`);
    for (const param of layer.params) {
      if (param.grad.data.length !== param.value.data.length) throw new Error(`${param.name}: grad and value differ in size`);
      if (typeof param.regularize !== 'boolean') throw new Error(`${param.name}: regularize must be a boolean`);
    }
  });

  const inputSize = batch * sizeOf(layer.inputShape);
  const outputSize = batch * sizeOf(layer.outputShape);
  const dataRng = createRng(`${seed}/data`);
  const input = tensor([batch, ...layer.inputShape], makeInput(options.input ?? 'normal', inputSize, step, dataRng));
  const weights = new Float64Array(outputSize);
  for (let i = 0; i < outputSize; i++) weights[i] = dataRng.uniform(-1, 1);
  const lossOf = (training: boolean): number => {
    const output = layer.forward(input, context(training)).data;
    let loss = 0;
    for (let i = 0; i < output.length; i++) loss += weights[i] * output[i];
    return loss;
  };

  check('forward shape, finiteness, input untouched', () => {
    for (const training of [true, false]) {
      const before = input.data.slice();
      const output = layer.forward(input, context(training));
      const expected = [batch, ...layer.outputShape];
      if (output.shape.length !== expected.length || output.shape.some((d, i) => d !== expected[i])) {
        throw new Error(`output shape ${formatShape(output.shape)}, expected ${formatShape(expected)}`);
      }
      if (output.data.length !== outputSize) throw new Error(`output holds ${output.data.length} values, expected ${outputSize}`);
      const bad = output.data.findIndex((x) => !Number.isFinite(x));
      if (bad >= 0) throw new Error(`output[${bad}] = ${output.data[bad]}`);
      layer.backward(tensor(output.shape, Float32Array.from(weights)), context(training));
      if (input.data.some((x, i) => !Object.is(x, before[i]))) throw new Error('forward/backward modified the input');
    }
  });

  for (const mode of modes) {
    const training = mode === 'training';
    check(`gradients (${mode})`, () => {
      zero(layer.params);
      const output = layer.forward(input, context(training));
      const inputGrad = layer.backward(tensor(output.shape, Float32Array.from(weights)), context(training)).data.slice();
      const analytic = layer.params.map((param) => param.grad.data.slice());
      const problems: string[] = [];
      const compare = (label: string, values: Float32Array, gradient: Float32Array): void => {
        let scale = 0;
        for (const g of gradient) scale = Math.max(scale, Math.abs(g));
        const indices = sample(values.length, maxElements, createRng(`${seed}/sample/${label}`));
        for (const i of indices) {
          const original = values[i];
          values[i] = original + step;
          const up = values[i];
          const plus = lossOf(training);
          values[i] = original - step;
          const down = values[i];
          const minus = lossOf(training);
          values[i] = original;
          const numeric = (plus - minus) / (up - down);
          const error = Math.abs(gradient[i] - numeric) / Math.max(Math.abs(gradient[i]), Math.abs(numeric), 0.01 * scale, 1e-12);
          maxRelativeError = Math.max(maxRelativeError, error);
          if (error > tolerance && problems.length < 5) {
            problems.push(`${label}[${i}]: analytic ${gradient[i].toPrecision(6)}, numeric ${numeric.toPrecision(6)} (relative error ${error.toPrecision(3)})`);
          }
        }
      };
      compare('input', input.data, inputGrad);
      layer.params.forEach((param, p) => compare(param.name, param.value.data, analytic[p]));
      if (problems.length > 0) throw new Error(problems.join('; '));
    });
  }

  check('backward twice doubles param grads', () => {
    zero(layer.params);
    const output = layer.forward(input, context(true));
    const outputGrad = tensor(output.shape, Float32Array.from(weights));
    const first = layer.backward(outputGrad, context(true)).data.slice();
    const once = layer.params.map((param) => param.grad.data.slice());
    const second = layer.backward(outputGrad, context(true)).data;
    const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(a), Math.abs(b));
    const i = first.findIndex((x, index) => !close(x, second[index]));
    if (i >= 0) throw new Error(`input gradient changed: [${i}] ${first[i]} then ${second[i]}`);
    layer.params.forEach((param, p) => {
      const j = param.grad.data.findIndex((x, index) => !close(x, 2 * once[p][index]));
      if (j >= 0) throw new Error(`${param.name}[${j}]: ${param.grad.data[j]} after two backward passes, expected 2 × ${once[p][j]}`);
    });
    zero(layer.params);
  });

  check('JSON round trip reproduces forward exactly', () => {
    const config = JSON.parse(JSON.stringify(layer.config)) as LayerSpec;
    const copy = create(config, layer.inputShape, createRng(`${seed}/other`));
    if (formatShape(copy.outputShape) !== formatShape(layer.outputShape)) {
      throw new Error(`rebuilt output shape ${formatShape(copy.outputShape)}, expected ${formatShape(layer.outputShape)}`);
    }
    const source = entries(layer);
    const target = entries(copy);
    if (target.map((e) => e.name).join() !== source.map((e) => e.name).join()) throw new Error('rebuilt layer has different params');
    target.forEach((entry, i) => entry.value.data.set(source[i].value.data));
    for (const training of [false, true]) {
      const expected = layer.forward(input, context(training)).data.slice();
      const actual = copy.forward(input, context(training)).data;
      const i = expected.findIndex((x, index) => !Object.is(x, actual[index]));
      if (i >= 0) throw new Error(`${training ? 'training' : 'inference'} output[${i}]: ${actual[i]}, expected ${expected[i]}`);
    }
  });

  check('same seed gives the same parameters', () => {
    const build = (): Layer =>
      typeof subject === 'function' ? subject(createRng(`${seed}/init`)) : create(layer.config as LayerSpec, layer.inputShape, createRng(`${seed}/init`));
    const a = entries(build());
    const b = entries(build());
    a.forEach((entry, p) => {
      const i = entry.value.data.findIndex((x, index) => !Object.is(x, b[p].value.data[index]));
      if (i >= 0) throw new Error(`${entry.name}[${i}]: ${entry.value.data[i]} vs ${b[p].value.data[i]}`);
    });
  });

  if (failures.length > 0) throw new Error(`${name} failed:\n  ${failures.join('\n  ')}`);
  return { checks, maxRelativeError };
}

function zero(params: readonly Param[]): void {
  for (const param of params) param.grad.data.fill(0);
}

function makeInput(kind: 'normal' | 'distinct', size: number, step: number, rng: Rng): Float32Array {
  const values = new Float32Array(size);
  if (kind === 'normal') {
    for (let i = 0; i < size; i++) values[i] = rng.normal();
    return values;
  }
  // Odd multiples of 2h: pairwise ≥ 4h apart and ≥ 2h from zero, so x ± h keeps every order and sign.
  const order = rng.permutation(size);
  const half = Math.floor(size / 2);
  for (let i = 0; i < size; i++) values[i] = (2 * (order[i] - half) + 1) * 2 * step;
  return values;
}

function sample(size: number, limit: number, rng: Rng): Iterable<number> {
  if (size <= limit) return Array.from({ length: size }, (_, i) => i);
  return rng.permutation(size).slice(0, limit);
}
