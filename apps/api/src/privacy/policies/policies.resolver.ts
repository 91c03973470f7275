import { Injectable } from '@nestjs/common';
import { Arg, Query, Resolver } from 'type-graphql';
import { PolicyKind } from './dto/policy-kind.enum';
import { PolicyOutput } from './dto/policy.output';
import { PoliciesService } from './policies.service';
import type { PolicyDocument } from './policy-documents';

const toPolicyOutput = (d: PolicyDocument): PolicyOutput => ({
  kind: d.kind,
  version: d.version,
  title: d.title,
  publishedAt: d.publishedAt,
  markdown: d.markdown,
});

/** The privacy and cookie policies, readable by anyone (no sign-in). */
@Injectable()
@Resolver()
export class PoliciesResolver {
  constructor(private readonly documents: PoliciesService) {}

  @Query(() => PolicyOutput, { description: 'The current version of a policy, or an older one by `version` (NOT_FOUND if unknown).' })
  policy(
    @Arg('kind', () => PolicyKind) kind: PolicyKind,
    @Arg('version', () => String, { nullable: true }) version?: string | null,
  ): PolicyOutput {
    return toPolicyOutput(version ? this.documents.findOrThrow(kind, version) : this.documents.current(kind));
  }

  @Query(() => [PolicyOutput], { description: 'The current version of each policy (PRIVACY, COOKIES).' })
  policies(): PolicyOutput[] {
    return this.documents.currentOfEach().map(toPolicyOutput);
  }
}
