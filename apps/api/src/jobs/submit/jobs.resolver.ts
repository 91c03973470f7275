import { Injectable } from '@nestjs/common';
import {
  Arg,
  Args,
  ArgsType,
  Ctx,
  Field,
  FieldResolver,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
  type SubscribeResolverData,
} from 'type-graphql';
import { ID } from '../../graphql/canonical-id.scalar';
import type { RequestContext } from '../../common/request-context/principal';
import { requireLiveAccess, requirePrincipal } from '../../common/request-context/require-principal';
import { PageArgs } from '../../common/pagination/connection.types';
import { RetentionPoliciesService } from '../../privacy/retention/retention-policies.service';
import { TeamAccessService } from '../../teams/team-access.service';
import { TeamPermission } from '../../teams/team-permissions';
import { JobStatus } from '../dto/job.enums';
import { CancelJobInput, RemoveBackgroundInput } from '../dto/job.inputs';
import { JobConnection, JobEventOutput, JobOutput } from '../dto/job.output';
import { ResultLinks } from '../downloads/result-links';
import { ModelOutput } from '../models/model.output';
import { PricesOutput } from '../pricing/prices.output';
import { InferenceGateway } from '../worker/inference.gateway';
import { JobSubscriptionsService } from '../events/job-subscriptions.service';
import { JobsService } from './jobs.service';

@ArgsType()
class JobsArgs extends PageArgs {
  @Field(() => ID)
  teamId: string;

  @Field(() => JobStatus, { nullable: true })
  status?: JobStatus;
}

function subscriptions(context: RequestContext): JobSubscriptionsService {
  if (!context.container) throw new Error('subscriptions need the container in the context');
  return context.container.get(JobSubscriptionsService);
}

@Injectable()
@Resolver(() => JobOutput)
export class JobsResolver {
  constructor(
    private readonly jobsService: JobsService,
    private readonly access: TeamAccessService,
    private readonly links: ResultLinks,
    private readonly retention: RetentionPoliciesService,
    private readonly inference: InferenceGateway,
  ) {}

  /** Per request: each team's resultsHours, read once however many jobs a page holds. */
  private readonly resultsHours = new WeakMap<RequestContext, Map<string, Promise<number>>>();

  @Mutation(() => JobOutput, { description: 'Starts a background removal (idempotent per idempotencyKey within the team).' })
  async removeBackground(@Arg('input') input: RemoveBackgroundInput, @Ctx() ctx: RequestContext): Promise<JobOutput> {
    return this.jobsService.submit(await this.access.authorize(ctx.principal, input.teamId, TeamPermission.RUN_JOBS), input);
  }

  @Mutation(() => JobOutput)
  async cancelJob(@Arg('input') input: CancelJobInput, @Ctx() ctx: RequestContext): Promise<JobOutput> {
    requirePrincipal(ctx);
    const teamId = await this.jobsService.findTeamIdOrThrow(input.id);
    return this.jobsService.cancel(await this.access.authorize(ctx.principal, teamId, TeamPermission.RUN_JOBS), input.id);
  }

  @Query(() => JobOutput)
  async job(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<JobOutput> {
    requirePrincipal(ctx);
    const teamId = await this.jobsService.findTeamIdOrThrow(id);
    return this.jobsService.findOrThrow(await this.access.authorize(ctx.principal, teamId, TeamPermission.RUN_JOBS), id);
  }

  @Query(() => JobConnection, { description: 'A team’s jobs, newest first, optionally by status.' })
  async jobs(@Args() args: JobsArgs, @Ctx() ctx: RequestContext) {
    return this.jobsService.list(await this.access.authorize(ctx.principal, args.teamId, TeamPermission.RUN_JOBS), args);
  }

  @Query(() => PricesOutput, { description: 'What a background removal costs, in credits (any signed-in user or API key).' })
  prices(@Ctx() ctx: RequestContext): PricesOutput {
    requirePrincipal(ctx);
    return this.jobsService.prices();
  }

  @Query(() => [ModelOutput], {
    description:
      'The background-removal models of the inference service (any signed-in user or API key); empty while no inference server answers.',
  })
  async models(@Ctx() ctx: RequestContext): Promise<ModelOutput[]> {
    requirePrincipal(ctx);
    return (await this.inference.models()) ?? [];
  }

  @FieldResolver(() => String, { nullable: true, description: 'Signed, expiring download link of the result (SUCCEEDED jobs).' })
  resultUrl(@Root() job: JobOutput, @Ctx() ctx: RequestContext): string | null {
    return job.status === JobStatus.SUCCEEDED && !job.resultExpired ? this.links.urlFor(job.id, requirePrincipal(ctx)) : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'Signed, expiring link of the original image (valid DOWNLOAD_URL_TTL_SECONDS); null once the team’s retention policy deleted it (old links answer 410 INPUT_EXPIRED).',
  })
  inputUrl(@Root() job: JobOutput, @Ctx() ctx: RequestContext): string | null {
    return job.inputAvailable === false ? null : this.links.urlFor(job.id, requirePrincipal(ctx), 'input');
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'Signed, expiring link of a small WebP preview of the result (at most 320 × 320); null unless resultUrl is set (old links answer 410 RESULT_EXPIRED).',
  })
  thumbnailUrl(@Root() job: JobOutput, @Ctx() ctx: RequestContext): string | null {
    return job.status === JobStatus.SUCCEEDED && !job.resultExpired ? this.links.urlFor(job.id, requirePrincipal(ctx), 'thumbnail') : null;
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description: 'When the team’s retention policy deletes (or deleted) the result: finishedAt + resultsHours; null unless SUCCEEDED.',
  })
  async resultExpiresAt(@Root() job: JobOutput, @Ctx() ctx: RequestContext): Promise<Date | null> {
    if (job.status !== JobStatus.SUCCEEDED || !job.finishedAt) return null;
    if (job.resultPurgedAt) return job.resultPurgedAt;
    let byTeam = this.resultsHours.get(ctx);
    if (!byTeam) this.resultsHours.set(ctx, (byTeam = new Map()));
    let hours = byTeam.get(job.teamId);
    if (!hours) byTeam.set(job.teamId, (hours = this.retention.policyOf(job.teamId).then((p) => p.resultsHours)));
    return new Date(job.finishedAt.getTime() + (await hours) * 3_600_000);
  }

  @Subscription(() => JobEventOutput, {
    description: 'The job’s current state, then every change, until it finishes.',
    subscribe: ({ args, context }: SubscribeResolverData<unknown, Record<string, unknown>, RequestContext>) =>
      subscriptions(context).jobUpdated(requireLiveAccess(context), requirePrincipal(context), args.jobId as string),
  })
  jobUpdated(@Root() event: JobEventOutput, @Arg('jobId', () => ID) _jobId: string): JobEventOutput {
    return event;
  }

  @Subscription(() => JobEventOutput, {
    description: 'Every change of every job of a team.',
    subscribe: ({ args, context }: SubscribeResolverData<unknown, Record<string, unknown>, RequestContext>) =>
      subscriptions(context).teamJobs(requireLiveAccess(context), requirePrincipal(context), args.teamId as string),
  })
  teamJobs(@Root() event: JobEventOutput, @Arg('teamId', () => ID) _teamId: string): JobEventOutput {
    return event;
  }
}
