import { jsKernels, type AdamCoefficients, type Kernels, type MomentumCoefficients, type RmspropCoefficients } from '@nnkit/tensor';
import type { Workspace } from './workspace.js';

/** The module's optimizer entry points (assembly/optimizers.ts). */
export interface OptimizerExports {
  adamUpdate(w: number, grad: number, m: number, v: number, length: number, ...coefficients: number[]): void;
  momentumUpdate(w: number, grad: number, velocity: number, length: number, eta: number, mu: number, nesterov: number, l2: number, shrink: number): void;
  rmspropUpdate(w: number, grad: number, meanSquare: number, moment: number, length: number, ...coefficients: number[]): void;
}

function checkLengths(what: string, length: number, arrays: readonly (Float32Array | null)[]): void {
  for (const array of arrays) {
    if (array !== null && array.length < length) throw new Error(`wasm kernels: ${what}: an operand has ${array.length} elements, needs at least ${length}`);
  }
}

/**
 * The optimizer updates in WebAssembly when every operand lives in the module's memory (`fit`
 * places weights and gradients there, the optimizers their state) and there is no L1 term;
 * otherwise the JavaScript loop, which defines the same bytes. Copying four streams in and out
 * would cost more than the loop itself.
 */
export function createOptimizerUpdates(exports: OptimizerExports, workspace: Workspace): Pick<Kernels, 'adamUpdate' | 'momentumUpdate' | 'rmspropUpdate'> {
  /** Byte offsets of all `arrays` in linear memory, or null when one is elsewhere. */
  const addresses = (arrays: readonly Float32Array[]): number[] | null => {
    const offsets = arrays.map((array) => workspace.address(array));
    return offsets.every((offset) => offset >= 0) ? offsets : null;
  };

  return {
    adamUpdate(w, grad, m, v, length, c: AdamCoefficients) {
      checkLengths('adamUpdate', length, [w, grad, m, v]);
      const at = c.l1 === 0 ? addresses([w, grad, m, v]) : null;
      if (at === null) return jsKernels.adamUpdate(w, grad, m, v, length, c);
      exports.adamUpdate(at[0], at[1], at[2], at[3], length, c.learningRate, c.beta1, c.beta2, c.epsilon, c.correction1, c.correction2, c.l2, c.shrink);
    },
    momentumUpdate(w, grad, velocity, length, c: MomentumCoefficients) {
      checkLengths('momentumUpdate', length, [w, grad, velocity]);
      const at = c.l1 === 0 ? addresses([w, grad, velocity]) : null;
      if (at === null) return jsKernels.momentumUpdate(w, grad, velocity, length, c);
      exports.momentumUpdate(at[0], at[1], at[2], length, c.learningRate, c.momentum, c.nesterov ? 1 : 0, c.l2, c.shrink);
    },
    rmspropUpdate(w, grad, meanSquare, moment, length, c: RmspropCoefficients) {
      checkLengths('rmspropUpdate', length, [w, grad, meanSquare, moment]);
      const at = c.l1 === 0 ? addresses(moment === null ? [w, grad, meanSquare] : [w, grad, meanSquare, moment]) : null;
      if (at === null) return jsKernels.rmspropUpdate(w, grad, meanSquare, moment, length, c);
      exports.rmspropUpdate(at[0], at[1], at[2], moment === null ? 0 : at[3], length, c.learningRate, c.rho, c.epsilon, c.momentum, c.l2, c.shrink);
    },
  };
}
