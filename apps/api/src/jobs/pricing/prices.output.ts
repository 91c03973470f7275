import { Field, Float, ObjectType } from 'type-graphql';

@ObjectType('Prices', {
  description:
    'What one background removal costs, in credits, by the size of its result: the smaller of the input’s pixels and the ' +
    'requested cap (size PREVIEW: 0.25 MP; maxMegapixels; FULL: no cap), decided when the job is submitted. ' +
    'A result of at most `previewMaxMegapixels` costs `preview`, a larger one `full`; mode HIGH costs `highMultiplier` (2) times that.',
})
export class PricesOutput {
  @Field(() => Float, { description: 'Credits for a result of at most previewMaxMegapixels.' })
  preview: number;
  @Field(() => Float, { description: 'Credits for a larger result.' })
  full: number;
  @Field(() => Float, { description: 'The largest result, in megapixels, charged the preview price (0.25).' })
  previewMaxMegapixels: number;
  @Field(() => Float, { description: 'Mode HIGH costs this many times the STANDARD price (2).' })
  highMultiplier: number;
}
