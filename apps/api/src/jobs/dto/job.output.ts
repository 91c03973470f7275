import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType } from '../../common/pagination/connection.types';

export enum JobStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  CANCELED = 'CANCELED',
}
export enum JobStage {
  QUEUED = 'QUEUED',
  DECODED = 'DECODED',
  INFERENCE = 'INFERENCE',
  REFINE = 'REFINE',
  ENCODED = 'ENCODED',
  STORED = 'STORED',
}
export enum OutputSize {
  PREVIEW = 'PREVIEW',
  FULL = 'FULL',
}
export enum OutputType {
  CUTOUT = 'CUTOUT',
  MASK = 'MASK',
}
export enum OutputFormat {
  PNG = 'PNG',
  WEBP = 'WEBP',
  JPG = 'JPG',
}
registerEnumType(JobStatus, { name: 'JobStatus' });
registerEnumType(JobStage, { name: 'JobStage', description: 'DECODED → INFERENCE → REFINE (when refine is on) → ENCODED → STORED.' });
registerEnumType(OutputSize, { name: 'OutputSize', description: 'PREVIEW is about 0.25 megapixels; FULL keeps the input size.' });
registerEnumType(OutputType, { name: 'OutputType', description: 'CUTOUT: the subject on a transparent (or coloured) background; MASK: the alpha mask.' });
registerEnumType(OutputFormat, { name: 'OutputFormat' });

@InputType()
export class RemoveBackgroundOptionsInput {
  @Field(() => OutputSize, { nullable: true, description: 'Default FULL.' })
  size?: OutputSize;

  @Field(() => Float, { nullable: true, description: 'Largest output size in megapixels; overrides `size`.' })
  maxMegapixels?: number;

  @Field(() => OutputType, { nullable: true, description: 'Default CUTOUT.' })
  type?: OutputType;

  @Field(() => OutputFormat, { nullable: true, description: 'Default PNG. JPG cutouts need an opaque bgColor.' })
  format?: OutputFormat;

  @Field({ nullable: true, description: 'Background colour: #rgb, #rgba, #rrggbb or #rrggbbaa. Default transparent.' })
  bgColor?: string;

  @Field({ nullable: true, description: 'Crop to the subject. Default false.' })
  crop?: boolean;

  @Field({ nullable: true, description: 'Margin when cropping: "12", "12px" or "5%".' })
  cropMargin?: string;

  @Field({ nullable: true, description: 'Refine edges (hair, fur) on the full-resolution photo. Default false.' })
  refine?: boolean;

  @Field(() => Int, { nullable: true, description: 'WEBP/JPG quality 1–100.' })
  quality?: number;

  @Field({ nullable: true, description: 'Model id (see the inference service); default: the service’s default model.' })
  model?: string;
}

@InputType()
export class RemoveBackgroundInput {
  @Field(() => ID)
  teamId: string;

  @Field(() => ID, { nullable: true, description: 'An upload whose bytes were PUT to its uploadUrl.' })
  uploadId?: string;

  @Field({ nullable: true, description: 'Or the image inline, base64 (at most MAX_INLINE_BYTES, 5 MB by default).' })
  imageBase64?: string;

  @Field({ nullable: true, description: 'File name of an inline image (for the download name).' })
  filename?: string;

  @Field(() => RemoveBackgroundOptionsInput, { nullable: true })
  options?: RemoveBackgroundOptionsInput;

  @Field({ description: 'Unique per request within the team (1–128 characters): a retry with the same key returns the same job.' })
  idempotencyKey: string;
}

@InputType()
export class CancelJobInput {
  @Field(() => ID)
  id: string;
}

@ObjectType('JobOptions')
export class JobOptionsOutput {
  @Field({ description: '"preview", "full", or a megapixel count.' })
  size: string;
  @Field(() => OutputType)
  type: OutputType;
  @Field(() => OutputFormat)
  format: OutputFormat;
  @Field(() => String, { nullable: true })
  bgColor: string | null;
  @Field()
  crop: boolean;
  @Field(() => String, { nullable: true })
  cropMargin: string | null;
  @Field()
  refine: boolean;
  @Field(() => Int, { nullable: true })
  quality: number | null;
  @Field(() => String, { nullable: true })
  model: string | null;
}

@ObjectType('ImageInfo')
export class ImageInfoOutput {
  @Field()
  contentType: string;
  @Field(() => Int)
  width: number;
  @Field(() => Int)
  height: number;
  @Field(() => Int)
  bytes: number;
}

@ObjectType('JobError')
export class JobErrorOutput {
  @Field({ description: 'One of the documented job error codes (README).' })
  code: string;
  @Field()
  message: string;
}

@ObjectType('Job', { description: 'One background removal.' })
export class JobOutput {
  @Field(() => ID)
  id: string;
  @Field(() => ID)
  teamId: string;
  @Field(() => JobStatus)
  status: JobStatus;
  @Field(() => JobStage)
  stage: JobStage;
  @Field(() => Float, { description: 'Fraction done, 0–1.' })
  progress: number;
  @Field(() => JobOptionsOutput)
  options: JobOptionsOutput;
  @Field()
  filename: string;
  @Field(() => ImageInfoOutput)
  input: ImageInfoOutput;
  @Field(() => ImageInfoOutput, { nullable: true })
  result: ImageInfoOutput | null;
  @Field(() => Float, { nullable: true, description: 'Share of the image that is subject (0–1).' })
  foregroundFraction: number | null;
  @Field(() => JobErrorOutput, { nullable: true })
  error: JobErrorOutput | null;
  @Field(() => Int)
  attempts: number;
  @Field()
  queuedAt: Date;
  @Field(() => Date, { nullable: true })
  startedAt: Date | null;
  @Field(() => Date, { nullable: true })
  finishedAt: Date | null;
  @Field(() => Int, { nullable: true, description: 'Time spent in the inference service, ms.' })
  inferenceMs: number | null;
  @Field()
  createdAt: Date;
  /** Resolved by a field resolver (signed URL). */
  resultUrl?: string | null;
}

@ObjectType('JobEvent', { description: 'A change of a job, as streamed by jobUpdated / teamJobs.' })
export class JobEventOutput {
  @Field(() => ID)
  jobId: string;
  @Field(() => ID)
  teamId: string;
  @Field(() => JobStatus)
  status: JobStatus;
  @Field(() => JobStage)
  stage: JobStage;
  @Field(() => Float)
  progress: number;
  @Field(() => String, { nullable: true, description: 'Signed download link once SUCCEEDED.' })
  resultUrl: string | null;
  @Field(() => JobErrorOutput, { nullable: true })
  error: JobErrorOutput | null;
  @Field()
  at: Date;
}

export const JobConnection = ConnectionType('Job', JobOutput);
