// PostgreSQL trigger builders for the platform's schemas (office, provisioning, accounts). Pure
// string building: each renders exactly the text its migrations always executed (the executed SQL
// is frozen: tests/integration/migrations-frozen.test.ts).
import type { Refusal } from '../../shared/ddl';

/**
 * A row trigger `name` (and its function of the same name) that refuses an UPDATE of `table` with
 * `message` when `condition` (on NEW and OLD) holds.
 */
export const pgUpdateGuard = (name: string, table: string, condition: string, message: string): string =>
  `CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF ${condition} THEN
    RAISE EXCEPTION '${message}';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER ${name} BEFORE UPDATE ON ${table}
FOR EACH ROW EXECUTE FUNCTION ${name}();`;

/**
 * The accounts' guard on `table` (trigger `${table}_guard`, function `yz_${table}_guard`): an INSERT
 * is refused by `onInsert`, an UPDATE by `onUpdate`.
 */
export const pgInsertUpdateGuard = (table: string, onInsert: Refusal, onUpdate: Refusal): string =>
  `CREATE FUNCTION yz_${table}_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF ${onInsert.when} THEN RAISE EXCEPTION '${onInsert.message}'; END IF;
    RETURN NEW;
  END IF;
  IF ${onUpdate.when} THEN
    RAISE EXCEPTION '${onUpdate.message}';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER ${table}_guard BEFORE INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION yz_${table}_guard();`;

/** The accounts' rows that are never deleted nor truncated away (refused with `message`). */
export const pgNoDelete = (table: string, message: string): string =>
  `CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION yz_refuse('${message}');
CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION yz_refuse('${message}');`;

/**
 * Office and provisioning: `events` on `table` refused for each statement through office_refuse
 * (office-001), which names the table before `reason`.
 */
export const officeRefuse = (trigger: string, events: string, table: string, reason: string): string =>
  `CREATE TRIGGER ${trigger} BEFORE ${events} ON ${table}
FOR EACH STATEMENT EXECUTE FUNCTION office_refuse('${reason}');`;

/** History never updated, deleted nor truncated (`${table}: append-only`). */
export const officeAppendOnly = (table: string): string =>
  officeRefuse(`${table}_append_only`, 'UPDATE OR DELETE OR TRUNCATE', table, 'append-only');

/** Rows never deleted nor truncated (`reason` says why). */
export const officeNoDelete = (table: string, reason: string): string =>
  officeRefuse(`${table}_no_delete`, 'DELETE OR TRUNCATE', table, reason);
