import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** The person a data-subject request is about, as every domain sees it. */
export interface DataSubject {
  userId: string;
  /** The blind index of their email (rows that name them by email, e.g. invitations, match on it). */
  emailIndex: string;
  /** Their personal team(s): deleted with them (blobs, rows, data key). */
  personalTeamIds: readonly string[];
}

/** A file in an export archive, read only while the archive is written (null: it is gone by now). */
export interface ExportFile {
  /** Path inside the archive, e.g. `images/<jobId>/result.png`. */
  path: string;
  read(): Promise<Buffer | null>;
}

/** One domain's part of an export: JSON-serialisable data without secrets (no hashes, no keys), plus files. */
export interface ExportSection {
  data: unknown;
  files?: ExportFile[];
}

/** What a domain removed: counts by kind (for the receipt), and work that must wait for the commit (blob deletes). */
export interface ErasureOutcome {
  counts: Record<string, number>;
  afterCommit?: () => Promise<void>;
}

/**
 * One domain's personal data, as data-subject requests see it. Each domain registers its own
 * source (only a domain's own code reads and writes its tables); the export and the deletion
 * executor walk all of them. `eraseOrder`: lower runs first, in one transaction:
 * 10 links and tokens, 20 the personal team's contents, 30 memberships and ownership,
 * 40 financial records (anonymised), 90 the account itself.
 */
export interface PersonalDataSource {
  /** Section name in exports and receipts, e.g. `consent`. Unique. */
  name: string;
  exportFor?(subject: DataSubject): Promise<ExportSection>;
  erase?(subject: DataSubject, manager: EntityManager): Promise<ErasureOutcome>;
  eraseOrder?: number;
}

/** Every domain's PersonalDataSource, registered at module init. */
@Injectable()
export class PersonalDataRegistry {
  private readonly byName = new Map<string, PersonalDataSource>();

  register(source: PersonalDataSource): void {
    if (this.byName.has(source.name)) throw new Error(`personal data source "${source.name}" is registered twice`);
    this.byName.set(source.name, source);
  }

  /** In erase order (then by name, so the order never depends on module start order). */
  sources(): PersonalDataSource[] {
    return [...this.byName.values()].sort((a, b) => (a.eraseOrder ?? 50) - (b.eraseOrder ?? 50) || a.name.localeCompare(b.name));
  }
}
