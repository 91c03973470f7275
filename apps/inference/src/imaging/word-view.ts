/**
 * `bytes` read four at a time: a Uint32Array over the same memory (its length rounded down to whole
 * words), or undefined when `bytes` does not start 4-byte aligned. For loops that skip or fill whole
 * words (a word of 0 is four zero bytes, 0xffffffff four 255s, whatever the byte order).
 */
export function wordsOf(bytes: Uint8Array): Uint32Array | undefined {
  return (bytes.byteOffset & 3) === 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2) : undefined;
}
