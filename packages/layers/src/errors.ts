/**
 * A layer rejected its config or its input shape. `field` names the config field at fault
 * (undefined when the input shape is); the message is one line: `dense: units: expected …`.
 */
export class LayerConfigError extends Error {
  constructor(
    readonly kind: string,
    readonly field: string | undefined,
    readonly problem: string,
  ) {
    super(field === undefined ? `${kind}: ${problem}` : `${kind}: ${field}: ${problem}`);
    this.name = 'LayerConfigError';
  }
}

/**
 * A `ModelDefinition` is invalid. `path` locates the fault inside the definition
 * (`layers[2].units`, `inputShape`, `loss.kind`); `layerIndex`/`field` split it for callers that
 * map it onto another document (the model file). Message: `<path>: <problem>`, one line.
 */
export class ModelDefinitionError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
    readonly layerIndex?: number,
    readonly field?: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = 'ModelDefinitionError';
  }
}

/**
 * A model file is unreadable or inconsistent. Message: `<source>: <field path>: <expected …>`,
 * one line, e.g. `model.json: layers[2].params.weights.shape: expected [800, 100], got [80, 100]`.
 */
export class ModelFormatError extends Error {
  constructor(
    readonly source: string,
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${source}: ${path === '' ? '' : `${path}: `}${problem}`.replace(/\s*\n\s*/g, ' '));
    this.name = 'ModelFormatError';
  }
}
