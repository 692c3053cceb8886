// The platform store on PostgreSQL (`--pg <url>` or YIZHAN_PG): a connection pool, migrations
// (pg-migrations.ts) under an advisory lock, then the same areas as on SQLite.
import type pg from 'pg';
import { SqlOfficeStore } from '../office/office-store';
import { SqlProvisioningStore } from '../provisioning/store';
import { migratePg } from './migrate';
import { PG_MIGRATIONS } from './pg-migrations';
import { openPgPool, PgRunner, PG_POOL_MAX } from './pg-runner';
import { PgAccountStore } from './pg-payments';
import { PgMonitorStore } from './pg-stations';
import { SqlSimBillerStore } from './sim-billers';
import { SqlChainAnchorStore } from './chain-anchors';
import type { PlatformStore } from './types';

export interface PgPlatformStore extends PlatformStore {
  readonly engine: 'pg';
  readonly pool: pg.Pool;
}

export async function openPgPlatformStore(
  url: string,
  opts: { poolMax?: number } = {},
): Promise<PgPlatformStore> {
  const pool = openPgPool(url, opts.poolMax ?? PG_POOL_MAX);
  try {
    await migratePg(pool, PG_MIGRATIONS);
  } catch (e) {
    await pool.end();
    throw e;
  }
  const runner = new PgRunner(pool);
  const office = new SqlOfficeStore(runner);
  return {
    engine: 'pg',
    pool,
    stations: new PgMonitorStore(pool),
    accounts: new PgAccountStore(runner, pool),
    billers: new SqlSimBillerStore(runner),
    anchors: new SqlChainAnchorStore(runner),
    office,
    provisioning: new SqlProvisioningStore(runner),
    close: () => runner.close(),
  };
}
