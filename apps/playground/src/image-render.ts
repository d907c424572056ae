// Small helpers that turn float arrays into pixels: grayscale digits, signed weights in a
// blue-white-red diverging map, and heat-map colours.

/** Draws `values` (rows×columns, 0–1 → black–white) into `canvas` at its natural size. */
export function drawGray(canvas: HTMLCanvasElement, values: ArrayLike<number>, columns: number, rows: number, scale = 1): void {
  const image = new ImageData(columns, rows);
  for (let i = 0; i < columns * rows; i++) {
    const value = Math.round(Math.max(0, Math.min(1, values[i] * scale)) * 255);
    image.data[4 * i] = value;
    image.data[4 * i + 1] = value;
    image.data[4 * i + 2] = value;
    image.data[4 * i + 3] = 255;
  }
  paint(canvas, image);
}

/** Draws signed `values` with 0 white, −max blue, +max red, max = the largest magnitude. */
export function drawSigned(canvas: HTMLCanvasElement, values: ArrayLike<number>, columns: number, rows: number): void {
  let largest = 1e-12;
  for (let i = 0; i < columns * rows; i++) largest = Math.max(largest, Math.abs(values[i]));
  const image = new ImageData(columns, rows);
  for (let i = 0; i < columns * rows; i++) {
    const t = values[i] / largest;
    const fade = Math.round(255 * (1 - Math.abs(t)));
    image.data[4 * i] = t > 0 ? 255 : fade;
    image.data[4 * i + 1] = fade;
    image.data[4 * i + 2] = t < 0 ? 255 : fade;
    image.data[4 * i + 3] = 255;
  }
  paint(canvas, image);
}

/** Draws non-negative `values` scaled so the largest is white (feature maps). */
export function drawNormalized(canvas: HTMLCanvasElement, values: ArrayLike<number>, columns: number, rows: number): void {
  let largest = 1e-12;
  for (let i = 0; i < columns * rows; i++) largest = Math.max(largest, values[i]);
  drawGray(canvas, values, columns, rows, 1 / largest);
}

function paint(canvas: HTMLCanvasElement, image: ImageData): void {
  canvas.width = image.width;
  canvas.height = image.height;
  canvas.getContext('2d')?.putImageData(image, 0, 0);
}

/** A canvas showing a small image, scaled up crisply by CSS; `label` is its accessible name. */
export function createImageCanvas(label: string, className = 'pixels'): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.className = className;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  return canvas;
}
