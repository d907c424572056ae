// Pixel bytes to floats through a 256-entry table (byte pointers; `length` bytes in, floats out).

/** out[i] = table[bytes[i]] for i < length: four lookups per 32-bit read. */
export function lookupBytes(bytes: usize, table: usize, out: usize, length: i32): void {
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const word = load<u32>(bytes + <usize>i);
    const target = out + (<usize>i << 2);
    store<f32>(target, load<f32>(table + ((<usize>word & 255) << 2)));
    store<f32>(target + 4, load<f32>(table + (((<usize>word >> 8) & 255) << 2)));
    store<f32>(target + 8, load<f32>(table + (((<usize>word >> 16) & 255) << 2)));
    store<f32>(target + 12, load<f32>(table + ((<usize>word >> 24) << 2)));
  }
  for (; i < length; i++) store<f32>(out + (<usize>i << 2), load<f32>(table + (<usize>load<u8>(bytes + <usize>i) << 2)));
}
