// A square canvas to draw a digit on with a mouse, a pen or a finger: white round strokes on
// black, like MNIST. Pointer events cover all three; pointer capture keeps a stroke going when
// it leaves the canvas.

/** Pixels of the pad's backing store on each side; strokes scale with it. */
export const padSize = 280;
/** Stroke width in backing-store pixels: after the 20-pixel box scaling, close to MNIST's pen. */
export const strokeWidth = 22;

/** A drawing surface; `onChange` fires (at most once a frame) while strokes change the image. */
export class DrawPad {
  readonly canvas: HTMLCanvasElement;
  private readonly context: CanvasRenderingContext2D;
  private last: { x: number; y: number } | null = null;
  private activePointer: number | null = null;
  private frameRequested = false;
  private empty = true;

  constructor(canvas: HTMLCanvasElement, private readonly onChange: (pad: DrawPad) => void) {
    this.canvas = canvas;
    canvas.width = padSize;
    canvas.height = padSize;
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (context === null) throw new Error('drawing pad: the browser gave no 2-D canvas context');
    this.context = context;
    this.clear();
    canvas.addEventListener('pointerdown', (event) => this.down(event));
    canvas.addEventListener('pointermove', (event) => this.move(event));
    canvas.addEventListener('pointerup', (event) => this.up(event));
    canvas.addEventListener('pointercancel', (event) => this.up(event));
  }

  /** True until something is drawn (or after `clear`). */
  get isEmpty(): boolean {
    return this.empty;
  }

  /** Erases the pad to black and reports the change. */
  clear(): void {
    this.context.fillStyle = '#000';
    this.context.fillRect(0, 0, padSize, padSize);
    this.empty = true;
    this.changed();
  }

  /** The drawing as one byte a pixel (0 = background, 255 = ink), `padSize`² row-major. */
  pixels(): Uint8Array {
    const rgba = this.context.getImageData(0, 0, padSize, padSize).data;
    const gray = new Uint8Array(padSize * padSize);
    for (let i = 0; i < gray.length; i++) gray[i] = rgba[4 * i];
    return gray;
  }

  /** Paints a 28×28 grayscale digit (0–1) over the whole pad, for the keyboard-only way in. */
  showDigit(image: ArrayLike<number>, side = 28): void {
    const small = new ImageData(side, side);
    for (let i = 0; i < side * side; i++) {
      const value = Math.round(Math.max(0, Math.min(1, image[i])) * 255);
      small.data.set([value, value, value, 255], 4 * i);
    }
    const scratch = document.createElement('canvas');
    scratch.width = side;
    scratch.height = side;
    scratch.getContext('2d')?.putImageData(small, 0, 0);
    this.context.imageSmoothingEnabled = true;
    this.context.drawImage(scratch, 0, 0, padSize, padSize);
    this.empty = false;
    this.changed();
  }

  private point(event: PointerEvent): { x: number; y: number } {
    const box = this.canvas.getBoundingClientRect();
    return { x: ((event.clientX - box.left) / box.width) * padSize, y: ((event.clientY - box.top) / box.height) * padSize };
  }

  private down(event: PointerEvent): void {
    if (this.activePointer !== null || (event.pointerType === 'mouse' && event.button !== 0)) return;
    event.preventDefault();
    this.activePointer = event.pointerId;
    this.canvas.setPointerCapture(event.pointerId);
    const at = this.point(event);
    this.last = at;
    this.stroke(at, at);
  }

  private move(event: PointerEvent): void {
    if (event.pointerId !== this.activePointer || this.last === null) return;
    event.preventDefault();
    // Coalesced events keep fast strokes smooth where the browser batches pointer moves.
    const events = typeof event.getCoalescedEvents === 'function' ? event.getCoalescedEvents() : [];
    for (const each of events.length > 0 ? events : [event]) {
      const at = this.point(each);
      this.stroke(this.last, at);
      this.last = at;
    }
  }

  private up(event: PointerEvent): void {
    if (event.pointerId !== this.activePointer) return;
    this.activePointer = null;
    this.last = null;
    this.changed();
  }

  private stroke(from: { x: number; y: number }, to: { x: number; y: number }): void {
    const context = this.context;
    context.strokeStyle = '#fff';
    context.lineWidth = strokeWidth;
    context.lineCap = 'round';
    context.lineJoin = 'round';
    context.beginPath();
    context.moveTo(from.x, from.y);
    context.lineTo(to.x, to.y);
    context.stroke();
    this.empty = false;
    this.changed();
  }

  private changed(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      this.onChange(this);
    });
  }
}
