// DDL text builders shared by the station's migrations (db/migrations) and the platform's schemas
// (platform/**): one table description rendered for SQLite and PostgreSQL, and SQLite's refusing
// triggers. Pure string building: what a migration executes is frozen
// (tests/integration/migrations-frozen.test.ts), so a builder here renders exactly the text the
// migrations always executed.

/** How a table description is spelled in one SQL dialect. */
export interface Dialect {
  /** A surrogate key column: SQLite's rowid alias, PostgreSQL's sequence. */
  readonly id: string;
  /** A 64-bit integer (money in fen, sequence numbers, references to an id). */
  readonly int64: string;
  /** A small integer (0/1 flags). */
  readonly int16: string;
  /** Raw bytes (keys). */
  readonly bytes: string;
  /** What closes a CREATE TABLE: SQLite's tables are STRICT. */
  readonly end: string;
  /** What closes a CREATE TABLE with a natural primary key: SQLite's are also WITHOUT ROWID. */
  readonly endKeyed: string;
  /** A CHECK condition: the column holds JSON. */
  jsonValid(column: string): string;
  /** A CHECK condition: the column holds a JSON array. */
  jsonArray(column: string): string;
}

export const SQLITE: Dialect = {
  id: 'INTEGER PRIMARY KEY',
  int64: 'INTEGER',
  int16: 'INTEGER',
  bytes: 'BLOB',
  end: ') STRICT',
  endKeyed: ') STRICT, WITHOUT ROWID',
  jsonValid: (column) => `json_valid(${column})`,
  jsonArray: (column) => `json_valid(${column}) AND json_type(${column}) = 'array'`,
};

export const POSTGRES: Dialect = {
  id: 'BIGSERIAL PRIMARY KEY',
  int64: 'BIGINT',
  int16: 'SMALLINT',
  bytes: 'BYTEA',
  end: ')',
  endKeyed: ')',
  jsonValid: (column) => `${column}::jsonb IS NOT NULL`,
  jsonArray: (column) => `jsonb_typeof(${column}::jsonb) = 'array'`,
};

/** A refusal: when the condition holds, the statement fails with the message (an error code). */
export interface Refusal {
  when: string;
  message: string;
}

/**
 * A SQLite trigger that refuses `event` (UPDATE, DELETE, INSERT, UPDATE OF x) on `table` with
 * `message`, always or only `when` the condition holds.
 */
export function refuseTrigger(
  name: string,
  event: string,
  table: string,
  message: string,
  when?: string,
): string {
  const condition = when === undefined ? '' : `\nWHEN ${when}`;
  return `CREATE TRIGGER ${name} BEFORE ${event} ON ${table}${condition}\nBEGIN SELECT RAISE(ABORT, '${message}'); END;`;
}

/**
 * SQLite's guard against INSERT OR REPLACE over an existing row (REPLACE deletes it without firing
 * the delete trigger): an insert whose key (`key`, a condition on NEW) exists is refused.
 */
export const noReplaceTrigger = (table: string, key: string, message: string): string =>
  refuseTrigger(
    `${table}_no_replace`,
    'INSERT',
    table,
    message,
    `EXISTS (SELECT 1 FROM ${table} WHERE ${key})`,
  );

/** SQLite: the table's rows are never updated nor deleted (`${table}_no_update`, `_no_delete`). */
export const noUpdateNoDeleteTriggers = (table: string, message: string): string =>
  [
    refuseTrigger(`${table}_no_update`, 'UPDATE', table, message),
    refuseTrigger(`${table}_no_delete`, 'DELETE', table, message),
  ].join('\n');

/** SQLite: history that is never updated, deleted, nor replaced over an `existing` key. */
export const appendOnlyTriggers = (table: string, message: string, existing: string): string =>
  `${noUpdateNoDeleteTriggers(table, message)}\n${noReplaceTrigger(table, existing, message)}`;

/**
 * SQLite: rows inserted once under their key (an insert over an `existing` one refused with
 * `taken`), then never updated nor deleted (refused with `message`).
 */
export const insertOnceTriggers = (table: string, existing: string, taken: string, message: string): string =>
  `${noReplaceTrigger(table, existing, taken)}\n${noUpdateNoDeleteTriggers(table, message)}`;
