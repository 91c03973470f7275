import { spawn } from 'node:child_process';
import { backoffDelayMs, ChildSupervisor, DEFAULT_RESTART_POLICY, RestartTracker, type RestartPolicy } from './child-supervisor';

const FAST: RestartPolicy = {
  initialDelayMs: 10,
  maxDelayMs: 40,
  factor: 2,
  stableAfterMs: 60_000,
  maxFailedStarts: 3,
  startTimeoutMs: 60_000,
};

/** A real child process running `code`. */
const node = (code: string) => () => spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
const LONG_RUNNING = 'setInterval(() => {}, 1000)';

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 10));
}

describe('backoffDelayMs', () => {
  it('doubles from 0.5 s up to 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 20].map((n) => backoffDelayMs(n))).toEqual([
      500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });
});

describe('RestartTracker', () => {
  it('backs off on each crash and starts over once the child was healthy long enough', () => {
    const tracker = new RestartTracker();
    const delays: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      tracker.healthy(i * 1000);
      delays.push(tracker.exited(i * 1000 + 500));
    }
    expect(delays).toEqual([500, 1000, 2000].map((delayMs) => ({ action: 'restart', delayMs })));
    tracker.healthy(10_000);
    expect(tracker.exited(10_000 + DEFAULT_RESTART_POLICY.stableAfterMs)).toEqual({ action: 'restart', delayMs: 500 });
  });

  it('gives up after maxFailedStarts consecutive starts that never became healthy', () => {
    const tracker = new RestartTracker(FAST);
    expect(tracker.exited(0)).toEqual({ action: 'restart', delayMs: 10 });
    expect(tracker.exited(1)).toEqual({ action: 'restart', delayMs: 20 });
    expect(tracker.exited(2)).toEqual({ action: 'give-up', failedStarts: 3 });
  });

  it('counts only consecutive failed starts: a healthy start clears them', () => {
    const tracker = new RestartTracker(FAST);
    tracker.exited(0);
    tracker.exited(1);
    tracker.healthy(2);
    // A crash after serving is no failed start; the two failed starts before it are forgotten.
    for (const now of [3, 4, 5]) expect(tracker.exited(now)).toMatchObject({ action: 'restart' });
    expect(tracker.exited(6)).toEqual({ action: 'give-up', failedStarts: 3 });
  });
});

describe('ChildSupervisor', () => {
  it('restarts a child killed with SIGKILL, and stop() ends it', async () => {
    const logs: string[] = [];
    const supervisor = new ChildSupervisor({
      name: 'test child',
      spawn: node(LONG_RUNNING),
      isHealthy: async () => true,
      policy: FAST,
      log: (m) => logs.push(m),
    });
    await supervisor.start();
    const first = supervisor.pid!;
    process.kill(first, 'SIGKILL');
    await until(() => supervisor.pid !== undefined && supervisor.pid !== first && logs.some((l) => l.includes('serving again')));
    expect(supervisor.restarts).toBe(1);
    expect(logs[0]).toBe('The test child stopped (signal SIGKILL); restarting it in 10 ms.');
    const second = supervisor.pid!;
    await supervisor.stop();
    expect(() => process.kill(second, 0)).toThrow();
  });

  it('rejects start() with a clear message when the child keeps crashing before it is healthy', async () => {
    const supervisor = new ChildSupervisor({
      name: 'test child',
      spawn: node('process.exit(3)'),
      isHealthy: async () => false,
      policy: FAST,
      log: () => undefined,
    });
    await expect(supervisor.start()).rejects.toThrow('The test child failed to start 3 times in a row (last: code 3); stopping.');
    expect(supervisor.pid).toBeUndefined();
  });

  it('kills a child that never becomes healthy (it hangs at start) once the start timeout passes, restarts it, then gives up', async () => {
    // Regression: a child that neither served nor exited was waited for for ever (npm start hung).
    const logs: string[] = [];
    const pids: number[] = [];
    const supervisor = new ChildSupervisor({
      name: 'test child',
      spawn: () => {
        const child = node(LONG_RUNNING)();
        if (child.pid) pids.push(child.pid);
        return child;
      },
      isHealthy: async () => false,
      policy: { ...FAST, maxFailedStarts: 2, startTimeoutMs: 300 },
      healthPollMs: 20,
      log: (m) => logs.push(m),
    });
    await expect(supervisor.start()).rejects.toThrow(
      'The test child failed to start 2 times in a row (last: not healthy within 0.3 s, killed); stopping.',
    );
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    expect(logs.filter((l) => l === 'The test child is not healthy 0.3 s after it started; killing it.')).toHaveLength(2);
  });

  it('leaves a slow starter alone while it is within the start timeout', async () => {
    const healthyAfter = Date.now() + 300;
    const supervisor = new ChildSupervisor({
      name: 'test child',
      spawn: node(LONG_RUNNING),
      isHealthy: async () => Date.now() > healthyAfter,
      policy: { ...FAST, startTimeoutMs: 5_000 },
      healthPollMs: 20,
      log: () => undefined,
    });
    await supervisor.start();
    expect(supervisor.restarts).toBe(0);
    await supervisor.stop();
  });

  it('gives up later when a child that was serving dies and then keeps failing at start', async () => {
    let spawned = 0;
    const supervisor = new ChildSupervisor({
      name: 'test child',
      spawn: () => node(++spawned === 1 ? LONG_RUNNING : 'process.exit(1)')(),
      isHealthy: async () => spawned === 1,
      policy: FAST,
      log: () => undefined,
    });
    await supervisor.start();
    const gaveUp = new Promise<Error>((resolve) => supervisor.onGiveUp(resolve));
    process.kill(supervisor.pid!, 'SIGKILL');
    expect((await gaveUp).message).toBe('The test child failed to start 3 times in a row (last: code 1); stopping.');
    expect(spawned).toBe(4);
  });
});
