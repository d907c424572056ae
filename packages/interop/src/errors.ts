/**
 * A model file in another format cannot become an nnkit model, or an nnkit model cannot be
 * written in that format. Message, one line: `<source>: <what is wrong, and where>`, e.g.
 * `model.json: layer 3 (class_name "Conv3D"): not supported`.
 */
export class InteropError extends Error {
  constructor(
    readonly source: string,
    readonly problem: string,
  ) {
    super(`${source}: ${problem}`.replace(/\s*\n\s*/g, ' '));
    this.name = 'InteropError';
  }
}

/** A plain JSON object (not null, not a list). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value in a short line for an error message. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
