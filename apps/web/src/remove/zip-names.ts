import type { OutputFormat } from '../graphql/generated/graphql';

/** The file extension of a result format. */
export function extensionOf(format: OutputFormat): string {
  return format === 'JPG' ? 'jpg' : format === 'WEBP' ? 'webp' : 'png';
}

/** The extension of a result's Content-Type (`undefined` when it is not one of ours). */
export function extensionOfType(contentType: string | null | undefined): string | undefined {
  const type = contentType?.split(';')[0].trim().toLowerCase();
  return type === 'image/png' ? 'png' : type === 'image/webp' ? 'webp' : type === 'image/jpeg' ? 'jpg' : undefined;
}

const MAX_STEM = 100;

/**
 * `photo.final.JPG` → `photo.final-cutout.png`: the original name's stem, never a path (folders,
 * separators, control and reserved characters become `_`, leading dots are dropped).
 */
export function resultFileName(originalName: string, extension: string): string {
  const base = originalName.split(/[/\\]/).pop() ?? '';
  const stem = base
    .replace(/\.[^.]*$/, '')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(0, MAX_STEM);
  return `${stem || 'image'}-cutout.${extension}`;
}

/**
 * Makes names unique in the order given, case-insensitively (zips are unpacked on file systems that
 * ignore case): `a.png`, `a (2).png`, `a (3).png`.
 */
export function uniqueNames(names: readonly string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    const dot = name.lastIndexOf('.');
    const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
    let candidate = name;
    for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${stem} (${n})${ext}`;
    taken.add(candidate.toLowerCase());
    return candidate;
  });
}

const two = (n: number) => String(n).padStart(2, '0');

/** `cutout-20261130-0958.zip`, in local time. */
export function zipFileName(at: Date): string {
  return `cutout-${at.getFullYear()}${two(at.getMonth() + 1)}${two(at.getDate())}-${two(at.getHours())}${two(at.getMinutes())}.zip`;
}
