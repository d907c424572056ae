// The layer-by-layer architecture editor: one row a layer (kind, its numbers, move and remove
// buttons) and the output shape each layer gives, all plain labelled form controls.
import { type FieldSchema, type LayerKind, type LayerSpec, initialLayer, layerKinds, layerRegistry } from './nnkit.js';

// Every control is read from the layer's schema in @nnkit/layers: a new layer shows up here, with
// its fields, ranges and starting values, without an edit to the playground.

/** One control of a layer row: a number box or a choice list, for the config field `name`. */
export type FieldControl =
  | {
      readonly name: string;
      readonly label: string;
      readonly control: 'number';
      readonly min: number;
      readonly max: number;
      readonly step: number | 'any';
      /** What an empty box means: the schema's default, or `auto` where the layer derives it (a pooling stride is its size). */
      readonly placeholder: string;
    }
  | { readonly name: string; readonly label: string; readonly control: 'choice'; readonly values: readonly string[] };

/** `kernelSize` → `kernel size`. */
function labelOf(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => ` ${letter.toLowerCase()}`);
}

function controlOf(name: string, field: FieldSchema): FieldControl {
  const label = labelOf(name);
  if (field.type === 'enum') return { name, label, control: 'choice', values: field.values };
  const step = field.type === 'number' ? (field.step ?? 'any') : 1;
  // The default itself, short enough for the narrow box ("default" was cut to "defau").
  const placeholder = field.default === undefined ? 'auto' : String(field.default);
  return { name, label, control: 'number', min: field.min, max: field.max, step, placeholder };
}

/** The controls of a layer kind, in its schema's field order (none for an unknown kind). */
export function fieldControls(kind: string): FieldControl[] {
  if (!(layerKinds as readonly string[]).includes(kind)) return [];
  const fields: Readonly<Record<string, FieldSchema>> = layerRegistry[kind as LayerKind].fields;
  return Object.entries(fields).map(([name, field]) => controlOf(name, field));
}

/** The kinds the "add layer" list offers: every layer registered in @nnkit/layers. */
export const editorKinds: readonly string[] = layerKinds;

/** A new layer of `kind` with its schema's starting values. */
export function defaultLayer(kind: string): LayerSpec {
  return initialLayer(kind as LayerKind);
}

/** A field edited to `text` in a layer: a number within the control's range, a choice, or '' for the default. */
export function editField(layer: LayerSpec, control: FieldControl, text: string): LayerSpec {
  const next: Record<string, unknown> = { ...(layer as unknown as Record<string, unknown>) };
  const number = Number(text);
  if (text === '' || (control.control === 'number' && !Number.isFinite(number))) delete next[control.name];
  else if (control.control === 'number') next[control.name] = Math.min(control.max, Math.max(control.min, number));
  else next[control.name] = text;
  return next as unknown as LayerSpec;
}

/** Renders and edits a list of layers; `onChange` receives the new list after every edit. */
export class ArchitectureEditor {
  private layers: LayerSpec[] = [];

  constructor(
    private readonly list: HTMLOListElement,
    addKind: HTMLSelectElement,
    addButton: HTMLButtonElement,
    private readonly onChange: (layers: LayerSpec[]) => void,
  ) {
    for (const kind of editorKinds) addKind.append(new Option(kind, kind));
    addKind.value = 'dense';
    addButton.addEventListener('click', () => {
      // New layers go before the output layer, where hidden layers belong.
      const at = Math.max(0, this.layers.length - 1);
      this.layers.splice(at, 0, defaultLayer(addKind.value));
      this.changed(at);
    });
  }

  /** Replaces the layers shown (no change event). */
  set(layers: LayerSpec[]): void {
    this.layers = layers.map((layer) => ({ ...layer }));
    this.render();
  }

  /** Shows each layer's output shape (or nothing where unknown). */
  showShapes(shapes: (readonly number[] | null)[]): void {
    this.list.querySelectorAll<HTMLElement>('.layer-shape').forEach((element, index) => {
      const shape = shapes[index];
      element.textContent = shape === null || shape === undefined ? '' : `→ ${shape.join('×')}`;
    });
  }

  private changed(focusIndex?: number, focusSelector = 'select'): void {
    this.render();
    this.onChange(this.layers.map((layer) => ({ ...layer })));
    if (focusIndex !== undefined) {
      const row = this.list.children[Math.min(focusIndex, this.list.children.length - 1)];
      row?.querySelector<HTMLElement>(focusSelector)?.focus();
    }
  }

  private render(): void {
    this.list.replaceChildren(...this.layers.map((layer, index) => this.row(layer, index)));
  }

  private row(layer: LayerSpec, index: number): HTMLLIElement {
    const item = document.createElement('li');
    item.className = 'layer-row';
    const record = layer as unknown as Record<string, unknown>;
    const id = `layer-${index}`;

    const kindLabel = document.createElement('label');
    kindLabel.className = 'visually-hidden';
    kindLabel.htmlFor = `${id}-kind`;
    kindLabel.textContent = `Layer ${index + 1} kind`;
    const kind = document.createElement('select');
    kind.id = `${id}-kind`;
    kind.className = 'layer-kind';
    for (const option of editorKinds) kind.append(new Option(option, option));
    kind.value = layer.kind;
    kind.addEventListener('change', () => {
      this.layers[index] = defaultLayer(kind.value);
      this.changed(index);
    });
    item.append(kindLabel, kind);
    // Numbers, options and the output shape; on a phone they take their own line.
    const details = document.createElement('span');
    details.className = 'layer-details';

    for (const control of fieldControls(layer.kind)) {
      const field = document.createElement('label');
      field.className = 'layer-parameter';
      const text = document.createElement('span');
      text.textContent = control.label;
      const value = record[control.name];
      let input: HTMLInputElement | HTMLSelectElement;
      if (control.control === 'number') {
        input = document.createElement('input');
        input.type = 'number';
        input.min = String(control.min);
        if (Number.isFinite(control.max)) input.max = String(control.max);
        input.step = String(control.step);
        input.value = typeof value === 'number' ? String(value) : '';
        input.placeholder = control.placeholder;
        input.title = `empty: ${control.placeholder === 'auto' ? 'derived by the layer' : `the default, ${control.placeholder}`}`;
      } else {
        input = document.createElement('select');
        input.className = 'layer-option';
        input.append(new Option('default', ''));
        for (const choice of control.values) input.append(new Option(choice, choice));
        input.value = typeof value === 'string' ? value : '';
      }
      input.setAttribute('aria-label', `Layer ${index + 1} ${control.label}`);
      input.addEventListener('change', () => {
        this.layers[index] = editField(this.layers[index], control, input.value);
        this.onChange(this.layers.map((each) => ({ ...each })));
      });
      field.append(text, input);
      details.append(field);
    }

    const shape = document.createElement('span');
    shape.className = 'layer-shape';
    details.append(shape);
    item.append(details);

    const actions = document.createElement('span');
    actions.className = 'layer-actions';
    const button = (symbol: string, label: string, enabled: boolean, action: () => void, selector: string): void => {
      const element = document.createElement('button');
      element.type = 'button';
      element.textContent = symbol;
      element.setAttribute('aria-label', `${label} layer ${index + 1} (${layer.kind})`);
      element.title = label;
      element.disabled = !enabled;
      element.className = selector;
      element.addEventListener('click', action);
      actions.append(element);
    };
    button('↑', 'Move up', index > 0, () => {
      [this.layers[index - 1], this.layers[index]] = [this.layers[index], this.layers[index - 1]];
      this.changed(index - 1, '.move-up:not(:disabled), .move-down');
    }, 'move-up');
    button('↓', 'Move down', index < this.layers.length - 1, () => {
      [this.layers[index + 1], this.layers[index]] = [this.layers[index], this.layers[index + 1]];
      this.changed(index + 1, '.move-down:not(:disabled), .move-up');
    }, 'move-down');
    button('✕', 'Remove', this.layers.length > 1, () => {
      this.layers.splice(index, 1);
      this.changed(index, '.remove');
    }, 'remove');
    item.append(actions);
    return item;
  }
}
