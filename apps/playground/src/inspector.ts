// "Look inside": the first layer's weights as images, the drawing's feature maps, the confusion
// matrix (each cell a button listing those test digits) and the distortion preview.
import { confusionCellColours } from './confusion-colours.js';
import { createImageCanvas, drawGray, drawNormalized, drawSigned } from './image-render.js';
import type { Sequential } from './nnkit.js';
import type { Prediction } from './predict.js';

/** At most this many filters, units or maps are drawn (20 fill the space; more get small). */
const maxTiles = 32;

function tile(container: HTMLElement, label: string, caption?: string): HTMLCanvasElement {
  const canvas = createImageCanvas(label);
  if (caption === undefined) {
    container.append(canvas);
    return canvas;
  }
  const figure = document.createElement('figure');
  figure.className = 'tile';
  const text = document.createElement('figcaption');
  text.textContent = caption;
  figure.append(canvas, text);
  container.append(figure);
  return canvas;
}

function note(container: HTMLElement, text: string): void {
  const paragraph = document.createElement('p');
  paragraph.className = 'hint';
  paragraph.textContent = text;
  container.replaceChildren(paragraph);
}

/** Index of the first layer that has weights, and its weight tensor (the param with the highest rank). */
function firstWeights(model: Sequential): { index: number; shape: readonly number[]; data: Float32Array } | null {
  for (let index = 0; index < model.layers.length; index++) {
    const params = model.layers[index].params;
    if (params.length === 0) continue;
    const weights = [...params].sort((a, b) => b.value.shape.length - a.value.shape.length)[0];
    return { index, shape: weights.value.shape, data: weights.value.data };
  }
  return null;
}

/**
 * Reads input unit i's weight to output unit o of a dense layer whose weights are [in, out]
 * (the matmul `x·W` layout) or [out, in].
 */
function denseWeight(shape: readonly number[], data: Float32Array, inputs: number, i: number, o: number): number {
  return shape[0] === inputs ? data[i * shape[1] + o] : data[o * shape[1] + i];
}

/** Draws the first weighted layer's filters (conv: kernels; dense on 784 inputs: 28×28 images). */
export function renderWeights(container: HTMLElement, model: Sequential | null, hint?: HTMLElement): void {
  container.replaceChildren();
  const explain = (text: string): void => {
    if (hint !== undefined) hint.textContent = text;
  };
  if (model === null) return note(container, 'No model yet.');
  const weights = firstWeights(model);
  if (weights === null) return note(container, 'This network has no weights.');
  const { shape, data } = weights;
  if (shape.length === 4) {
    // Conv filters, HWIO: one image per output channel, the first input channel.
    const [height, width, inputChannels, filters] = shape;
    explain(`The ${filters} convolution filters, ${height}×${width} each${filters > maxTiles ? ` (first ${maxTiles})` : ''}.`);
    for (let o = 0; o < Math.min(filters, maxTiles); o++) {
      const image = new Float32Array(height * width);
      for (let p = 0; p < height * width; p++) image[p] = data[p * inputChannels * filters + o];
      drawSigned(tile(container, `Filter ${o + 1}`), image, width, height);
    }
    return;
  }
  const inputs = 784;
  if (shape.length === 2 && (shape[0] === inputs || shape[1] === inputs)) {
    const units = shape[0] === inputs ? shape[1] : shape[0];
    explain(`Dense first layer: each unit's ${inputs} weights as a 28×28 image${units > maxTiles ? ` (first ${maxTiles} of ${units} units)` : ''}.`);
    for (let o = 0; o < Math.min(units, maxTiles); o++) {
      const image = new Float32Array(inputs);
      for (let i = 0; i < inputs; i++) image[i] = denseWeight(shape, data, inputs, i, o);
      drawSigned(tile(container, `Weights of unit ${o + 1}`), image, 28, 28);
    }
    return;
  }
  note(container, `The first weighted layer's weights (${shape.join('×')}) are not images.`);
}

/**
 * Feature maps of the drawing: the first convolution's output (after its activation when one
 * follows); for a dense first layer, each strongly activated unit's weights times the input.
 */
export function renderFeatureMaps(container: HTMLElement, model: Sequential | null, prediction: Prediction | null, input: Float32Array | null, hint?: HTMLElement): void {
  container.replaceChildren();
  const explain = (text: string): void => {
    if (hint !== undefined) hint.textContent = text;
  };
  explain('What the first layer makes of the drawing.');
  if (model === null || prediction === null || input === null) return note(container, 'Draw a digit to see what the first layer makes of it.');
  const weights = firstWeights(model);
  if (weights === null) return note(container, 'This network has no weights.');
  const { index, shape, data } = weights;
  if (shape.length === 4) {
    const next = model.layers[index + 1];
    const mapIndex = next !== undefined && next.params.length === 0 && next.outputShape.length === 3 && ['relu', 'leakyRelu', 'sigmoid', 'tanh'].includes(next.config.kind) ? index + 1 : index;
    const maps = prediction.activations[mapIndex];
    const [height, width, channels] = maps.shape.slice(1);
    explain(`Each filter's response to your drawing${mapIndex > index ? ` after ${model.layers[mapIndex].config.kind}` : ''} (${width}×${height}), brightest = strongest.`);
    for (let c = 0; c < Math.min(channels, maxTiles); c++) {
      const image = new Float32Array(height * width);
      for (let p = 0; p < height * width; p++) image[p] = Math.max(0, maps.data[p * channels + c]);
      drawNormalized(tile(container, `Feature map ${c + 1}`), image, width, height);
    }
    return;
  }
  const inputs = 784;
  if (shape.length === 2 && (shape[0] === inputs || shape[1] === inputs)) {
    const units = shape[0] === inputs ? shape[1] : shape[0];
    const activation = prediction.activations[index].data;
    explain("The 20 most active units: your drawing times each unit's weights (red pushes the unit up, blue down); captions give unit and activation.");
    const order = Array.from({ length: units }, (_, unit) => unit).sort((a, b) => activation[b] - activation[a]);
    for (const unit of order.slice(0, Math.min(units, 20))) {
      const image = new Float32Array(inputs);
      for (let i = 0; i < inputs; i++) image[i] = input[i] * denseWeight(shape, data, inputs, i, unit);
      drawSigned(tile(container, `Unit ${unit + 1}: input times weights, activation ${activation[unit].toFixed(2)}`, `#${unit + 1}: ${activation[unit].toFixed(1)}`), image, 28, 28);
    }
    return;
  }
  note(container, 'No image-shaped first layer to show.');
}

/**
 * Draws the confusion matrix as a table of buttons, `onSelect(actual, predicted)` on a cell, the
 * `selected` cell marked (pressed), and each true digit's recall in a last column.
 */
export function renderConfusion(
  container: HTMLElement,
  confusion: number[][] | null,
  onSelect: (actual: number, predicted: number) => void,
  selected: { actual: number; predicted: number } | null = null,
): void {
  container.replaceChildren();
  if (confusion === null) return note(container, 'The matrix of the model in use appears once the test images are loaded.');
  let largestError = 1;
  confusion.forEach((row, actual) => row.forEach((count, predicted) => actual !== predicted && (largestError = Math.max(largestError, count))));
  const table = document.createElement('table');
  table.className = 'confusion';
  const caption = document.createElement('caption');
  caption.className = 'visually-hidden';
  caption.textContent = 'Confusion matrix: rows are true digits, columns predicted digits';
  table.append(caption);
  const head = table.createTHead().insertRow();
  const corner = document.createElement('th');
  corner.textContent = 'true ╲ pred';
  corner.className = 'corner';
  head.append(corner);
  for (let predicted = 0; predicted < 10; predicted++) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = String(predicted);
    head.append(th);
  }
  const recallHead = document.createElement('th');
  recallHead.scope = 'col';
  recallHead.className = 'recall';
  recallHead.textContent = 'recall';
  recallHead.title = 'Share of each true digit recognised';
  head.append(recallHead);
  const body = table.createTBody();
  confusion.forEach((row, actual) => {
    const tr = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = String(actual);
    tr.append(th);
    const total = row.reduce((sum, count) => sum + count, 0) || 1;
    row.forEach((count, predicted) => {
      const cell = tr.insertCell();
      const button = document.createElement('button');
      button.type = 'button';
      // Four digits fit a phone's cell as "1.1k" (CSS shows one form or the other); the exact count is in the label.
      if (count >= 1000) {
        const full = document.createElement('span');
        full.className = 'count-full';
        full.textContent = String(count);
        const short = document.createElement('span');
        short.className = 'count-short';
        short.textContent = `${(count / 1000).toFixed(1)}k`;
        button.append(full, short);
      } else {
        button.textContent = String(count);
      }
      button.dataset.count = String(count);
      button.title = `${count}`;
      button.dataset.actual = String(actual);
      button.dataset.predicted = String(predicted);
      const correct = actual === predicted;
      if (count > 0) {
        const colours = confusionCellColours(correct, correct ? count / total : count / largestError);
        button.style.background = colours.background;
        button.style.color = colours.text;
      }
      button.setAttribute('aria-label', `true ${actual}, predicted ${predicted}: ${count} digits`);
      button.disabled = count === 0;
      const isSelected = selected !== null && selected.actual === actual && selected.predicted === predicted;
      button.setAttribute('aria-pressed', String(isSelected));
      if (isSelected) button.classList.add('selected');
      button.addEventListener('click', () => onSelect(actual, predicted));
      cell.append(button);
    });
    const recall = tr.insertCell();
    recall.className = 'recall';
    recall.textContent = `${((100 * row[actual]) / total).toFixed(1)}`;
    recall.title = `${row[actual]} of ${total} digits ${actual} recognised`;
  });
  container.append(table);
}

/** Shows the test digits of one confusion cell; with `onChoose`, each is a button that gives its slot. */
export function renderDigits(container: HTMLElement, title: string, images: Float32Array, count: number, captions?: string[], onChoose?: (slot: number) => void): void {
  container.replaceChildren();
  const heading = document.createElement('p');
  heading.className = 'digits-title';
  heading.textContent = title;
  const grid = document.createElement('div');
  grid.className = 'tiles digits';
  for (let i = 0; i < count; i++) {
    const label = `${title.replace(/:.*$/, '')}: digit ${i + 1}${captions?.[i] === undefined ? '' : ` (${captions[i]})`}`;
    if (onChoose === undefined) {
      drawGray(tile(grid, label, captions?.[i]), images.subarray(i * 784, (i + 1) * 784), 28, 28);
      continue;
    }
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'digit-button';
    // The visible caption starts the name (WCAG 2.5.3).
    button.setAttribute('aria-label', `${captions?.[i] ?? `digit ${i + 1}`}: put this test digit on the drawing pad`);
    drawGray(tile(button, label, captions?.[i]), images.subarray(i * 784, (i + 1) * 784), 28, 28);
    button.addEventListener('click', () => onChoose(i));
    grid.append(button);
  }
  container.append(heading, grid);
}
