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
