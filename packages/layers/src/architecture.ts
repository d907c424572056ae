import type { Shape } from '@nnkit/tensor';
import { LayerConfigError } from './errors.js';
import type { LossSpec } from './loss-registry.js';
import { layerKinds, schemaOf, type LayerSpec } from './registry.js';
import { readConfig, type FieldSchema, type LayerSchema } from './schema.js';
import type { ModelDefinition } from './sequential.js';

// The architecture grammar, generic over the layer schemas (so a new layer is sayable at once):
//
//   architecture := layer (separator layer)*      separator: spaces, or '-' outside brackets
//   layer        := kind | kind '(' argument (',' argument)* ')'
//   argument     := value | field '=' value
//   value        := number | word | '[' number (',' number)* ']'
//
// e.g. `conv2d(20,5,same,he) relu maxPool2d(2) flatten dense(units=100) elu dense(10)`. Numbers and
// lists fill the layer's non-enum fields in declaration order; a word goes to the enum field that
// has it as a value (`same` → padding, `he` → init); `field=value` names the field. Kinds, field
// names and words are matched ignoring case.

/** One layer's text inside an architecture, where it starts (1-based part number and column). */
export interface ArchitecturePart {
  readonly text: string;
  readonly part: number;
  readonly column: number;
}

/**
 * An architecture text is invalid; `part` (1-based) and `column` (1-based character) locate the
 * layer at fault. Message, one line: `'dense(0)' (part 3, column 21): dense: units: expected …`.
 */
export class ArchitectureError extends Error {
  constructor(
    readonly token: string,
    readonly part: number,
    readonly column: number,
    readonly problem: string,
  ) {
    super(token === '' ? problem : `'${token}' (part ${part}, column ${column}): ${problem}`);
    this.name = 'ArchitectureError';
  }
}

/** Splits an architecture into layer texts at spaces and at '-' outside brackets. */
export function splitArchitecture(text: string): ArchitecturePart[] {
  const parts: ArchitecturePart[] = [];
  let depth = 0;
  let start = -1;
  let separatorDash = -1;
  const close = (end: number): void => {
    if (start >= 0) parts.push({ text: text.slice(start, end), part: parts.length + 1, column: start + 1 });
    start = -1;
  };
  for (let i = 0; i < text.length; i++) {
    const character = text[i];
    const isSpace = /\s/.test(character);
    if (depth === 0 && (isSpace || character === '-')) {
      if (character === '-') {
        if (start < 0 && (parts.length === 0 || separatorDash >= 0)) {
          throw new ArchitectureError('', parts.length + 1, i + 1, `an empty layer at column ${i + 1}`);
        }
        separatorDash = i;
      }
      close(i);
      continue;
    }
    if (start < 0) {
      start = i;
      separatorDash = -1;
    }
    if (character === '(' || character === '[') depth++;
    if (character === ')' || character === ']') depth--;
    if (depth < 0) throw new ArchitectureError(text.slice(start, i + 1), parts.length + 1, start + 1, `unbalanced '${character}'`);
  }
  if (depth > 0) throw new ArchitectureError(text.slice(start), parts.length + 1, start + 1, 'an unclosed bracket');
  if (separatorDash >= 0 && start < 0) throw new ArchitectureError('', parts.length + 1, separatorDash + 1, `a trailing '-' at column ${separatorDash + 1}`);
  close(text.length);
  return parts;
}

/** Splits at commas outside brackets. */
function splitArguments(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '[') depth++;
    else if (text[i] === ']') depth--;
    else if (text[i] === ',' && depth === 0) {
      items.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  items.push(text.slice(start).trim());
  return items;
}

const numberPattern = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
const namePattern = /^[a-z][a-z0-9]*$/i;

function parseValue(text: string, layer: string): number | string | number[] {
  if (numberPattern.test(text)) return Number(text);
  if (text.startsWith('[') && text.endsWith(']')) {
    const items = text.slice(1, -1).split(',').map((item) => item.trim());
    if (items.every((item) => numberPattern.test(item))) return items.map(Number);
  } else if (namePattern.test(text)) {
    return text;
  }
  throw new LayerConfigError(layer, undefined, `cannot read '${text}': expected a number, a word or [numbers]`);
}

/** The enum fields of `schema` that have `word` as a value (ignoring case), with the value as declared. */
function enumFieldsOf(schema: LayerSchema, word: string): { name: string; value: string }[] {
  const found: { name: string; value: string }[] = [];
  for (const [name, field] of Object.entries(schema.fields)) {
    if (field.type !== 'enum') continue;
    const value = field.values.find((each) => each.toLowerCase() === word.toLowerCase());
    if (value !== undefined) found.push({ name, value });
  }
  return found;
}

function describeFields(schema: LayerSchema): string {
  const names = Object.keys(schema.fields);
  return names.length === 0 ? `${schema.kind} takes no arguments` : `${schema.kind} takes ${names.join(', ')}`;
}

/** The schema of a kind written in any case. */
function schemaNamed(kind: string): LayerSchema | undefined {
  const match = layerKinds.find((each) => each.toLowerCase() === kind.toLowerCase());
  return match === undefined ? undefined : schemaOf(match);
}

/**
 * Reads one layer, e.g. `conv2d(20,5,same,he)` or `dense(units=100)`, and validates it against the
 * layer's schema. Throws `LayerConfigError` naming the layer and the field.
 */
export function parseLayer(text: string): LayerSpec {
  const match = /^([a-z][a-z0-9]*)\s*(?:\(([\s\S]*)\))?$/i.exec(text.trim());
  const schema = match === null ? undefined : schemaNamed(match[1]);
  if (match === null || schema === undefined) {
    const name = match?.[1] ?? text.trim();
    throw new LayerConfigError('layer', undefined, `unknown layer kind '${name}', expected one of ${layerKinds.join(', ')}`);
  }
  const kind = schema.kind;
  const names = Object.keys(schema.fields);
  const values = new Map<string, unknown>();
  const set = (name: string, value: unknown): void => {
    if (values.has(name)) throw new LayerConfigError(kind, name, 'given twice');
    values.set(name, value);
  };
  const argumentsText = match[2]?.trim() ?? '';
  let next = 0;
  for (const argument of argumentsText === '' ? [] : splitArguments(argumentsText)) {
    const named = /^([a-z][a-z0-9]*)\s*=\s*([\s\S]*)$/i.exec(argument);
    if (named !== null) {
      const name = names.find((each) => each.toLowerCase() === named[1].toLowerCase());
      if (name === undefined) throw new LayerConfigError(kind, named[1], `unknown option (${describeFields(schema)})`);
      const value = parseValue(named[2].trim(), kind);
      const field = schema.fields[name];
      const word = typeof value === 'string' && field.type === 'enum' ? field.values.find((each) => each.toLowerCase() === value.toLowerCase()) : undefined;
      set(name, word ?? value);
      continue;
    }
    const value = parseValue(argument, kind);
    if (typeof value === 'string') {
      const fields = enumFieldsOf(schema, value).filter((field) => !values.has(field.name));
      if (fields.length !== 1) {
        const reason = fields.length === 0 ? `no option of ${kind} takes '${value}' (${describeFields(schema)})` : `'${value}' fits ${fields.map((field) => field.name).join(' and ')}: write name=${value}`;
        throw new LayerConfigError(kind, undefined, reason);
      }
      set(fields[0].name, fields[0].value);
      continue;
    }
    while (next < names.length && (schema.fields[names[next]].type === 'enum' || values.has(names[next]))) next++;
    if (next >= names.length) throw new LayerConfigError(kind, undefined, `too many values (${describeFields(schema)})`);
    set(names[next], value);
  }
  // Fields in declaration order, only those written: the text says exactly what the config holds.
  const spec: Record<string, unknown> = { kind };
  for (const name of names) if (values.has(name)) spec[name] = values.get(name);
  readConfig(schema, spec);
  return spec as unknown as LayerSpec;
}

function formatValue(value: unknown): string {
  return Array.isArray(value) ? `[${value.join(',')}]` : String(value);
}

/** Writes one layer in the grammar: `dense(100)`, `conv2d(20,5,same,he)`, `relu`, `dropout(rate=0.5)` when needed. */
export function formatLayer(layer: LayerSpec): string {
  const schema = schemaOf(layer.kind);
  if (schema === undefined) throw new LayerConfigError('layer', 'kind', `expected one of ${layerKinds.join(', ')}, got ${JSON.stringify(layer.kind)}`);
  const record = layer as unknown as Readonly<Record<string, unknown>>;
  const written: string[] = [];
  let positional = true;
  for (const [name, field] of Object.entries(schema.fields) as [string, FieldSchema][]) {
    const value = record[name];
    if (field.type === 'enum') {
      if (value === undefined) continue;
      const bare = typeof value === 'string' && enumFieldsOf(schema, value).length === 1;
      written.push(bare ? value : `${name}=${formatValue(value)}`);
      continue;
    }
    if (value === undefined) positional = false;
    else written.push(positional ? formatValue(value) : `${name}=${formatValue(value)}`);
  }
  return written.length === 0 ? layer.kind : `${layer.kind}(${written.join(',')})`;
}

/** Reads a list of layers; errors are `ArchitectureError`s naming the layer's text and position. */
export function parseLayers(text: string): LayerSpec[] {
  const parts = splitArchitecture(text);
  if (parts.length === 0) throw new ArchitectureError('', 0, 1, 'empty architecture, expected layers such as flatten dense(100) relu dense(10)');
  return parts.map((part) => {
    try {
      return parseLayer(part.text);
    } catch (error) {
      if (!(error instanceof LayerConfigError)) throw error;
      throw new ArchitectureError(part.text, part.part, part.column, error.message.replace(/^layer: /, ''));
    }
  });
}

/** Writes a list of layers, separated by `separator` (a space by default; '-' reads back too). */
export function formatLayers(layers: readonly LayerSpec[], separator = ' '): string {
  return layers.map(formatLayer).join(separator);
}

/** Options of `parseArchitecture`: the per-example input shape and the loss (default softmax cross-entropy). */
export interface ArchitectureOptions {
  readonly inputShape: Shape;
  readonly loss?: LossSpec;
}

/** Reads an architecture into a model definition: `parseArchitecture('flatten dense(100) relu dense(10)', {inputShape: [28, 28, 1]})`. */
export function parseArchitecture(text: string, options: ArchitectureOptions): ModelDefinition {
  return { inputShape: [...options.inputShape], layers: parseLayers(text), loss: options.loss ?? { kind: 'softmaxCrossEntropy' } };
}

/** Writes a definition's layers in the grammar; `parseArchitecture` reads them back equal. */
export function formatArchitecture(definition: Pick<ModelDefinition, 'layers'>, separator = ' '): string {
  return formatLayers(definition.layers, separator);
}
