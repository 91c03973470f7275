import type { EntityTarget } from 'typeorm';
import type { DataSubject, PersonalDataSource } from './personal-data.registry';

/** A domain's rows that name a person by `user_id`: what it exports of them and which of its tables erasure empties. */
export interface UserRows<Row> {
  /** Section name in exports and receipts. */
  name: string;
  eraseOrder: number;
  /** The person's rows, in export order (the domain's own query). */
  rows(subject: DataSubject): Promise<Row[]>;
  /** One row as the export shows it (no secrets). */
  toExport(row: Row): unknown;
  /** The domain's entity whose rows with the person's `userId` erasure deletes. */
  erases: EntityTarget<{ userId: string }>;
  /** The receipt's count of the deleted rows, e.g. `consentLinks`. */
  countAs: string;
}

/**
 * The PersonalDataSource of such rows: the export is `{ data: rows.map(toExport) }`, erasure deletes the
 * person's rows of `erases` in the executor's transaction and counts them. The domain still names its
 * own tables and query; only the wiring is shared.
 */
export function userRowsSource<Row>(source: UserRows<Row>): PersonalDataSource {
  return {
    name: source.name,
    eraseOrder: source.eraseOrder,
    exportFor: async (subject) => ({ data: (await source.rows(subject)).map((row) => source.toExport(row)) }),
    erase: async (subject, manager) => {
      const result = await manager.delete(source.erases, { userId: subject.userId });
      return { counts: { [source.countAs]: result.affected ?? 0 } };
    },
  };
}
