import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock';
import { badInput } from '../../common/errors/app-error';
import { CLOCK, DATA_SOURCE } from '../../common/tokens';
import { API_CONFIG, type ApiConfig } from '../../config/api.config';
import { AuditAction } from '../audit/audit-actions';
import { AuditLogService, type AuditActor } from '../audit/audit-log.service';
import { TeamRetentionPolicyEntity } from './entities/team-retention-policy.entity';
import { clampRetention } from './retention-bounds';

/** How long a team's data lives. */
export interface RetentionValues {
  uploadsHours: number;
  resultsHours: number;
  jobRecordsDays: number;
}

/**
 * A team's effective policy: its own row clamped into the configured bounds (what the sweep
 * applies: `clampRetention`), or the configured defaults.
 */
export interface RetentionPolicy extends RetentionValues {
  teamId: string;
  isDefault: boolean;
  updatedAt: Date | null;
}

const FIELDS = ['uploadsHours', 'resultsHours', 'jobRecordsDays'] as const;
const UNITS: Record<keyof RetentionValues, string> = { uploadsHours: 'hours', resultsHours: 'hours', jobRecordsDays: 'days' };

/**
 * Team retention policies: read (the team's row or the defaults), and changed within the
 * configured bounds by an owner or admin (audited with before and after, in one transaction).
 * Rule: results may not outlive the job record (resultsHours ≤ jobRecordsDays × 24), since a
 * job's result is only reachable through its record.
 */
@Injectable()
export class RetentionPoliciesService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly audit: AuditLogService,
  ) {}

  defaults(): RetentionValues {
    const c = this.config;
    return {
      uploadsHours: c.RETENTION_UPLOADS_HOURS,
      resultsHours: c.RETENTION_RESULTS_HOURS,
      jobRecordsDays: c.RETENTION_JOB_RECORDS_DAYS,
    };
  }

  minimums(): RetentionValues {
    const c = this.config;
    return {
      uploadsHours: c.RETENTION_UPLOADS_HOURS_MIN,
      resultsHours: c.RETENTION_RESULTS_HOURS_MIN,
      jobRecordsDays: c.RETENTION_JOB_RECORDS_DAYS_MIN,
    };
  }

  maximums(): RetentionValues {
    const c = this.config;
    return {
      uploadsHours: c.RETENTION_UPLOADS_HOURS_MAX,
      resultsHours: c.RETENTION_RESULTS_HOURS_MAX,
      jobRecordsDays: c.RETENTION_JOB_RECORDS_DAYS_MAX,
    };
  }

  /**
   * The team's policy as it takes effect: a stored value outside the bounds configured now (the
   * operator narrowed them after it was saved) reads clamped into them, as the sweep applies it, so
   * `retentionPolicy`, `resultExpiresAt` and the sweep agree, and the form saves what it shows.
   */
  async policyOf(teamId: string, manager: EntityManager = this.dataSource.manager): Promise<RetentionPolicy> {
    const row = await manager.getRepository(TeamRetentionPolicyEntity).findOneBy({ teamId });
    return row
      ? { ...this.effective(row), teamId, isDefault: false, updatedAt: row.updatedAt }
      : { ...this.defaults(), teamId, isDefault: true, updatedAt: null };
  }

  /** Checks the values (BAD_USER_INPUT naming the field, nothing written), then stores and audits them. */
  async update(teamId: string, values: RetentionValues, actor: AuditActor): Promise<RetentionPolicy> {
    this.check(values);
    return this.dataSource.transaction(async (manager) => {
      // The team's row lock orders concurrent changes, so each audit entry's "before" is exact.
      await manager.query('SELECT id FROM teams WHERE id = $1 FOR UPDATE', [teamId]);
      const before = await this.policyOf(teamId, manager);
      const updatedAt = this.clock.now();
      await manager.getRepository(TeamRetentionPolicyEntity).upsert({ teamId, ...pick(values), updatedAt }, { conflictPaths: ['teamId'] });
      await this.audit.record(
        {
          action: AuditAction.RETENTION_POLICY_CHANGED,
          actor,
          teamId,
          targetType: 'TEAM',
          targetId: teamId,
          details: { before: { ...pick(before), isDefault: before.isDefault }, after: pick(values) },
        },
        manager,
      );
      return { ...pick(values), teamId, isDefault: false, updatedAt };
    });
  }

  private effective(stored: RetentionValues): RetentionValues {
    const [min, max] = [this.minimums(), this.maximums()];
    const values = {} as RetentionValues;
    for (const field of FIELDS) values[field] = clampRetention(stored[field], { minimum: min[field], maximum: max[field] });
    return values;
  }

  private check(values: RetentionValues): void {
    const [min, max] = [this.minimums(), this.maximums()];
    for (const field of FIELDS) {
      const value = values[field];
      if (!Number.isInteger(value)) throw badInput(field, `${field} must be a whole number of ${UNITS[field]}.`);
      if (value < min[field] || value > max[field])
        throw badInput(field, `${field} must be between ${min[field]} and ${max[field]} ${UNITS[field]}.`);
    }
    if (values.resultsHours > values.jobRecordsDays * 24) {
      throw badInput('resultsHours', 'Results may not be kept longer than job records: resultsHours ≤ jobRecordsDays × 24.');
    }
  }
}

function pick(values: RetentionValues): RetentionValues {
  return { uploadsHours: values.uploadsHours, resultsHours: values.resultsHours, jobRecordsDays: values.jobRecordsDays };
}
