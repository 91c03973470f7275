/**
 * Photos uploading at once from this tab; the others wait their turn, and ask for their signed
 * upload URL only when it comes. Asked for all at once, the URLs of a large batch on a slow line
 * expired (UPLOAD_URL_TTL_SECONDS, 15 min by default) while their PUTs waited in the browser's queue.
 */
export const UPLOAD_CONCURRENCY = 3;

let uploading = 0;
const waiting: (() => void)[] = [];

/** Resolves with the slot's release (idempotent) once fewer than UPLOAD_CONCURRENCY uploads run; first come, first served. */
export function takeUploadSlot(): Promise<() => void> {
  return new Promise((resolve) => {
    const grant = () => {
      uploading++;
      let released = false;
      resolve(() => {
        if (released) return;
        released = true;
        uploading--;
        waiting.shift()?.();
      });
    };
    if (uploading < UPLOAD_CONCURRENCY) grant();
    else waiting.push(grant);
  });
}
