import { Field, Int, ObjectType } from 'type-graphql';
import { ID } from '../../../graphql/canonical-id.scalar';

@ObjectType('RetentionValues', { description: 'How long a team’s data lives.' })
export class RetentionValuesOutput {
  @Field(() => Int, { description: 'Originals (uploads) are deleted this many hours after they arrived.' })
  uploadsHours: number;
  @Field(() => Int, { description: 'Results are deleted this many hours after their job finished.' })
  resultsHours: number;
  @Field(() => Int, { description: 'Finished job records are deleted this many days after they finished.' })
  jobRecordsDays: number;
}

@ObjectType('RetentionPolicy', {
  description: 'How long a team’s uploads, results and job records are kept (README "Privacy"). Results never outlive job records.',
})
export class RetentionPolicyOutput extends RetentionValuesOutput {
  @Field(() => ID)
  teamId: string;
  @Field({ description: 'True while the team has no policy of its own (the configured defaults apply).' })
  isDefault: boolean;
  @Field(() => Date, { nullable: true, description: 'When the team’s policy was last changed; null for the defaults.' })
  updatedAt: Date | null;
  @Field(() => RetentionValuesOutput, { description: 'The configured defaults.' })
  defaults: RetentionValuesOutput;
  @Field(() => RetentionValuesOutput, { description: 'The smallest values allowed.' })
  minimums: RetentionValuesOutput;
  @Field(() => RetentionValuesOutput, { description: 'The largest values allowed.' })
  maximums: RetentionValuesOutput;
}
