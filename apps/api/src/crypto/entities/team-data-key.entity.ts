import { Column, CreateDateColumn, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { TeamEntity } from '../../teams/entities/team.entity';

/**
 * A team's data key, wrapped by the master key (envelope encryption). Every blob of the
 * team is encrypted under it; deleting this row makes all of them unreadable, backups included.
 */
@Entity('team_data_keys')
export class TeamDataKeyEntity {
  @PrimaryColumn({ name: 'team_id', type: 'uuid' })
  teamId: string;

  @OneToOne(() => TeamEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'team_id' })
  team?: TeamEntity;

  @Column({ name: 'wrapped_key', type: 'text' })
  wrappedKey: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
