import { Field, InputType, Int } from 'type-graphql';
import { ID } from '../../graphql/canonical-id.scalar';

@InputType()
export class CreateUploadInput {
  @Field(() => ID)
  teamId: string;

  @Field({ description: 'Original file name, used for the result’s download name (at most 255 characters).' })
  filename: string;

  @Field({ description: 'image/jpeg, image/png or image/webp. The bytes are checked, not this header.' })
  contentType: string;

  @Field(() => Int, { description: 'Exact size of the file in bytes (at most MAX_UPLOAD_BYTES).' })
  byteSize: number;
}
