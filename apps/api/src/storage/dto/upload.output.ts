import { Field, ObjectType } from 'type-graphql';
import { ID } from '../../graphql/canonical-id.scalar';

@ObjectType('Upload', { description: 'A declared upload: PUT the bytes to `uploadUrl` before `expiresAt` (once).' })
export class UploadOutput {
  @Field(() => ID)
  id: string;

  @Field()
  uploadUrl: string;

  @Field()
  expiresAt: Date;
}
