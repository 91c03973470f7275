import { Field, InputType, Int } from 'type-graphql';
import { ID } from '../../../graphql/canonical-id.scalar';

@InputType({ description: 'Every value within RetentionPolicy.minimums and maximums, and resultsHours ≤ jobRecordsDays × 24.' })
export class UpdateRetentionPolicyInput {
  @Field(() => ID)
  teamId: string;
  @Field(() => Int)
  uploadsHours: number;
  @Field(() => Int)
  resultsHours: number;
  @Field(() => Int)
  jobRecordsDays: number;
}
