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

  it('refuses photos past its pixel bound with RESOURCE_EXHAUSTED, always takes one when none is held, and gives pixels back once', () => {
    // Found in review: 16 admitted requests of 49 MP photos held 3.95 GB with the tiny model; only their count was bounded.
    const gate = new AdmissionGate(16, 100);
    const first = gate.reservePixelsOrThrow(60);
    const second = gate.reservePixelsOrThrow(40);
    expect(() => gate.reservePixelsOrThrow(1)).toThrow(
      expect.objectContaining({ code: 'RESOURCE_EXHAUSTED', message: expect.stringMatching(/INFERENCE_MAX_INFLIGHT_MEGAPIXELS/) }),
    );
    first();
    first();
    expect(gate.pixelsInFlight).toBe(40);
    expect(() => gate.reservePixelsOrThrow(61)).toThrow(expect.objectContaining({ code: 'RESOURCE_EXHAUSTED' }));
    gate.reservePixelsOrThrow(60)();
    second();
    // Alone, a photo larger than the whole bound is served.
    const huge = gate.reservePixelsOrThrow(1000);
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
});
