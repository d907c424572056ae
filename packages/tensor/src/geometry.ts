import type { Conv2dGeometry, Pool2dGeometry } from './kernels.js';

/** Output size of a window sliding over `size` with `pad` zeros in total, or 0 when it does not fit. */
export function outputSize(size: number, window: number, stride: number, pad: number): number {
  const span = size + pad - window;
  return span < 0 ? 0 : Math.floor(span / stride) + 1;
}

/** Convolution geometry from sizes; pads are [top, bottom, left, right]. */
export function conv2dGeometry(options: {
  batch: number;
  inputHeight: number;
  inputWidth: number;
  inputChannels: number;
  kernelHeight: number;
  kernelWidth: number;
  strideHeight?: number;
  strideWidth?: number;
  pads?: readonly [number, number, number, number];
}): Conv2dGeometry {
  const strideHeight = options.strideHeight ?? 1;
  const strideWidth = options.strideWidth ?? 1;
  const [top, bottom, left, right] = options.pads ?? [0, 0, 0, 0];
  return {
    batch: options.batch,
    inputHeight: options.inputHeight,
    inputWidth: options.inputWidth,
    inputChannels: options.inputChannels,
    kernelHeight: options.kernelHeight,
    kernelWidth: options.kernelWidth,
    strideHeight,
    strideWidth,
    padTop: top,
    padLeft: left,
    outputHeight: outputSize(options.inputHeight, options.kernelHeight, strideHeight, top + bottom),
    outputWidth: outputSize(options.inputWidth, options.kernelWidth, strideWidth, left + right),
  };
}

/** Pooling geometry from sizes (no padding; windows that do not fit are dropped, like 'valid'). */
export function pool2dGeometry(options: {
  batch: number;
  inputHeight: number;
  inputWidth: number;
  channels: number;
  poolHeight: number;
  poolWidth: number;
  strideHeight?: number;
  strideWidth?: number;
}): Pool2dGeometry {
  const strideHeight = options.strideHeight ?? options.poolHeight;
  const strideWidth = options.strideWidth ?? options.poolWidth;
  return {
    ...options,
    strideHeight,
    strideWidth,
    outputHeight: outputSize(options.inputHeight, options.poolHeight, strideHeight, 0),
    outputWidth: outputSize(options.inputWidth, options.poolWidth, strideWidth, 0),
  };
}
