import type { JobEvent } from './events/job-events.service';
import { JobStage, JobStatus, OutputFormat, OutputType } from './dto/job.enums';
import type { RemoveBackgroundOptionsInput } from './dto/job.inputs';
import type { JobEventOutput, JobOutput } from './dto/job.output';
import type { JobEntity } from './entities/job.entity';
import type { JobOptions } from './submit/job-options';

export function toJobOutput(job: JobEntity): JobOutput {
  const o = job.options;
  return {
    id: job.id,
    teamId: job.teamId,
    status: job.status as JobStatus,
    stage: job.stage as JobStage,
    progress: job.progress,
    options: {
      size: String(o.size),
      type: o.type.toUpperCase() as OutputType,
      format: o.format.toUpperCase() as OutputFormat,
      bgColor: o.bgColor ?? null,
      crop: o.crop,
      cropMargin: o.cropMargin ?? null,
      refine: o.refine,
      quality: o.quality ?? null,
      model: o.model ?? null,
    },
    filename: job.inputFilename,
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
    createdAt: job.createdAt,
  };
}

export function toJobEvent(job: JobEntity): Omit<JobEvent, 'at'> {
  return {
    jobId: job.id,
    teamId: job.teamId,
    status: job.status,
    stage: job.stage,
    progress: job.progress,
    errorCode: job.errorCode,
    errorMessage: job.errorMessage,
  };
}

/** A job event as the subscriptions stream it; `resultUrl` is signed by the caller. */
export function toJobEventOutput(event: JobEvent, resultUrl: string | null): JobEventOutput {
  return {
    jobId: event.jobId,
    teamId: event.teamId,
    status: event.status as JobStatus,
    stage: event.stage as JobStage,
    progress: event.progress,
    resultUrl,
    error: event.errorCode ? { code: event.errorCode, message: event.errorMessage ?? '' } : null,
    at: new Date(event.at),
  };
}

/** GraphQL options (enums, maxMegapixels) in the shape parseJobOptions checks. */
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
  };
  return Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== null));
}
