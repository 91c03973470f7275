import { randomBytes } from 'node:crypto';
import { constants, rmSync, type Stats } from 'node:fs';
import { access, copyFile, link, lstat, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The CLI's codes for a result that cannot be written where it would go. */
export type OutputErrorCode = 'OUTPUT_EXISTS' | 'OUTPUT_IS_INPUT' | 'INPUT_IS_RESULT' | 'OUTPUT_UNWRITABLE';

/** A result that cannot be written where it would go: reported as the file's failure. */
export class OutputFileError extends Error {
  override readonly name = 'OutputFileError';
  constructor(
    readonly code: OutputErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Where a file's result goes, or why it cannot be written (decided before anything is sent). */
export type OutputPlan = { output: string; error?: undefined } | { output?: undefined; error: OutputFileError };

/**
 * A result's name as this CLI writes it, in any output format: `<stem>-cutout.<ext>`, or `-cutout-N` when
 * N files of a run shared the stem. An input so named beside an input `<stem>.*` (in the folder that input's
 * results go to) is taken for a result of an earlier run.
 */
const RESULT_NAME = /^(.+)-cutout(?:-(\d+))?\.(?:png|webp|jpe?g)$/i;

/** `<out or input folder>/<name>-cutout.<ext>`. */
export function outputPathFor(file: string, outDir: string | undefined, extension: string): string {
  const name = path.basename(file, path.extname(file));
  return path.join(outDir ?? path.dirname(file), `${name}-cutout.${extension}`);
}

const identity = (s: Stats) => `${s.dev}:${s.ino}`;

/**
 * Plans every file's output before any is sent: `<name>-cutout.<ext>`, numbered (`-2`, `-3`…) when
 * two files of the run would share one. An input named as another input's result is (`a-cutout.png`,
 * `a-cutout-2.webp` beside `a.png`: most likely a result of an earlier run, in any format, caught by a
 * glob) is not sent (INPUT_IS_RESULT), so running a command again charges nothing for its old results. An output
 * that is one of the inputs sent (same path, or the same file through a link or another spelling) is
 * refused, even with `overwrite`; an existing output is refused unless `overwrite`, and then only
 * when it is a file (or a link).
 */
export async function planOutputs(
  files: readonly string[],
  outDir: string | undefined,
  extension: string,
  overwrite: boolean,
): Promise<OutputPlan[]> {
  if (outDir !== undefined) {
    // --out is made (or checked) now: a folder that cannot be written refuses every file before anything is charged.
    const problem = await mkdir(outDir, { recursive: true })
      .then(() => access(outDir, constants.W_OK))
      .then(
        () => null,
        (error: NodeJS.ErrnoException) => error.code ?? error.message,
      );
    if (problem !== null) {
      const message = `cannot write results to ${outDir} (${problem}); nothing was sent (choose another --out)`;
      return files.map(() => ({ error: new OutputFileError('OUTPUT_UNWRITABLE', message) }));
    }
  }
  // The inputs whose results would be named `<stem>-cutout…` in a folder, in the order of the run.
  const owners = new Map<string, string[]>();
  for (const f of files) {
    const key = path.resolve(outDir ?? path.dirname(f), path.basename(f, path.extname(f)));
    owners.set(key, [...(owners.get(key) ?? []), f]);
  }
  const earlierResult = (file: string): string | undefined => {
    const named = RESULT_NAME.exec(path.basename(file));
    if (!named) return undefined;
    const [, stem, n] = named;
    const candidates = (owners.get(path.resolve(path.dirname(file), stem)) ?? []).filter((f) => path.resolve(f) !== path.resolve(file));
    // `-N` is the N-th input of that name (numbering keeps the run's order), if the run has that many.
    return candidates[n ? Number(n) - 1 : 0] ?? candidates[0];
  };
  const sent = files.filter((f) => earlierResult(f) === undefined);
  const inputPaths = new Set(sent.map((f) => path.resolve(f)));
  const inputIds = new Set<string>();
  for (const file of sent) {
    const s = await stat(file).catch(() => null);
    if (s) inputIds.add(identity(s));
  }
  const claimed = new Set<string>();
  const plans: OutputPlan[] = [];
  for (const file of files) {
    const of = earlierResult(file);
    if (of !== undefined) {
      const message = `${file} is where ${of}'s result goes (a result of an earlier run?), so it was not sent; pass it on its own to process it`;
      plans.push({ error: new OutputFileError('INPUT_IS_RESULT', message) });
      continue;
    }
    let output = outputPathFor(file, outDir, extension);
    for (let n = 2; claimed.has(path.resolve(output)); n++) output = output.replace(/(-\d+)?(\.[^.]+)$/, `-${n}$2`);
    claimed.add(path.resolve(output));
    const existing = await lstat(output).catch(() => null);
    const target = existing && (await stat(output).catch(() => null));
    if (inputPaths.has(path.resolve(output)) || (target && inputIds.has(identity(target)))) {
      const message = `${output} is one of this run's inputs and is never replaced, even with --overwrite (rename it, or write the results elsewhere with --out <dir>)`;
      plans.push({ error: new OutputFileError('OUTPUT_IS_INPUT', message) });
    } else if (existing && !overwrite) {
      const message = `${output} already exists and was not replaced; nothing was sent (pass --overwrite to replace it, or --out <dir>)`;
      plans.push({ error: new OutputFileError('OUTPUT_EXISTS', message) });
    } else if (existing && !existing.isFile() && !existing.isSymbolicLink()) {
      plans.push({ error: new OutputFileError('OUTPUT_EXISTS', `${output} exists and is not a file; nothing was sent`) });
    } else {
      plans.push({ output });
    }
  }
  return plans;
}

const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

const createdMeanwhile = (output: string) =>
  new OutputFileError(
    'OUTPUT_EXISTS',
    `${output} was created while the job ran and was not replaced (run again with --overwrite: the same job is returned, nothing is charged again)`,
  );

/** The temporary files being written now: an interrupted run removes them before it exits (removePartialFilesSync). */
const partials = new Set<string>();

/** Removes the temporary files of writes still under way (Ctrl-C: the process exits without their `finally`). */
export function removePartialFilesSync(): void {
  for (const partial of partials) rmSync(partial, { force: true });
  partials.clear();
}

/**
 * Writes `bytes` to `output` through a temporary file in the same folder. Without `overwrite` the
 * last step never replaces a file (a hard link, or an exclusive copy where links are not supported):
 * a file that appeared at `output` since the plan stays, and OUTPUT_EXISTS is thrown.
 */
export async function writeOutput(output: string, bytes: Uint8Array, overwrite: boolean): Promise<void> {
  await mkdir(path.dirname(output), { recursive: true });
  const partial = `${output}.${randomBytes(6).toString('hex')}.part`;
  partials.add(partial);
  try {
    await writeFile(partial, bytes, { flag: 'wx' });
    if (overwrite) {
      await rename(partial, output);
      return;
    }
    try {
      await link(partial, output);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (code === 'EEXIST') throw createdMeanwhile(output);
      if (!NO_HARD_LINKS.has(code)) throw error;
      await copyFile(partial, output, constants.COPYFILE_EXCL).catch((e: NodeJS.ErrnoException) => {
        throw e.code === 'EEXIST' ? createdMeanwhile(output) : e;
      });
    }
  } finally {
    await rm(partial, { force: true });
    partials.delete(partial);
  }
}
