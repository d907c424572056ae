// The setup form's fields: each one's accepted range, and the reading of a field's text (or a
// link's value) into a number or a one-line reason it is refused. The form and links share it,
// so a value the form refuses is refused in a link too, and neither is ever silently ignored.
import { type PlaygroundConfig, normalizeDistortions } from './config.js';
import { parseLayers } from './nnkit.js';
import type { SetupField } from './page-state.js';

/** A numeric field: its name in the URL, its bounds, whether it takes whole numbers. */
export interface NumberField {
  readonly field: SetupField & keyof PlaygroundConfig;
  readonly parameter: string;
  readonly label: string;
  readonly low: number;
  readonly high: number;
  readonly integer: boolean;
}

/** Every numeric field of the setup, with the same bounds as the URL decoding. */
export const numberFields: readonly NumberField[] = [
  { field: 'learningRate', parameter: 'lr', label: 'Learning rate', low: 1e-6, high: 100, integer: false },
  { field: 'batchSize', parameter: 'batch', label: 'Batch size', low: 1, high: 4096, integer: true },
  { field: 'epochs', parameter: 'epochs', label: 'Epochs', low: 1, high: 1000, integer: true },
  { field: 'l2', parameter: 'l2', label: 'L2', low: 0, high: 1e4, integer: false },
  { field: 'dropout', parameter: 'dropout', label: 'Dropout', low: 0, high: 0.95, integer: false },
  { field: 'seed', parameter: 'seed', label: 'Seed', low: 0, high: 2 ** 31, integer: true },
  { field: 'trainSize', parameter: 'train', label: 'Training images', low: 10, high: 60000, integer: true },
  { field: 'testSize', parameter: 'test', label: 'Test images', low: 10, high: 10000, integer: true },
];

/** Reads a numeric field's text: its value, or why it is refused. */
export function readNumber(spec: NumberField, text: string): { value: number } | { error: string } {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (trimmed === '' || !Number.isFinite(value)) return { error: `${spec.label}: "${text}" is not a number.` };
  if (spec.integer && !Number.isInteger(value)) return { error: `${spec.label}: ${trimmed} is not a whole number.` };
  if (value < spec.low || value > spec.high) return { error: `${spec.label}: ${trimmed} is outside ${spec.low} to ${spec.high}.` };
  return { value };
}

/** Reads a distortion text: its normal form, or why it is refused. */
export function readDistortions(text: string): { value: string } | { error: string } {
  try {
    return { value: normalizeDistortions(text) };
  } catch (error) {
    return { error: `Distortions: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * What a link's hash sets that the page cannot accept: each refused field with the text as
 * given and the reason (the layers by their whole list), so the page can show them instead of
 * falling back to defaults in silence.
 */
export function linkProblems(hash: string): Partial<Record<SetupField, { text: string; error: string }>> {
  const parameters = new URLSearchParams(hash.replace(/^#/, ''));
  const problems: Partial<Record<SetupField, { text: string; error: string }>> = {};
  for (const spec of numberFields) {
    const text = parameters.get(spec.parameter);
    if (text === null) continue;
    const read = readNumber(spec, text);
    if ('error' in read) problems[spec.field] = { text, error: read.error };
  }
  const distort = parameters.get('distort');
  if (distort !== null) {
    const read = readDistortions(distort === 'none' ? '' : distort);
    if ('error' in read) problems.distortions = { text: distort, error: read.error };
  }
  const layers = parameters.get('layers');
  if (layers !== null) {
    try {
      parseLayers(layers);
    } catch (error) {
      problems.layers = { text: layers, error: `The link's layer list is not valid: ${error instanceof Error ? error.message : String(error)}. Showing the preset's layers instead: edit them to go on.` };
    }
  }
  return problems;
}
