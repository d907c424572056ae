import { decodeFloat32, encodeFloat32, jsKernels, type Kernels, type Param } from '@nnkit/tensor';
import { penaltyCoefficients, type PenaltyCoefficients, type RegularizationOptions } from './regularization.js';

/** Plain mini-batch SGD: w ← w − η·g (Nielsen's update_mini_batch, g the batch-mean gradient). */
export interface SgdSpec extends RegularizationOptions {
  readonly kind: 'sgd';
  readonly learningRate: number;
}

/** Heavy-ball momentum, PyTorch/tfjs form: v ← μ·v + g; w ← w − η·v (μ defaults to 0.9). */
export interface MomentumSpec extends RegularizationOptions {
  readonly kind: 'momentum';
  readonly learningRate: number;
  readonly momentum?: number;
}

/** Nesterov momentum, PyTorch/tfjs form: v ← μ·v + g; w ← w − η·(g + μ·v). */
export interface NesterovSpec extends RegularizationOptions {
  readonly kind: 'nesterov';
  readonly learningRate: number;
  readonly momentum?: number;
}

/**
 * Adam (Kingma & Ba, Algorithm 1, as PyTorch and tfjs): m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
 * w ← w − η·m̂/(√v̂ + ε) with m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ). Defaults η 1e-3, β₁ .9, β₂ .999, ε 1e-8.
 */
export interface AdamSpec extends RegularizationOptions {
  readonly kind: 'adam';
  readonly learningRate?: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
}

/** AdamW: Adam plus decoupled weight decay w ← w − η·λ·w (λ = `weightDecay`, default 0.01). */
export interface AdamWSpec extends Omit<AdamSpec, 'kind'> {
  readonly kind: 'adamw';
}

/**
 * RMSprop (PyTorch/Keras form): s ← ρs + (1−ρ)g²; w ← w − η·g/(√s + ε); with `momentum` μ > 0,
 * b ← μb + g/(√s + ε); w ← w − η·b. Defaults η 1e-3, ρ 0.9, ε 1e-8, μ 0.
 */
export interface RmspropSpec extends RegularizationOptions {
  readonly kind: 'rmsprop';
  readonly learningRate?: number;
  readonly rho?: number;
  readonly epsilon?: number;
  readonly momentum?: number;
}

/** Every optimizer's JSON-able description; `createOptimizer(spec)` builds it. */
export type OptimizerSpec = SgdSpec | MomentumSpec | NesterovSpec | AdamSpec | AdamWSpec | RmspropSpec;

/** The names `OptimizerSpec['kind']` can take. */
export type OptimizerKind = OptimizerSpec['kind'];

/**
 * An optimizer's state, plain JSON: the step count, current learning rate, and per-parameter
 * buffers (velocity, moments) as base64 little-endian float32, one string per param in the
 * order the params are passed to `step`. Restoring it continues bit-exactly.
 */
export interface OptimizerState {
  readonly kind: OptimizerKind;
  readonly learningRate: number;
  readonly step: number;
  readonly slots: Readonly<Record<string, readonly string[]>>;
}

/**
 * Updates parameters from their gradients. `step` reads `param.grad` (already the batch mean),
 * updates `param.value` in place, and does NOT zero the gradients (the training loop does).
 * Params must come in the same order at every step: per-param buffers follow that order.
 */
export interface Optimizer {
  /** The spec with every default filled in. */
  readonly config: OptimizerSpec;
  /** η for the next steps; schedules set it between epochs. */
  learningRate: number;
  /** Number of steps taken (Adam's t). */
  readonly iterations: number;
  /**
   * One update of every param from its gradient (params with `trainable: false` are skipped). `kernels` (default `jsKernels`) runs the
   * elementwise arithmetic that has a kernel (plain SGD's `axpy`); every backend gives the
   * same bytes, a faster one (`@nnkit/wasm` with weights in its memory) only sooner.
   */
  step(params: readonly Param[], kernels?: Kernels): void;
  /** Everything needed to resume (step count, moments per parameter), as JSON-able data. */
  getState(): OptimizerState;
  /** Restores what `getState` returned; errors name the optimizer and the field. */
  setState(state: OptimizerState): void;
}

/** Throws unless `value` is a finite number in [low, high] (or [low, high) when `openHigh`). */
export function checkNumber(value: unknown, name: string, owner: string, low: number, high: number, openHigh = false): number {
  const ok = typeof value === 'number' && Number.isFinite(value) && value >= low && (openHigh ? value < high : value <= high);
  if (!ok) {
    const range = `${low} ≤ ${name} ${openHigh ? '<' : '≤'} ${high}`;
    throw new RangeError(`${owner}: ${name} must be a number with ${range}, got ${JSON.stringify(value) ?? String(value)}`);
  }
  return value as number;
}

/**
 * Shared bookkeeping: validated learning rate, the step counter, penalties, and named
 * per-parameter buffers created on the first step and checked against the params after that.
 */
export abstract class BaseOptimizer<S extends OptimizerSpec> implements Optimizer {
  readonly config: S;
  protected readonly penalties: PenaltyCoefficients;
  protected readonly slots: Record<string, Float32Array[]>;
  private rate: number;
  private steps = 0;
  /** The kernels whose memory holds the slots (after `placeSlots`), or null. */
  private slotKernels: Kernels | null = null;

  protected constructor(config: S, slotNames: readonly string[]) {
    this.config = config;
    this.rate = checkNumber(config.learningRate, 'learningRate', config.kind, 0, Infinity);
    this.penalties = penaltyCoefficients(config, config.kind);
    this.slots = {};
    for (const name of slotNames) this.slots[name] = [];
  }

  get learningRate(): number {
    return this.rate;
  }

  set learningRate(value: number) {
    this.rate = checkNumber(value, 'learningRate', this.config.kind, 0, Infinity);
  }

  get iterations(): number {
    return this.steps;
  }

  step(params: readonly Param[], kernels: Kernels = jsKernels): void {
    this.prepareSlots(params);
    if (kernels !== this.slotKernels) this.placeSlots(kernels);
    this.steps++;
    for (let p = 0; p < params.length; p++) if (params[p].trainable !== false) this.update(params[p], p, this.steps, kernels);
  }

  /** Applies one update to `param` (index `index` in the params list) at step `t` (1-based). */
  protected abstract update(param: Param, index: number, t: number, kernels: Kernels): void;

  getState(): OptimizerState {
    const slots: Record<string, string[]> = {};
    for (const [name, buffers] of Object.entries(this.slots)) slots[name] = buffers.map(encodeFloat32);
    return { kind: this.config.kind, learningRate: this.rate, step: this.steps, slots };
  }

  setState(state: OptimizerState): void {
    const owner = `${this.config.kind}.setState`;
    if (state === null || typeof state !== 'object') throw new TypeError(`${owner}: expected an optimizer state object`);
    if (state.kind !== this.config.kind) {
      throw new TypeError(`${owner}: kind: expected "${this.config.kind}", got ${JSON.stringify(state.kind)}`);
    }
    const learningRate = checkNumber(state.learningRate, 'learningRate', owner, 0, Infinity);
    if (!Number.isInteger(state.step) || state.step < 0) {
      throw new RangeError(`${owner}: step: expected an integer >= 0, got ${JSON.stringify(state.step)}`);
    }
    if (state.slots === null || typeof state.slots !== 'object') throw new TypeError(`${owner}: slots: expected an object`);
    const decoded: Record<string, Float32Array[]> = {};
    for (const name of Object.keys(this.slots)) {
      const buffers = state.slots[name];
      if (!Array.isArray(buffers)) throw new TypeError(`${owner}: slots.${name}: expected a list of base64 strings`);
      decoded[name] = buffers.map((text, i) => decodeFloat32(text, `${owner}: slots.${name}[${i}]`));
    }
    const extra = Object.keys(state.slots).find((name) => !(name in this.slots));
    if (extra !== undefined) throw new TypeError(`${owner}: slots.${extra}: not a buffer of ${this.config.kind}`);
    // Commit only after everything decoded, so a bad state leaves the optimizer untouched.
    this.rate = learningRate;
    this.steps = state.step;
    for (const name of Object.keys(this.slots)) this.slots[name] = decoded[name];
    this.slotKernels = null;
  }

  /**
   * Moves the per-parameter buffers into `kernels`' own memory when it has some (the same
   * values, new arrays), so that their update kernels run in place; once per kernels.
   */
  private placeSlots(kernels: Kernels): void {
    this.slotKernels = kernels;
    const allocate = kernels.allocate;
    if (allocate === undefined) return;
    for (const buffers of Object.values(this.slots)) {
      for (let p = 0; p < buffers.length; p++) {
        const placed = allocate(buffers[p].length);
        placed.set(buffers[p]);
        buffers[p] = placed;
      }
    }
  }

  private prepareSlots(params: readonly Param[]): void {
    for (const [name, buffers] of Object.entries(this.slots)) {
      if (buffers.length === 0) {
        for (const param of params) buffers.push(new Float32Array(param.value.data.length));
        continue;
      }
      if (buffers.length !== params.length) {
        throw new RangeError(
          `${this.config.kind}: got ${params.length} params but the optimizer holds ${name} buffers for ${buffers.length}: pass the same params, in the same order, at every step`,
        );
      }
      for (let p = 0; p < params.length; p++) {
        if (buffers[p].length !== params[p].value.data.length) {
          throw new RangeError(
            `${this.config.kind}: param ${p} (${params[p].name}) has ${params[p].value.data.length} values but its ${name} buffer has ${buffers[p].length}: the state belongs to another model`,
          );
        }
      }
    }
  }
}
