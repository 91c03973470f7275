import type { ChildProcess } from 'node:child_process';

/** How a supervised child is restarted. */
export interface RestartPolicy {
  /** Delay before the first restart after a stable run (ms). */
  initialDelayMs: number;
  /** Longest delay between restarts (ms). */
  maxDelayMs: number;
  /** Each further restart waits this many times longer. */
  factor: number;
  /** A child healthy this long was stable: its next crash restarts after `initialDelayMs` again. */
  stableAfterMs: number;
  /** Consecutive starts that end before the child is healthy, after which the supervisor gives up. */
  maxFailedStarts: number;
  /** A child not healthy this long after it was spawned is killed (SIGKILL): a failed start, like a crash. */
  startTimeoutMs: number;
}

export const DEFAULT_RESTART_POLICY: Readonly<RestartPolicy> = Object.freeze({
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  factor: 2,
  stableAfterMs: 60_000,
  maxFailedStarts: 5,
  startTimeoutMs: 600_000,
});

/** Delay before restart number `restart` (0 = the first since the child was last stable). */
export function backoffDelayMs(restart: number, policy: RestartPolicy = DEFAULT_RESTART_POLICY): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** Math.max(0, restart));
}

export type ExitDecision = { action: 'restart'; delayMs: number } | { action: 'give-up'; failedStarts: number };

/** What the supervisor remembers between starts. Pure: the time is passed in. */
export class RestartTracker {
  private restarts = 0;
  private failedStarts = 0;
  private healthyAt: number | null = null;

  constructor(private readonly policy: RestartPolicy = DEFAULT_RESTART_POLICY) {}

  /** The child answered healthy: its start succeeded. */
  healthy(now: number): void {
    this.healthyAt = now;
    this.failedStarts = 0;
  }

  /** The child exited: restart it after a delay, or give up when it keeps failing at start. */
  exited(now: number): ExitDecision {
    if (this.healthyAt === null) {
      this.failedStarts++;
      if (this.failedStarts >= this.policy.maxFailedStarts) return { action: 'give-up', failedStarts: this.failedStarts };
    } else if (now - this.healthyAt >= this.policy.stableAfterMs) {
      this.restarts = 0;
    }
    this.healthyAt = null;
    return { action: 'restart', delayMs: backoffDelayMs(this.restarts++, this.policy) };
  }
}

export interface ChildSupervisorOptions {
  /** For messages, e.g. "inference service". */
  name: string;
  /** Starts one instance of the child (same arguments and port every time). */
  spawn: () => ChildProcess;
  /** True once the running child serves. */
  isHealthy: () => Promise<boolean>;
  policy?: RestartPolicy;
  healthPollMs?: number;
  log?: (message: string) => void;
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `code ${code}`;
}

/**
 * Keeps one child process running, like a process manager: a child that dies is restarted
 * with exponential backoff; one that keeps dying (or hanging past `startTimeoutMs`) before it
 * is healthy makes the supervisor give up (`start` rejects, or `onGiveUp` listeners hear it later).
 */
export class ChildSupervisor {
  private readonly tracker: RestartTracker;
  private readonly log: (message: string) => void;
  private child?: ChildProcess;
  private restartTimer?: NodeJS.Timeout;
  private stopped = false;
  private started?: { resolve: () => void; reject: (error: Error) => void };
  private readonly giveUpListeners: ((error: Error) => void)[] = [];
  /** Restarts so far. */
  restarts = 0;

  private readonly policy: RestartPolicy;

  constructor(private readonly options: ChildSupervisorOptions) {
    this.policy = options.policy ?? DEFAULT_RESTART_POLICY;
    this.tracker = new RestartTracker(this.policy);
    this.log = options.log ?? ((m) => console.error(m));
  }

  /** Starts the child; resolves once it is healthy, rejects when it keeps failing at start. */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.started = { resolve, reject };
      this.launch();
    });
  }

  /** Called when the supervisor gives up after the first start succeeded. */
  onGiveUp(listener: (error: Error) => void): void {
    this.giveUpListeners.push(listener);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Stops supervising and ends the child (SIGTERM, then waits for it). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }

  /** Synchronous last resort (process 'exit'): the child never outlives its parent. */
  kill(): void {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    this.child?.kill('SIGKILL');
  }

  private launch(): void {
    if (this.stopped) return;
    const child = this.options.spawn();
    this.child = child;
    let ended = false;
    const start = { at: Date.now(), timedOut: false };
    const onEnd = (code: number | null, signal: NodeJS.Signals | null) => {
      if (ended) return;
      ended = true;
      if (this.child === child) this.child = undefined;
      const how = start.timedOut ? `not healthy within ${this.policy.startTimeoutMs / 1000} s, killed` : describeExit(code, signal);
      if (!this.stopped) this.afterExit(how);
    };
    child.once('exit', onEnd);
    child.once('error', (error) => {
      this.log(`The ${this.options.name} could not run: ${error.message}`);
      onEnd(null, null);
    });
    void this.awaitHealthy(child, () => ended, start);
  }

  /** Polls health until the child serves; past the start timeout it is killed (its exit is then a failed start). */
  private async awaitHealthy(child: ChildProcess, ended: () => boolean, start: { at: number; timedOut: boolean }): Promise<void> {
    while (!ended() && !this.stopped) {
      if (Date.now() - start.at > this.policy.startTimeoutMs) {
        start.timedOut = true;
        this.log(`The ${this.options.name} is not healthy ${this.policy.startTimeoutMs / 1000} s after it started; killing it.`);
        child.kill('SIGKILL');
        return;
      }
      const healthy = await this.options.isHealthy().catch(() => false);
      if (healthy && !ended() && this.child === child) {
        this.tracker.healthy(Date.now());
        if (this.started) {
          this.started.resolve();
          this.started = undefined;
        } else {
          this.log(`The ${this.options.name} is serving again (restart ${this.restarts}).`);
        }
        return;
      }
      await new Promise((r) => setTimeout(r, this.options.healthPollMs ?? 250));
    }
  }

  private afterExit(how: string): void {
    const decision = this.tracker.exited(Date.now());
    if (decision.action === 'give-up') {
      this.stopped = true;
      const error = new Error(`The ${this.options.name} failed to start ${decision.failedStarts} times in a row (last: ${how}); stopping.`);
      if (this.started) {
        this.started.reject(error);
        this.started = undefined;
      } else {
        for (const listener of this.giveUpListeners) listener(error);
      }
      return;
    }
    this.log(`The ${this.options.name} stopped (${how}); restarting it in ${decision.delayMs} ms.`);
    this.restartTimer = setTimeout(() => {
      this.restarts++;
      this.launch();
    }, decision.delayMs);
  }
}
