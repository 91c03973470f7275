import { Check, Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { TeamEntity } from '../../../teams/entities/team.entity';

/**
 * A team's own retention policy: how long its uploads, results and job records live. No row:
 * the configured defaults (RETENTION_*). The bounds come from config and are checked by
 * RetentionPoliciesService; the database keeps the rules that never change (positive values,
 * results never outliving the job record).
 */
@Entity('team_retention_policies')
@Check('chk_team_retention_policies_positive', `"uploads_hours" > 0 AND "results_hours" > 0 AND "job_records_days" > 0`)
@Check('chk_team_retention_policies_results', `"results_hours" <= "job_records_days" * 24`)
export class TeamRetentionPolicyEntity {
  @PrimaryColumn({ name: 'team_id', type: 'uuid' })
  teamId: string;

  @OneToOne(() => TeamEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'team_id' })
  team?: TeamEntity;

  @Column({ name: 'uploads_hours', type: 'integer' })
  uploadsHours: number;

  @Column({ name: 'results_hours', type: 'integer' })
  resultsHours: number;

  @Column({ name: 'job_records_days', type: 'integer' })
  jobRecordsDays: number;

  /** Set from the injected clock by the change that wrote the row. */
  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
