import { ApiError } from '../graphql/errors';

/** The same-origin path of a URL the API built from PUBLIC_URL (so the Vite dev proxy works too). */
export function sameOrigin(url: string): string {
  try {
    const parsed = new URL(url, window.location.href);
    return parsed.pathname + parsed.search;
  } catch {
    return url;
  }
}

/** PUTs the file to its signed upload URL, reporting progress (XMLHttpRequest: fetch has no upload progress). */
export function putFile(url: string, file: Blob, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    // Abandoned (its card left the page): the request stops, and its upload slot comes back at once.
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.onabort = () => reject(new ApiError('The upload was stopped', 'NETWORK'));
    xhr.open('PUT', sameOrigin(url));
    xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve();
      let body: { error?: { code?: string; message?: string; [key: string]: unknown } } = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        // Not JSON: keep the status.
      }
      const code = body.error?.code ?? (xhr.status === 413 ? 'IMAGE_TOO_LARGE' : xhr.status === 415 ? 'UNSUPPORTED_IMAGE' : 'BAD_REQUEST');
      reject(new ApiError(body.error?.message ?? `Upload answered ${xhr.status}`, code, body.error ?? {}));
    };
    xhr.onerror = () => reject(new ApiError('The upload failed', 'NETWORK'));
    xhr.send(file);
  });
}

export const ACCEPTED_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

/** The image's pixel size, read in the browser (for the price shown before submitting). */
export function imageSize(url: string): Promise<{ width: number; height: number } | undefined> {
  return new Promise((resolve) => {
    const image = new Image();
    image.onload = () => resolve({ width: image.naturalWidth, height: image.naturalHeight });
    image.onerror = () => resolve(undefined);
    image.src = url;
  });
}
