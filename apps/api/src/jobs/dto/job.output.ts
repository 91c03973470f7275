import { Field, Float, Int, ObjectType } from 'type-graphql';
import { ID } from '../../graphql/canonical-id.scalar';
import { ConnectionType } from '../../common/pagination/connection.types';
import { JobStage, JobStatus, OutputFormat, OutputType, RemovalMode } from './job.enums';

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
  @Field(() => RemovalMode)
  mode: RemovalMode;
  @Field({ description: 'Edge colours cleaned (cut-outs only; a mask ignores it).' })
  decontaminate: boolean;
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
  @Field(() => Float, { description: 'Credits charged when the job was created (see `prices`).' })
  creditsCharged: number;
  @Field(() => Float, { description: 'Credits given back: all of the charge once the job ended FAILED or CANCELED, else 0.' })
  creditsRefunded: number;
  @Field()
  createdAt: Date;
  @Field({
    description: 'True once the team’s retention policy deleted the result (resultUrl is then null; old links answer 410 RESULT_EXPIRED).',
  })
  resultExpired: boolean;
  /** When the result was deleted (internal; resultExpiresAt reads it). */
  resultPurgedAt?: Date | null;
  /** Whether the original is still stored (internal; inputUrl reads it). */
  inputAvailable?: boolean;
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
