import type { Loss } from './loss.js';
import { QuadraticLoss, type QuadraticSpec } from './quadratic-loss.js';
import { SigmoidCrossEntropy, type SigmoidCrossEntropySpec } from './sigmoid-cross-entropy.js';
import { SoftmaxCrossEntropy, type SoftmaxCrossEntropySpec } from './softmax-cross-entropy.js';

/** Every loss kind and its factory; `LossSpec` is derived from it. */
export const lossRegistry = {
  softmaxCrossEntropy: (_spec: SoftmaxCrossEntropySpec) => new SoftmaxCrossEntropy(),
  sigmoidCrossEntropy: (_spec: SigmoidCrossEntropySpec) => new SigmoidCrossEntropy(),
  quadratic: (_spec: QuadraticSpec) => new QuadraticLoss(),
};

/** `{kind: 'softmaxCrossEntropy'}` (logits) | `{kind: 'sigmoidCrossEntropy'}` (logits) | `{kind: 'quadratic'}` (activations). */
export type LossSpec = Parameters<(typeof lossRegistry)[keyof typeof lossRegistry]>[0];

/** Every registered loss kind. */
export const lossKinds = Object.keys(lossRegistry) as (keyof typeof lossRegistry)[];

/** The loss `spec` names; throws a one-line error for an unknown kind or extra fields. */
export function createLoss(spec: LossSpec): Loss<LossSpec> {
  const kind: unknown = typeof spec === 'object' && spec !== null ? (spec as { kind?: unknown }).kind : undefined;
  if (typeof kind !== 'string' || !Object.hasOwn(lossRegistry, kind)) {
    throw new RangeError(`loss: kind: expected one of ${lossKinds.join(', ')}, got ${JSON.stringify(kind) ?? 'nothing'}`);
  }
  const extra = Object.keys(spec).find((key) => key !== 'kind');
  if (extra !== undefined) throw new RangeError(`loss: ${extra}: unknown option (${kind} takes no options)`);
  return lossRegistry[kind as keyof typeof lossRegistry](spec as never);
}
