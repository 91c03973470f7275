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
