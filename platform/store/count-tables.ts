// MON-2's count tables, one description for SQLite and PostgreSQL. SQLite's monitor keys a
// station by its own id; PostgreSQL (and provisioning's central counts) by its 机构号.
import type { Dialect } from '../../shared/ddl';

/** The column a count row names its station by. */
export interface StationKey {
  column: string;
  definition: string;
}

export const BY_STATION_ID: StationKey = {
  column: 'station_id',
  definition: 'station_id INTEGER NOT NULL REFERENCES stations(id)',
};

export const BY_INSTITUTION_NO: StationKey = {
  column: 'institution_no',
  definition: 'institution_no TEXT NOT NULL REFERENCES stations(institution_no)',
};

/** One row per station and day: the latest upload's count and its sequence number. */
export const dayCountsTable = (d: Dialect, key: StationKey): string => `CREATE TABLE day_counts (
  ${key.definition},
  day TEXT NOT NULL,
  count INTEGER NOT NULL CHECK (count >= 0),
  seq ${d.int64} NOT NULL,
  PRIMARY KEY (${key.column}, day)
${d.endKeyed};`;

/** One row per station and month (`table`: the uploads' month_counts or the central ones). */
export const monthCountsTable = (
  d: Dialect,
  table: string,
  key: StationKey,
): string => `CREATE TABLE ${table} (
  ${key.definition},
  month TEXT NOT NULL,
  count INTEGER NOT NULL CHECK (count >= 0),
  PRIMARY KEY (${key.column}, month)
${d.endKeyed};`;
