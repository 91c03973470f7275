import { InferenceFailure } from '../errors/inference-failure';
import { AdmissionGate, Semaphore } from './request-limits';

describe('AdmissionGate', () => {
  it('refuses past its depth with RESOURCE_EXHAUSTED and frees slots once', () => {
    const gate = new AdmissionGate(2);
    const a = gate.admitOrThrow();
    gate.admitOrThrow();
    expect(() => gate.admitOrThrow()).toThrow(expect.objectContaining({ code: 'RESOURCE_EXHAUSTED' }));
    a();
    a();
    expect(gate.inFlight).toBe(1);
    expect(() => gate.admitOrThrow()).not.toThrow();
  });

  it('lets photos in past its pixel bound only as pixels come back, first come first served, one always when none is held', async () => {
    // Found in review: 16 admitted requests of 49 MP photos held 3.95 GB with the tiny model; only their count was bounded.
    const gate = new AdmissionGate(16, 100);
    const order: string[] = [];
    const take = (name: string, count: number, signal?: AbortSignal) =>
      gate.reservePixels(count, signal).then((release) => {
        order.push(name);
        return release;
      });
    const first = await take('a', 60);
    const second = await take('b', 40);
    const third = take('c', 30);
    const controller = new AbortController();
    const canceled = take('d', 10, controller.signal);
    const fifth = take('e', 5);
    await new Promise((r) => setImmediate(r));
    expect([order, gate.pixelsInFlight, gate.waitingForPixels]).toEqual([['a', 'b'], 100, 3]);
    controller.abort();
    await expect(canceled).rejects.toMatchObject({ code: 'CANCELED' });
    first();
    first(); // once
    // c (30) fits beside b (40), and then e (5): in their order, the canceled one skipped.
    const [releaseC, releaseE] = await Promise.all([third, fifth]);
    expect([order, gate.pixelsInFlight, gate.waitingForPixels]).toEqual([['a', 'b', 'c', 'e'], 75, 0]);
    for (const release of [second, releaseC, releaseE]) release();
    // Alone, a photo larger than the whole bound is let in.
    const huge = await gate.reservePixels(1000);
    expect(gate.pixelsInFlight).toBe(1000);
    huge();
    expect(gate.pixelsInFlight).toBe(0);
  });
});

describe('Semaphore', () => {
  it('runs at most N at a time and lets a waiting caller abort', async () => {
    const sem = new Semaphore(1);
    let release!: () => void;
    const first = sem.use(() => new Promise<string>((r) => (release = () => r('first'))));
    const controller = new AbortController();
    const second = sem.use(async () => 'second', controller.signal);
    const third = sem.use(async () => 'third');
    controller.abort();
    await expect(second).rejects.toBeInstanceOf(InferenceFailure);
    release();
    expect(await first).toBe('first');
    expect(await third).toBe('third');
  });

  it('takes weighted units first come, first served: a large caller is not overtaken by later small ones', async () => {
    const sem = new Semaphore(4);
    const order: string[] = [];
    const take = (name: string, count: number) =>
      sem.acquire(count).then((release) => {
        order.push(name);
        return release;
      });
    const a = await take('a', 3);
    const big = take('big', 2); // does not fit beside a
    const small = take('small', 1); // would fit, but waits behind big
    await new Promise((r) => setImmediate(r));
    expect([order, sem.held, sem.waiting]).toEqual([['a'], 3, 2]);
    a();
    a(); // once
    await Promise.all([big, small]);
    expect([order, sem.held, sem.waiting]).toEqual([['a', 'big', 'small'], 3, 0]);
  });
});
