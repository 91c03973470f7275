import { BufferPool } from './buffer-pool';

describe('BufferPool', () => {
  it('hands a released buffer back for the same size only, and never twice', () => {
    const pool = new BufferPool(1000);
    const a = pool.acquire(100);
    expect(a.length).toBe(100);
    pool.release(a);
    pool.release(a); // a second release of the same buffer is ignored
    expect(pool.heldBytes).toBe(100);
    expect(pool.acquire(99)).not.toBe(a);
    expect(pool.acquire(100)).toBe(a);
    expect(pool.acquire(100)).not.toBe(a);
    expect(pool.heldBytes).toBe(0);
  });

  it('takes back memory that came from a worker, and never keeps the same memory twice under two wrappers', () => {
    const pool = new BufferPool(1000);
    const memory = pool.acquireMemory(100);
    expect(memory.byteLength).toBe(100);
    pool.release(memory);
    pool.release(Buffer.from(memory)); // the same memory, another Buffer around it: ignored
    expect(pool.heldBytes).toBe(100);
    expect(pool.acquire(100).buffer).toBe(memory);
    expect(pool.acquireMemory(100)).not.toBe(memory);
  });

  it('keeps at most perSize buffers of a size and at most maxBytes, evicting the oldest sizes', () => {
    const pool = new BufferPool(300, 2);
    const [a, b, c] = [pool.acquire(100), pool.acquire(100), pool.acquire(100)];
    pool.release(a);
    pool.release(b);
    pool.release(c); // a third of the same size is not kept
    expect(pool.heldBytes).toBe(200);
    const d = pool.acquire(150);
    pool.release(d); // 350 > 300: the older size (100) goes
    expect(pool.heldBytes).toBe(150);
    expect(pool.acquire(100)).not.toBe(a);
    expect(pool.acquire(150)).toBe(d);
  });

  it('does not keep views, empty buffers or buffers over the limit', () => {
    const pool = new BufferPool(100);
    const big = Buffer.allocUnsafe(200);
    pool.release(big);
    pool.release(big.subarray(0, 50));
    pool.release(Buffer.alloc(0));
    pool.release(Buffer.from('small')); // may be a slice of Node's shared pool: not owned
    expect(pool.heldBytes).toBe(0);
  });
});
