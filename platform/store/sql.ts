// What the engine-neutral parts of the store (accounts.ts, sim-billers.ts) need from an engine:
// a transaction that runs SQL with $1, $2… parameters (SQLite gets them as ?1, ?2…), plus a
// way to tell the database's refusals apart. The SQL they write is the common subset of
// SQLite 3.45+ and PostgreSQL 15 (INSERT … ON CONFLICT, RETURNING).

export type Param = string | number | null | Buffer;

export interface Tx {
  readonly engine: 'sqlite' | 'pg';
  /** ' FOR UPDATE' on PostgreSQL (row lock); '' on SQLite (the write transaction locks all). */
  readonly forUpdate: string;
  one<T>(sql: string, params?: readonly Param[]): Promise<T | undefined>;
  all<T>(sql: string, params?: readonly Param[]): Promise<T[]>;
  /** Rows changed. */
  run(sql: string, params?: readonly Param[]): Promise<number>;
}

export interface SqlRunner {
  readonly engine: 'sqlite' | 'pg';
  /** A write transaction; on a throw nothing of it stays. The closure must await ONLY `tx`
   *  calls (no hashing, no network): on SQLite writes share one connection and one open
   *  transaction, and any other await would let unrelated work run inside it. */
  write<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Reads (a committed snapshot). */
  read<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Which database refusal an error is (null: none we know). */
export type DbRefusal = 'check' | 'unique' | 'trigger' | 'foreign_key' | 'not_null';

export function dbRefusalOf(e: unknown): DbRefusal | null {
  if (!e || typeof e !== 'object' || !('code' in e)) return null;
  const code = String((e as { code: unknown }).code);
  switch (code) {
    case 'SQLITE_CONSTRAINT_CHECK':
    case '23514':
      return 'check';
    case 'SQLITE_CONSTRAINT_UNIQUE':
    case 'SQLITE_CONSTRAINT_PRIMARYKEY':
    case '23505':
      return 'unique';
    case 'SQLITE_CONSTRAINT_TRIGGER':
    case 'P0001':
      return 'trigger';
    case 'SQLITE_CONSTRAINT_FOREIGNKEY':
    case '23503':
      return 'foreign_key';
    case 'SQLITE_CONSTRAINT_NOTNULL':
    case '23502':
      return 'not_null';
    default:
      return null;
  }
}

/** The message a trigger raised (RAISE(ABORT, 'X') / RAISE EXCEPTION 'X'), if any. */
export function triggerMessageOf(e: unknown): string | null {
  return dbRefusalOf(e) === 'trigger' && e instanceof Error ? e.message : null;
}
