import type { Loss } from './loss.js';
import { QuadraticLoss, type QuadraticSpec } from './quadratic-loss.js';
import { SigmoidCrossEntropy, type SigmoidCrossEntropySpec } from './sigmoid-cross-entropy.js';
import { SoftmaxCrossEntropy, type SoftmaxCrossEntropySpec } from './softmax-cross-entropy.js';

/** Every loss kind and its factory; `LossSpec` is derived from it. */
export const lossRegistry = {
  softmaxCrossEntropy: (spec: SoftmaxCrossEntropySpec) => new SoftmaxCrossEntropy(spec),
  sigmoidCrossEntropy: (_spec: SigmoidCrossEntropySpec) => new SigmoidCrossEntropy(),
  quadratic: (_spec: QuadraticSpec) => new QuadraticLoss(),
};

/** The options each loss kind takes besides `kind`. */
const lossOptions: Readonly<Record<keyof typeof lossRegistry, readonly string[]>> = {
  softmaxCrossEntropy: ['labelSmoothing'],
  sigmoidCrossEntropy: [],
  quadratic: [],
};

/** `{kind: 'softmaxCrossEntropy', labelSmoothing?}` (logits) | `{kind: 'sigmoidCrossEntropy'}` (logits) | `{kind: 'quadratic'}` (activations). */
export type LossSpec = Parameters<(typeof lossRegistry)[keyof typeof lossRegistry]>[0];

/** Every registered loss kind. */
export const lossKinds = Object.keys(lossRegistry) as (keyof typeof lossRegistry)[];

/** The loss `spec` names; throws a one-line error for an unknown kind or extra fields. */
export function createLoss(spec: LossSpec): Loss<LossSpec> {
  const kind: unknown = typeof spec === 'object' && spec !== null ? (spec as { kind?: unknown }).kind : undefined;
  if (typeof kind !== 'string' || !Object.hasOwn(lossRegistry, kind)) {
    throw new RangeError(`loss: kind: expected one of ${lossKinds.join(', ')}, got ${JSON.stringify(kind) ?? 'nothing'}`);
  }
  const options = lossOptions[kind as keyof typeof lossRegistry];
  const extra = Object.keys(spec).find((key) => key !== 'kind' && !options.includes(key));
  if (extra !== undefined) {
    throw new RangeError(`loss: ${extra}: unknown option (${kind} takes ${options.length === 0 ? 'no options' : `options ${options.join(', ')}`})`);
  }
  return lossRegistry[kind as keyof typeof lossRegistry](spec as never);
}
