// The layer-by-layer architecture editor: one row a layer (kind, its numbers, move and remove
// buttons) and the output shape each layer gives, all plain labelled form controls.
import { layerKinds, optionValues, optionsOf, parametersOf } from './config.js';
import type { LayerSpec } from './nnkit.js';

const defaults: Record<string, Record<string, number>> = {
  dense: { units: 100 },
  conv2d: { filters: 20, kernelSize: 5, stride: 1 },
  maxPool2d: { size: 2, stride: 2 },
  avgPool2d: { size: 2, stride: 2 },
  dropout: { rate: 0.5 },
  leakyRelu: { alpha: 0.01 },
  elu: { alpha: 1 },
};

const limits: Record<string, { min: number; max: number; step: number }> = {
  units: { min: 1, max: 4096, step: 1 },
  filters: { min: 1, max: 256, step: 1 },
  kernelSize: { min: 1, max: 28, step: 1 },
  stride: { min: 1, max: 28, step: 1 },
  size: { min: 1, max: 28, step: 1 },
  rate: { min: 0, max: 0.95, step: 0.05 },
  alpha: { min: 0, max: 1, step: 0.01 },
};

const labels: Record<string, string> = {
  units: 'units',
  filters: 'filters',
  kernelSize: 'kernel',
  stride: 'stride',
  size: 'size',
  rate: 'rate',
  alpha: 'alpha',
};

/** A new layer of `kind` with default numbers. */
export function defaultLayer(kind: string): LayerSpec {
  return { kind, ...(defaults[kind] ?? {}) } as unknown as LayerSpec;
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
    for (const kind of layerKinds) addKind.append(new Option(kind, kind));
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
    for (const option of layerKinds) kind.append(new Option(option, option));
    kind.value = layer.kind;
    kind.addEventListener('change', () => {
      this.layers[index] = defaultLayer(kind.value);
      this.changed(index);
    });
    item.append(kindLabel, kind);
    // Numbers, options and the output shape; on a phone they take their own line.
    const details = document.createElement('span');
    details.className = 'layer-details';

    for (const name of parametersOf(layer.kind)) {
      const field = document.createElement('label');
      field.className = 'layer-parameter';
      const text = document.createElement('span');
      text.textContent = labels[name] ?? name;
      const input = document.createElement('input');
      input.type = 'number';
      input.setAttribute('aria-label', `Layer ${index + 1} ${labels[name] ?? name}`);
      const limit = limits[name] ?? { min: 0, max: 1e6, step: 1 };
      input.min = String(limit.min);
      input.max = String(limit.max);
      input.step = String(limit.step);
      const value = record[name];
      input.value = typeof value === 'number' ? String(value) : '';
      input.placeholder = 'default';
      input.addEventListener('change', () => {
        const next: Record<string, unknown> = { ...record };
        const number = Number(input.value);
        if (input.value === '' || !Number.isFinite(number)) delete next[name];
        else next[name] = Math.min(limit.max, Math.max(limit.min, number));
        this.layers[index] = next as unknown as LayerSpec;
        this.onChange(this.layers.map((each) => ({ ...each })));
      });
      field.append(text, input);
      details.append(field);
    }

    for (const name of optionsOf(layer.kind)) {
      const field = document.createElement('label');
      field.className = 'layer-parameter';
      const text = document.createElement('span');
      text.textContent = name;
      const select = document.createElement('select');
      select.className = 'layer-option';
      select.setAttribute('aria-label', `Layer ${index + 1} ${name}`);
      select.append(new Option('default', ''));
      for (const value of optionValues[name]) select.append(new Option(value, value));
      const value = record[name];
      select.value = typeof value === 'string' ? value : '';
      select.addEventListener('change', () => {
        const next: Record<string, unknown> = { ...record };
        if (select.value === '') delete next[name];
        else next[name] = select.value;
        this.layers[index] = next as unknown as LayerSpec;
        this.onChange(this.layers.map((each) => ({ ...each })));
      });
      field.append(text, select);
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
