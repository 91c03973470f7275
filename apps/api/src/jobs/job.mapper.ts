import { quartersToCredits } from '../credits/credit-amounts';
import type { StoredFileName } from '../storage/file-names';
import { OutputFormat, OutputType, RemovalMode } from './dto/job.enums';
import type { RemoveBackgroundOptionsInput } from './dto/job.inputs';
import type { JobEventOutput, JobOutput } from './dto/job.output';
import type { JobEntity, JobOptions } from './entities/job.entity';
import type { JobEvent } from './events/job-event';

const OUTPUT_TYPE: Record<JobOptions['type'], OutputType> = { cutout: OutputType.CUTOUT, mask: OutputType.MASK };
const OUTPUT_FORMAT: Record<JobOptions['format'], OutputFormat> = { png: OutputFormat.PNG, webp: OutputFormat.WEBP, jpg: OutputFormat.JPG };
const REMOVAL_MODE: Record<JobOptions['mode'], RemovalMode> = { standard: RemovalMode.STANDARD, high: RemovalMode.HIGH };

/** A stored job's options, where a job stored before `mode` and `decontaminate` existed reads as their defaults. */
export function storedJobOptions(stored: JobOptions): JobOptions {
  const o: Partial<JobOptions> = stored;
  return { ...stored, mode: o.mode ?? 'standard', decontaminate: o.decontaminate ?? true };
}

/** A job's input file name in the form its row stores it (FileNames opens it). */
export function storedInputName(job: JobEntity): StoredFileName {
  return { sealed: job.inputFilenameSealed, legacy: job.legacyInputFilename };
}

/** `filename`: the input's file name, opened (FileNames) by the caller. */
export function toJobOutput(job: JobEntity, filename: string): JobOutput {
  const o = storedJobOptions(job.options);
  return {
    id: job.id,
    teamId: job.teamId,
    status: job.status,
    stage: job.stage,
    progress: job.progress,
    options: {
      size: String(o.size),
      type: OUTPUT_TYPE[o.type],
      format: OUTPUT_FORMAT[o.format],
      bgColor: o.bgColor ?? null,
      crop: o.crop,
      cropMargin: o.cropMargin ?? null,
      refine: o.refine,
      quality: o.quality ?? null,
      model: o.model ?? null,
      mode: REMOVAL_MODE[o.mode],
      decontaminate: o.decontaminate,
    },
    filename,
    input: { contentType: job.inputContentType, width: job.inputWidth, height: job.inputHeight, bytes: job.inputBytes },
    result:
      job.resultContentType && job.resultWidth && job.resultHeight && job.resultBytes !== null
        ? { contentType: job.resultContentType, width: job.resultWidth, height: job.resultHeight, bytes: job.resultBytes }
        : null,
    foregroundFraction: job.foregroundFraction,
    error: job.errorCode ? { code: job.errorCode, message: job.errorMessage ?? '' } : null,
    attempts: job.attempt,
    queuedAt: job.queuedAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    inferenceMs: job.inferenceMs,
    creditsCharged: quartersToCredits(job.creditsChargedQuarters),
    creditsRefunded: quartersToCredits(job.creditsRefundedQuarters),
    createdAt: job.createdAt,
    resultExpired: job.resultPurgedAt !== null,
    resultPurgedAt: job.resultPurgedAt,
    inputAvailable: job.inputBlobKey !== null,
  };
}

/** A job event as the subscriptions stream it; `resultUrl` is signed by the caller. */
export function toJobEventOutput(event: JobEvent, resultUrl: string | null): JobEventOutput {
  return {
    jobId: event.jobId,
    teamId: event.teamId,
    status: event.status,
    stage: event.stage,
    progress: event.progress,
    resultUrl,
    error: event.errorCode ? { code: event.errorCode, message: event.errorMessage ?? '' } : null,
    at: new Date(event.at),
  };
}

/** GraphQL options (enums, maxMegapixels) in the shape the options schema checks. */
export function fromOptionsInput(input: RemoveBackgroundOptionsInput | undefined): Record<string, unknown> {
  if (!input) return {};
  const raw: Partial<Record<keyof JobOptions, unknown>> = {
    size: input.maxMegapixels ?? input.size?.toLowerCase(),
    type: input.type?.toLowerCase(),
    format: input.format?.toLowerCase(),
    bgColor: input.bgColor,
    crop: input.crop,
    cropMargin: input.cropMargin,
    refine: input.refine,
    quality: input.quality,
    model: input.model,
    mode: input.mode?.toLowerCase(),
    decontaminate: input.decontaminate,
  };
  return Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== null));
}
