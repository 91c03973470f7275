/**
 * Reuse of the largest per-request buffers: the model input (12.6 MB at 1024², moved to the ONNX
 * Runtime worker and back with the output in it), the PNG scanlines (8 MB for a 2 MP cut-out), the
 * decontaminated crop (6 MB) and the imaging workers' window copies, rows and bands (~7.5 MB).
 * Allocated anew each request they are external memory, whose growth makes V8 run full collections
 * in the middle of a request (a few per request at 2 MP before), and fresh pages to fault in (on
 * this project's 2-core VM a fresh 12.6 MB array costs 5-50 ms more to fill than a reused one).
 * Buffers are keyed by exact size: the same photo size reuses them, other sizes evict the oldest
 * beyond `maxBytes`. A released buffer must not be read or written again by the releaser.
 */
export class BufferPool {
  private readonly free = new Map<number, Buffer[]>();
  private held = 0;

  constructor(
    readonly maxBytes: number,
    private readonly perSize = 2,
  ) {}

  /** A buffer of exactly `bytes`, contents undefined: a released one of that size, or a new one. */
  acquire(bytes: number): Buffer {
    const list = this.free.get(bytes);
    const reused = list?.pop();
    if (list && reused) {
      this.held -= bytes;
      if (list.length === 0) this.free.delete(bytes);
      return reused;
    }
    return Buffer.allocUnsafeSlow(bytes); // its own memory (never a slice of Node's small-buffer pool)
  }

  /** The memory of an acquired buffer, for typed arrays of other kinds and for moving it to a worker. */
  acquireMemory(bytes: number): ArrayBuffer {
    return this.acquire(bytes).buffer as ArrayBuffer;
  }

  /**
   * Gives a buffer, or memory that came back from a worker, for a later acquire of its size (kept
   * only within maxBytes and perSize; the same memory is never kept twice, whatever wraps it).
   */
  release(memory: Buffer | ArrayBuffer): void {
    const buffer = Buffer.isBuffer(memory) ? memory : Buffer.from(memory);
    const bytes = buffer.length;
    if (bytes === 0 || bytes > this.maxBytes || buffer.byteOffset !== 0 || buffer.buffer.byteLength !== bytes) return;
    const list = this.free.get(bytes) ?? [];
    if (list.some((kept) => kept.buffer === buffer.buffer) || list.length >= this.perSize) return;
    // The oldest sizes go first (Map keeps insertion order; a size re-inserted moves to the end).
    for (const [size, others] of this.free) {
      if (this.held + bytes <= this.maxBytes) break;
      if (size === bytes) continue;
      this.held -= size * others.length;
      this.free.delete(size);
    }
    if (this.held + bytes > this.maxBytes) return;
    this.free.delete(bytes);
    this.free.set(bytes, [...list, buffer]);
    this.held += bytes;
  }

  /** Bytes held for reuse (tests, diagnostics). */
  get heldBytes(): number {
    return this.held;
  }
}

/** The service's pool of large per-request buffers (at most 96 MiB held: one 5 MP cut-out's set is ~68 MB). */
export const largeBuffers = new BufferPool(96 * 1024 * 1024);
