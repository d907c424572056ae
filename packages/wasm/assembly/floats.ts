// Small vectorised loops over runs of floats shared by the kernels (byte pointers, float counts).

/** dst[0..count) = src[0..count). */
// @ts-ignore: decorator
@inline export function copyFloats(dst: usize, src: usize, count: i32): void {
  let i = 0;
  for (; i + 4 <= count; i += 4) v128.store(dst + (<usize>i << 2), v128.load(src + (<usize>i << 2)));
  for (; i < count; i++) store<f32>(dst + (<usize>i << 2), load<f32>(src + (<usize>i << 2)));
}

/** dst[0..count) = 0. */
// @ts-ignore: decorator
@inline export function zeroFloats(dst: usize, count: i32): void {
  let i = 0;
  const zero = f32x4.splat(0);
  for (; i + 4 <= count; i += 4) v128.store(dst + (<usize>i << 2), zero);
  for (; i < count; i++) store<f32>(dst + (<usize>i << 2), 0);
}

/** dst[0..count) += src[0..count). */
// @ts-ignore: decorator
@inline export function addFloats(dst: usize, src: usize, count: i32): void {
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const place = dst + (<usize>i << 2);
    v128.store(place, f32x4.add(v128.load(place), v128.load(src + (<usize>i << 2))));
  }
  for (; i < count; i++) {
    const place = dst + (<usize>i << 2);
    store<f32>(place, load<f32>(place) + load<f32>(src + (<usize>i << 2)));
  }
}
