import { AccountTokenEntity } from '../accounts/entities/account-token.entity';
import { SessionEntity } from '../accounts/entities/session.entity';
import { UserEntity } from '../accounts/entities/user.entity';
import { ApiKeyEntity } from '../api-keys/entities/api-key.entity';
import { BillingCustomerEntity } from '../billing/entities/billing-customer.entity';
import { PurchaseEntity } from '../billing/entities/purchase.entity';
import { StripeEventEntity } from '../billing/entities/stripe-event.entity';
import { CreditLedgerEntryEntity } from '../credits/entities/credit-ledger-entry.entity';
import { TeamCreditBalanceEntity } from '../credits/entities/team-credit-balance.entity';
import { TrialGrantEntity } from '../credits/entities/trial-grant.entity';
import { TeamDataKeyEntity } from '../crypto/entities/team-data-key.entity';
import { UserDataKeyEntity } from '../crypto/entities/user-data-key.entity';
import { JobEntity } from '../jobs/entities/job.entity';
import { BlobSweepCursorEntity } from '../storage/entities/blob-sweep-cursor.entity';
import { PendingBlobDeletionEntity } from '../storage/entities/pending-blob-deletion.entity';
import { UploadEntity } from '../storage/entities/upload.entity';
import { AuditLogEntryEntity } from '../privacy/audit/entities/audit-log-entry.entity';
import { DataRequestEntity } from '../privacy/data-requests/entities/data-request.entity';
import { LegalHoldEntity } from '../privacy/legal-holds/entities/legal-hold.entity';
import { ConsentRecordUserEntity } from '../privacy/consent/entities/consent-record-user.entity';
import { ConsentRecordEntity } from '../privacy/consent/entities/consent-record.entity';
import { PolicyAcceptanceEntity } from '../privacy/policies/entities/policy-acceptance.entity';
import { TeamRetentionPolicyEntity } from '../privacy/retention/entities/team-retention-policy.entity';
import { RateLimitBucketEntity } from '../rate-limit/rate-limit-bucket.entity';
import { InvitationEntity } from '../teams/entities/invitation.entity';
import { MembershipEntity } from '../teams/entities/membership.entity';
import { TeamEntity } from '../teams/entities/team.entity';

/** Every TypeORM entity; a domain adds its own here. */
export const ENTITIES = [
  UserEntity,
  SessionEntity,
  AccountTokenEntity,
  TeamEntity,
  MembershipEntity,
  InvitationEntity,
  ApiKeyEntity,
  RateLimitBucketEntity,
  TeamDataKeyEntity,
  UploadEntity,
  PendingBlobDeletionEntity,
  BlobSweepCursorEntity,
  JobEntity,
  CreditLedgerEntryEntity,
  TeamCreditBalanceEntity,
  TrialGrantEntity,
  BillingCustomerEntity,
  PurchaseEntity,
  StripeEventEntity,
  AuditLogEntryEntity,
  LegalHoldEntity,
  PolicyAcceptanceEntity,
  ConsentRecordEntity,
  ConsentRecordUserEntity,
  UserDataKeyEntity,
  DataRequestEntity,
  TeamRetentionPolicyEntity,
];
