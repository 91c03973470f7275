import { Field, Float, InputType, Int } from 'type-graphql';
import { ID } from '../../graphql/canonical-id.scalar';
import { OutputFormat, OutputSize, OutputType, RemovalMode } from './job.enums';

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

  @Field(() => Int, { nullable: true, description: 'WEBP/JPG encoder quality 1–100 (not the removal’s: that is `mode`).' })
  quality?: number;

  @Field(() => RemovalMode, { nullable: true, description: 'Default STANDARD. HIGH costs twice the price (see `prices.highMultiplier`).' })
  mode?: RemovalMode;

  @Field({
    nullable: true,
    description:
      'Clean edge colours: estimate the subject’s own colour in partly transparent pixels (no background fringe). ' +
      'Default true; cut-outs only (false with type MASK is BAD_USER_INPUT).',
  })
  decontaminate?: boolean;

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

  @Field({
    description:
      'Unique per request within the team (1–128 characters): a retry with the same key returns the same job, unchanged and not charged again (its image and options are not compared with the first request’s).',
  })
  idempotencyKey: string;
}

@InputType()
export class CancelJobInput {
  @Field(() => ID)
  id: string;
}
