// The platform store on embedded SQLite: one file in the data directory (the monitor's file,
// grown), one writer connection shared by the areas, one read-only connection for reads.
import Database from 'better-sqlite3';
import path from 'node:path';
import { SqlOfficeStore } from '../office/office-store';
import { SqlProvisioningStore } from '../provisioning/store';
import { SqlAccountStore } from './accounts';
import { SqlSimBillerStore } from './sim-billers';
import { SqlChainAnchorStore } from './chain-anchors';
import { MONITOR_DB_FILE, openSqlitePlatformDb, SqliteMonitorStore } from './sqlite-stations';
import { SqliteRunner } from './sqlite-runner';
import type { PlatformStore } from './types';

export interface SqlitePlatformStore extends PlatformStore {
  readonly engine: 'sqlite';
  readonly stations: SqliteMonitorStore;
  /** The writer connection (tests attack the database through it). */
  readonly db: Database.Database;
}

/** `groupCommitWindowMs`: see SqliteRunner (the default suits a platform serving a fleet). */
export function openSqlitePlatformStore(
  dataDir: string,
  opts: { groupCommitWindowMs?: number } = {},
): SqlitePlatformStore {
  const db = openSqlitePlatformDb(dataDir);
  const reader = new Database(path.join(dataDir, MONITOR_DB_FILE), { readonly: true });
  reader.pragma('busy_timeout = 5000');
  const runner = new SqliteRunner(db, reader, opts.groupCommitWindowMs);
  const stations = new SqliteMonitorStore(db, false);
  const office = new SqlOfficeStore(runner);
  return {
    engine: 'sqlite',
    db,
    stations,
    accounts: new SqlAccountStore(runner),
    billers: new SqlSimBillerStore(runner),
    anchors: new SqlChainAnchorStore(runner),
    office,
    provisioning: new SqlProvisioningStore(runner),
    async close() {
      await stations.close();
      await runner.close();
    },
  };
}
