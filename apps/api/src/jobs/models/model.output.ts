import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType('Model', { description: 'A background-removal model of the inference service (`RemoveBackgroundOptions.model`).' })
export class ModelOutput {
  @Field({ description: 'The id to pass as `options.model`.' })
  id: string;
  @Field()
  name: string;
  @Field(() => Int, { description: 'The model’s input width, pixels.' })
  inputWidth: number;
  @Field(() => Int, { description: 'The model’s input height, pixels.' })
  inputHeight: number;
  @Field({ description: 'The weights’ licence.' })
  licence: string;
  @Field({ description: 'Whether a job may ask for it: its weights are installed on the inference service.' })
  available: boolean;
  @Field({ description: 'The model a job without `options.model` uses.' })
  isDefault: boolean;
}
