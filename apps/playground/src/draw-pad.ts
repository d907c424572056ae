// A square canvas to draw a digit on with a mouse, a pen, a finger or the keyboard: white round
// strokes on black, like MNIST. Pointer events cover the first three; pointer capture keeps a
// stroke going when it leaves the canvas. The strokes are kept and redrawn with a pen scaled to
// the drawing's size, so a small digit keeps MNIST's proportions instead of becoming a blob.

/** Pixels of the pad's backing store on each side; strokes scale with it. */
export const padSize = 280;
/** The widest pen in backing-store pixels: after the 20-pixel box scaling, close to MNIST's pen. */
export const strokeWidth = 22;

/** MNIST's pen is about 0.11 of the digit's height; never thinner than this (backing-store pixels). */
const penShare = 0.11;
const thinnestPen = 5;

/** The pen width for a drawing whose strokes span `extent` backing-store pixels (its larger side). */
export function penWidth(extent: number): number {
  return Math.max(thinnestPen, Math.min(strokeWidth, penShare * (extent + strokeWidth)));
}

type Point = { x: number; y: number };
/** What changed the pad last: a stroke (pointer or keyboard), Clear, or a digit shown. */
export type PadChange = 'stroke' | 'clear' | 'digit';

/** How far one arrow key moves the keyboard pen (backing-store pixels). */
const keyStep = 14;

/** A drawing surface; `onChange` fires (at most once a frame) while strokes change the image. */
export class DrawPad {
  readonly canvas: HTMLCanvasElement;
  private readonly context: CanvasRenderingContext2D;
  private strokes: Point[][] = [];
  private activePointer: number | null = null;
  private frameRequested = false;
  private empty = true;
  /** The keyboard pen: where it is and whether it draws as it moves. */
  private cursor: Point = { x: padSize / 2, y: padSize / 2 };
  private keyboardDown = false;
  private digit: HTMLCanvasElement | null = null;
  private digitValues: Float32Array | null = null;
  /** What changed the pad last. */
  lastChange: PadChange = 'clear';

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
    canvas.addEventListener('keydown', (event) => this.key(event));
    canvas.addEventListener('blur', () => {
      this.keyboardDown = false;
      this.redraw();
    });
    canvas.addEventListener('focus', () => this.redraw());
  }

  /** The 28×28 digit shown by `showDigit` (0–1), until the pad changes: the network's exact input. */
  get digitImage(): Float32Array | null {
    return this.digitValues;
  }

  /** True until something is drawn (or after `clear`). */
  get isEmpty(): boolean {
    return this.empty;
  }

  /** Erases the pad to black and reports the change. */
  clear(): void {
    this.strokes = [];
    this.digit = null;
    this.digitValues = null;
    this.empty = true;
    this.keyboardDown = false;
    this.redraw();
    this.changed('clear');
  }

  /** The drawing as one byte a pixel (0 = background, 255 = ink), `padSize`² row-major. */
  pixels(): Uint8Array {
    // Without the keyboard cursor, which is drawn over the ink.
    this.paint(false);
    const rgba = this.context.getImageData(0, 0, padSize, padSize).data;
    const gray = new Uint8Array(padSize * padSize);
    for (let i = 0; i < gray.length; i++) gray[i] = rgba[4 * i];
    this.paintCursor();
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
    this.strokes = [];
    this.digit = scratch;
    this.digitValues = Float32Array.from({ length: side * side }, (_, i) => Math.max(0, Math.min(1, image[i])));
    this.empty = false;
    this.redraw();
    this.changed('digit');
  }

  private point(event: PointerEvent): Point {
    const box = this.canvas.getBoundingClientRect();
    return { x: ((event.clientX - box.left) / box.width) * padSize, y: ((event.clientY - box.top) / box.height) * padSize };
  }

  private down(event: PointerEvent): void {
    if (this.activePointer !== null || (event.pointerType === 'mouse' && event.button !== 0)) return;
    event.preventDefault();
    this.activePointer = event.pointerId;
    this.canvas.setPointerCapture(event.pointerId);
    this.strokes.push([this.point(event)]);
    this.stroked();
  }

  private move(event: PointerEvent): void {
    if (event.pointerId !== this.activePointer) return;
    event.preventDefault();
    // Coalesced events keep fast strokes smooth where the browser batches pointer moves.
    const events = typeof event.getCoalescedEvents === 'function' ? event.getCoalescedEvents() : [];
    const stroke = this.strokes[this.strokes.length - 1];
    for (const each of events.length > 0 ? events : [event]) stroke.push(this.point(each));
    this.stroked();
  }

  private up(event: PointerEvent): void {
    if (event.pointerId !== this.activePointer) return;
    this.activePointer = null;
    this.changed('stroke');
  }

  /** Arrow keys move the pen, Space lifts or lowers it, Delete or Backspace clears. */
  private key(event: KeyboardEvent): void {
    const moves: Record<string, Point> = { ArrowLeft: { x: -1, y: 0 }, ArrowRight: { x: 1, y: 0 }, ArrowUp: { x: 0, y: -1 }, ArrowDown: { x: 0, y: 1 } };
    const move = moves[event.key];
    if (move !== undefined) {
      event.preventDefault();
      const clamp = (value: number): number => Math.max(0, Math.min(padSize, value));
      this.cursor = { x: clamp(this.cursor.x + move.x * keyStep), y: clamp(this.cursor.y + move.y * keyStep) };
      if (this.keyboardDown) {
        this.strokes[this.strokes.length - 1].push({ ...this.cursor });
        this.stroked();
      } else {
        this.redraw();
      }
    } else if (event.key === ' ') {
      event.preventDefault();
      this.keyboardDown = !this.keyboardDown;
      if (this.keyboardDown) {
        this.strokes.push([{ ...this.cursor }]);
        this.stroked();
      } else {
        this.redraw();
      }
    } else if (event.key === 'Delete' || event.key === 'Backspace') {
      event.preventDefault();
      this.clear();
    }
  }

  private stroked(): void {
    this.empty = false;
    this.digit = null;
    this.digitValues = null;
    this.redraw();
    this.changed('stroke');
  }

  /** The pen width for the strokes as they stand: the larger side of their bounding box decides. */
  private currentPenWidth(): number {
    let left = Infinity;
    let right = -Infinity;
    let top = Infinity;
    let bottom = -Infinity;
    for (const stroke of this.strokes) {
      for (const point of stroke) {
        left = Math.min(left, point.x);
        right = Math.max(right, point.x);
        top = Math.min(top, point.y);
        bottom = Math.max(bottom, point.y);
      }
    }
    return left === Infinity ? strokeWidth : penWidth(Math.max(right - left, bottom - top));
  }

  private paint(withCursor: boolean): void {
    const context = this.context;
    context.fillStyle = '#000';
    context.fillRect(0, 0, padSize, padSize);
    if (this.digit !== null) {
      context.imageSmoothingEnabled = true;
      context.drawImage(this.digit, 0, 0, padSize, padSize);
    }
    context.strokeStyle = '#fff';
    context.fillStyle = '#fff';
    context.lineWidth = this.currentPenWidth();
    context.lineCap = 'round';
    context.lineJoin = 'round';
    for (const stroke of this.strokes) {
      context.beginPath();
      context.moveTo(stroke[0].x, stroke[0].y);
      // A single point still leaves a dot.
      for (const point of stroke.length === 1 ? [stroke[0], { x: stroke[0].x + 0.01, y: stroke[0].y }] : stroke.slice(1)) context.lineTo(point.x, point.y);
      context.stroke();
    }
    if (withCursor) this.paintCursor();
  }

  /** The keyboard pen, while the pad has the focus: a ring (filled when the pen is down). */
  private paintCursor(): void {
    if (document.activeElement !== this.canvas) return;
    const context = this.context;
    context.beginPath();
    context.arc(this.cursor.x, this.cursor.y, 8, 0, 2 * Math.PI);
    context.lineWidth = 3;
    context.strokeStyle = '#f59e0b';
    context.stroke();
    if (this.keyboardDown) {
      context.fillStyle = '#f59e0b';
      context.fill();
    }
  }

  private redraw(): void {
    this.paint(true);
  }

  private changed(change: PadChange): void {
    this.lastChange = change;
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      this.onChange(this);
    });
  }
}
