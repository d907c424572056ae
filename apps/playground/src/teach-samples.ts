// The "teach it my handwriting" samples: the user's digits as the network sees them (28×28
// bytes, white ink on black, MNIST-style) with their labels. Pure data and pure functions (no
// DOM, no storage): counts per digit, the guided round's next digit, undo, removal and the
// held-out split the fine-tuning never trains on.

/** Pixels of one sample: 28×28, one byte each (0 = background, 255 = ink). */
export const samplePixels = 784;
/** The digits a round asks for. */
export const digitCount = 10;
/** Samples asked of each digit unless the user sets another target. */
export const defaultTarget = 10;
/** The largest target per digit the page accepts. */
export const maxTarget = 100;
/** One sample of each digit in this many is held out (the 2nd, 7th, 12th …). */
export const heldOutEvery = 5;

/** One drawn digit: a stable id (gallery, removal), its label and the network's 28×28 input. */
export interface Sample {
  readonly id: number;
  readonly label: number;
  readonly pixels: Uint8Array;
}

/** All samples in the order they were added, the target per digit and the next id. */
export interface SampleSet {
  readonly samples: readonly Sample[];
  readonly target: number;
  readonly nextId: number;
}

/** An empty set with the default target. */
export function emptySampleSet(target = defaultTarget): SampleSet {
  return { samples: [], target, nextId: 1 };
}

function checkSample(label: number, pixels: Uint8Array): void {
  if (!Number.isInteger(label) || label < 0 || label >= digitCount) throw new RangeError(`sample: label ${label} is not a digit 0–9`);
  if (pixels.length !== samplePixels) throw new RangeError(`sample: ${pixels.length} pixels; expected 28×28 = ${samplePixels}`);
}

/** The set with `pixels` (copied) added last, labelled `label`. */
export function addSample(set: SampleSet, label: number, pixels: Uint8Array): SampleSet {
  checkSample(label, pixels);
  return { ...set, samples: [...set.samples, { id: set.nextId, label, pixels: pixels.slice() }], nextId: set.nextId + 1 };
}

/** The set with several samples added last, in order (an import). */
export function addSamples(set: SampleSet, added: readonly { label: number; pixels: Uint8Array }[]): SampleSet {
  return added.reduce((current, sample) => addSample(current, sample.label, sample.pixels), set);
}

/** The set without its last sample (the same set when it is empty). */
export function undoSample(set: SampleSet): SampleSet {
  return set.samples.length === 0 ? set : { ...set, samples: set.samples.slice(0, -1) };
}

/** The set without the sample `id` (the same set when there is none). */
export function removeSample(set: SampleSet, id: number): SampleSet {
  const samples = set.samples.filter((sample) => sample.id !== id);
  return samples.length === set.samples.length ? set : { ...set, samples };
}

/** The set with another target per digit (a whole number from 1 to `maxTarget`). */
export function withTarget(set: SampleSet, target: number): SampleSet {
  if (!Number.isInteger(target) || target < 1 || target > maxTarget) throw new RangeError(`target: ${target} is not a whole number from 1 to ${maxTarget}`);
  return { ...set, target };
}

/** Samples of each digit, `counts[d]` for digit d. */
export function sampleCounts(set: SampleSet): number[] {
  const counts = new Array<number>(digitCount).fill(0);
  for (const sample of set.samples) counts[sample.label]++;
  return counts;
}

/**
 * The digit the guided round asks for next: the first after `after` (cycling 9 → 0) still below
 * the target, or null when every digit has reached it. `after` −1 starts at 0.
 */
export function nextPrompt(set: SampleSet, after: number): number | null {
  const counts = sampleCounts(set);
  for (let step = 1; step <= digitCount; step++) {
    const digit = (((after + step) % digitCount) + digitCount) % digitCount;
    if (counts[digit] < set.target) return digit;
  }
  return null;
}

/**
 * Whether each sample is held out: of each digit's samples in the order they were added, the
 * 2nd, 7th, 12th … (position k with k mod 5 = 1). So one in five is never trained on, every digit
 * with two samples or more has one held out, and adding samples never moves an earlier one
 * between the two parts (removing one can).
 */
export function heldOutMask(set: SampleSet): boolean[] {
  const seen = new Array<number>(digitCount).fill(0);
  return set.samples.map((sample) => seen[sample.label]++ % heldOutEvery === 1);
}

/** The samples trained on and the held-out ones, each in the order they were added. */
export function splitSamples(set: SampleSet): { train: Sample[]; heldOut: Sample[] } {
  const mask = heldOutMask(set);
  return { train: set.samples.filter((_, index) => !mask[index]), heldOut: set.samples.filter((_, index) => mask[index]) };
}

/** A score of held-out samples: right answers, how many, and each sample's predicted digit. */
export interface HeldOutScore {
  readonly correct: number;
  readonly count: number;
  /** `predicted[i]` for `heldOut[i]`. */
  readonly predicted: readonly number[];
}

/** Scores `heldOut` with `predict` (a sample's 28×28 bytes → a digit). */
export function scoreHeldOut(heldOut: readonly Sample[], predict: (pixels: Uint8Array) => number): HeldOutScore {
  const predicted = heldOut.map((sample) => predict(sample.pixels));
  return { correct: predicted.filter((digit, index) => digit === heldOut[index].label).length, count: heldOut.length, predicted };
}

/** "80 % (8 of 10)", or "–" with nothing to score. */
export function formatScore(score: HeldOutScore | null): string {
  if (score === null || score.count === 0) return '–';
  return `${Math.round((1000 * score.correct) / score.count) / 10} % (${score.correct} of ${score.count})`;
}
