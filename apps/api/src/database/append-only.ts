/**
 * Append-only tables: a trigger refuses UPDATE, DELETE and TRUNCATE, except an UPDATE that only
 * sets the columns named as the trigger's arguments (links to a person) to NULL, which is what
 * deleting that person does (through ON DELETE SET NULL).
 */
export const APPEND_ONLY_FUNCTION = `
CREATE OR REPLACE FUNCTION cutout_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  link text;
  old_rest jsonb;
  new_rest jsonb;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    old_rest := to_jsonb(OLD);
    new_rest := to_jsonb(NEW);
    IF TG_NARGS > 0 THEN
      FOREACH link IN ARRAY TG_ARGV LOOP
        IF new_rest -> link <> 'null'::jsonb AND new_rest -> link IS DISTINCT FROM old_rest -> link THEN
          RAISE EXCEPTION '% is append-only: % may only be cleared', TG_TABLE_NAME, link;
        END IF;
        old_rest := old_rest - link;
        new_rest := new_rest - link;
      END LOOP;
    END IF;
    IF old_rest = new_rest THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END
$$`;

/** The triggers that make `table` append-only, with `links` the person links that may be cleared. */
export const appendOnlyTriggers = (table: string, links: string[]) => [
  `CREATE TRIGGER "${table}_append_only" BEFORE UPDATE OR DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION cutout_append_only(${links.map((l) => `'${l}'`).join(', ')})`,
  `CREATE TRIGGER "${table}_no_truncate" BEFORE TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION cutout_append_only()`,
];
