import { JobStage, JobStatus } from '@cutout/job-vocabulary';
import { registerEnumType } from 'type-graphql';

export { JobStage, JobStatus };

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
export enum RemovalMode {
  STANDARD = 'STANDARD',
  HIGH = 'HIGH',
}
registerEnumType(JobStatus, { name: 'JobStatus' });
registerEnumType(JobStage, { name: 'JobStage', description: 'DECODED → INFERENCE → REFINE (when refine is on) → ENCODED → STORED.' });
registerEnumType(OutputSize, { name: 'OutputSize', description: 'PREVIEW is about 0.25 megapixels; FULL keeps the input size.' });
registerEnumType(OutputType, {
  name: 'OutputType',
  description: 'CUTOUT: the subject on a transparent (or coloured) background; MASK: the alpha mask.',
});
registerEnumType(OutputFormat, { name: 'OutputFormat' });
registerEnumType(RemovalMode, {
  name: 'RemovalMode',
  description:
    'STANDARD: one model pass. HIGH: a second model run on the horizontally flipped photo, merged with the first pixel by pixel (each pixel takes the more confident of the two predictions; about twice the model time); priced at twice STANDARD.',
});
