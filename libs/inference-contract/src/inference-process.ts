/**
 * V8 flags the inference service runs with, on the command line of every launcher: `npm start`
 * (apps/api/src/cli/start-all.cli.ts), `nx run inference:serve`, the test server (tests, bench,
 * eval) and the images in infra/docker. Node refuses this flag in NODE_OPTIONS, and
 * v8.setFlagsFromString comes too late for it, so it cannot be set from inside the service.
 *
 * A larger initial old generation: the service's own heap is small (~33 MB; the images live in
 * typed arrays outside it) and with V8's default limit it was collected (Mark-Compact) about three
 * times per 2 MP request: 105 in 36 requests, 767 ms of main-thread pauses. With 128 MB: 21 (about
 * 170 ms), for ~85 MiB more resident memory. End to end, two servers answering the 9 speed photos
 * alternately (54 pairs, run twice with the servers swapped; 2 cores, 2026-11-30): 31-36 ms less
 * work around the model per request with the flag, the encode stage 18-25 ms less. 512 MB gave the
 * same number of collections.
 */
export const INFERENCE_V8_FLAGS: readonly string[] = ['--initial-old-space-size=128'];

/** Node's arguments that start the inference service's `script` (main.ts): the V8 flags first, then the TypeScript loader. */
export function inferenceNodeArgs(script: string): string[] {
  return [...INFERENCE_V8_FLAGS, '-r', '@swc-node/register', script];
}

/**
 * The glibc malloc tunables the inference service runs with (in its environment: glibc reads
 * GLIBC_TUNABLES once, when the process starts, so every launcher sets them, as with the V8 flags).
 *
 * `glibc.malloc.hugetlb=1` (glibc 2.35+) has malloc advise the kernel to back its large
 * allocations with transparent huge pages (madvise mode, the common default of
 * /sys/kernel/mm/transparent_hugepage/enabled). A request allocates megabytes afresh outside the
 * buffer pool: the gRPC request and its protobuf decoding, sharp's decode, the deflated strips and
 * their messages. On the 2-core VM a 4 KiB page costs ~14 µs to fault in (64 MiB: 230-340 ms; with
 * the tunable 12-16 ms once the kernel has compacted memory).
 *
 * `glibc.malloc.arena_max=1`: every thread allocates from the main arena. The model runs on its own
 * worker thread (engine/worker-session.ts), which otherwise gets a thread arena of its own, and
 * there ONNX Runtime's session.run was slower than on the main thread with huge pages on (1.6-5 %
 * in one process, the same session settings, alternating) and no faster without them; with one
 * arena the worker runs the model as fast as the main thread does. Two servers answering the 9
 * speed photos alternately (2 cores, 2026-11-30, 4 rounds, both orders): both tunables against
 * hugetlb alone 56 and 110 ms less latency per request (the model run 41 and 76 ms shorter);
 * against neither 31 and 63 ms; hugetlb alone against neither: the model 30 ms slower, the work
 * around it 15 ms less. Where huge pages are off (`never`), glibc is older or the libc is musl,
 * they change nothing (musl has no arenas).
 */
export const INFERENCE_MALLOC_TUNABLES: readonly string[] = ['glibc.malloc.hugetlb=1', 'glibc.malloc.arena_max=1'];

/**
 * `env` for the inference service's process: GLIBC_TUNABLES gains each of INFERENCE_MALLOC_TUNABLES
 * after any tunables already there, unless they set that tunable themselves (theirs wins).
 */
export function inferenceProcessEnv<T extends Record<string, string | undefined>>(env: T): T & { GLIBC_TUNABLES: string } {
  const current = (env['GLIBC_TUNABLES'] ?? '').split(':').filter(Boolean);
  const named = (tunable: string) => tunable.slice(0, tunable.indexOf('=') + 1);
  const added = INFERENCE_MALLOC_TUNABLES.filter((tunable) => !current.some((t) => t.startsWith(named(tunable))));
  return { ...env, GLIBC_TUNABLES: [...current, ...added].join(':') };
}
