// Applied migrations are frozen: a migration that has shipped has run on counters and platforms,
// and changing what it executes makes a fresh database differ from an upgraded one. Every station
// migration (db/migrations) runs on a fresh database with exec/prepare recorded, every platform
// SQLite step runs through the platform's migrator the same way, and the PostgreSQL steps' SQL
// text is taken as sent; the SHA-256 of what each one executes must match the table below. A
// refactor of the migrations (shared builders) must leave every hash where it is; a new migration
// adds its line.
import { describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../db/migrations/index';
import { applyPragmas } from '../../db/open';
import { registerChainFunction } from '../../db/chain';
import { SQLITE_MIGRATIONS } from '../../platform/store/sqlite-migrations';
import { PG_MIGRATIONS } from '../../platform/store/pg-migrations';
import { migrateSqlite } from '../../platform/store/migrate';

const sha256 = (parts: readonly string[]): string =>
  crypto.createHash('sha256').update(parts.join('\u0000')).digest('hex');

/** Records the SQL text a connection executes or prepares, until taken. */
function recording(db: Database.Database): () => string[] {
  let seen: string[] = [];
  const exec = db.exec.bind(db);
  const prepare = db.prepare.bind(db);
  db.exec = (sql: string) => {
    seen.push(`exec:${sql}`);
    return exec(sql);
  };
  db.prepare = ((sql: string) => {
    seen.push(`prepare:${sql}`);
    return prepare(sql);
  }) as typeof db.prepare;
  return () => {
    const taken = seen;
    seen = [];
    return taken;
  };
}

function stationHashes(): Record<string, string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frozen-'));
  const db = new Database(path.join(dir, 'ledger.sqlite'));
  applyPragmas(db, 5_000);
  registerChainFunction(db);
  const take = recording(db);
  const out: Record<string, string> = {};
  for (const m of MIGRATIONS) {
    take();
    db.transaction(() => {
      db.exec(m.sql);
      m.up?.(db);
    }).immediate();
    out[String(m.version).padStart(3, '0')] = sha256(take());
  }
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return out;
}

/** The migrator's own table, created on every run (not a step). */
const TABLE_DDL = `CREATE TABLE IF NOT EXISTS platform_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`;

function platformSqliteHashes(): Record<string, string> {
  const db = new Database(':memory:');
  const take = recording(db);
  const out: Record<string, string> = {};
  // One step at a time through the migrator: what each step adds to what the migrator executes.
  for (let i = 0; i < SQLITE_MIGRATIONS.length; i++) {
    take();
    migrateSqlite(db, SQLITE_MIGRATIONS.slice(0, i + 1));
    out[SQLITE_MIGRATIONS[i]!.id] = sha256(
      take().filter((s) => s.startsWith('exec:') && s !== 'exec:' + TABLE_DDL),
    );
  }
  db.close();
  return out;
}

function platformPgHashes(): Record<string, string> {
  return Object.fromEntries(PG_MIGRATIONS.map((s) => [s.id, sha256([s.sql])]));
}

const FROZEN = {
  station: {
    '001': '54569d4bb55b2de8123c18014865dd26adc2be14180971cd81a4090abc38133d',
    '002': 'fe44d8706354d72bc848160c74b9ac7aceed870c1ed6126be119f0785cae0d9b',
    '003': 'bf45324d6c7c8e54c7021217dddae4ea77fe4e48ae05a0ce9353e606f5b13f16',
    '004': 'db5a4d34e263f2e621e2add4796baea8ca50829d83880613f69f1243f71225a4',
    '005': 'f2c9e46ecbf765fe706d8979eef36b93879330600273481244a189f77d57d204',
    '006': '959e2a931e6537b3741a4a4dd738d9425acdf48d631c61038b4d46e3fd5e541a',
    '007': '4b61b653116734bd665a9bd568fd0fa29d7ee8756c1650a23002c437649eccfa',
    '008': '2fc7c9f74cbaf64f48906bad6dd6f8ed6985820c3a2fb05db72097a4db95d637',
    '009': '721804d602e0d8cfe80af388ccefc4e9099e7d57b0c75e60916dfc39b58e0e38',
    '010': 'a5498ae8b505e0764817402d3acbddcb71587127c3b119038594e4720a0c9e03',
    '011': '51aeba6649a0e60a7cd9b48837cad747ffd804811fa480ad734c2c3f4c65bd6c',
    '012': '992248ddf021122547ff34ae1a1e14be4763641ca1d69b93584828c0fa48f57f',
    '013': 'fa217ac46ed785b01fa36d60b28538cfa585840dc2f5ae5b782f8446e6953b42',
    '014': '19bb2e4819586970fc66c16d8d0e8365a86a23fa3128c164febb20f57030e1e7',
    '015': '9f29f59851ddb7eb35b807e46d93d65152796900caeceb0974fd92f76486e7fc',
    '016': 'f0a834b984cfc407e0a25a835c8b005a3ac9d0c08b0a60f62939400383007834',
    '017': '2630fab0c7959309827b0ec2a378210f3c45385bc9f4116d661d8680cd7c9d73',
    '018': '0597b5ef93637695df36b9cfa9068225cf414922bc47c75defc35a8ee3a13125',
  },
  platformSqlite: {
    'monitor-001': 'bd997402b1687d81c7d5dbcfbcf2243cd61a8b9650df49bbbf5079eba37135b8',
    'accounts-001': 'f0102232b9faaa91f84cdb37d408842409ef65a233038bddc0fd9af3ba7a746f',
    'office-001': 'af0156408c41fb49022a0a3fcbeba69900018d2753e082ec702ad7bf1b397609',
    'stations-002-holder': 'c105b96c50f459b715b865df77f761e94db50c9b64f8f325f58df5a0a3e6352c',
    'anchors-001': '1235f4611b0fdd7e32b7fc96ec9e150b069fabb54ccbf3c122fc2035b93391cb',
    'provisioning-001': 'c990577b1c3661e52d446fd67cd940c2bffdb57c2433e77d3c9e5cbdbb9c8015',
    'provisioning-002-central-counts': 'dc1b61637ba4ddeb47646c212de6bdcc4372cb3cca8df66250c28e55d55a2daf',
    'provisioning-003-takings': 'f0537820e73674d6683373b40b48653908a4ab7c78d4d6496376e1f52b5b4f35',
    'payments-004-month-count': 'f2eb11f7335c5c5d643855c30bb53d9bba7e14c6eddd6eb17eafa1c29eee8dc0',
  },
  platformPg: {
    'monitor-001': '1d344b102b34d4853b74d998a0c44dec163e93f7997066c57a00dca4ba24d814',
    'accounts-001': '3746d4b623b830a473205d700140171d8d9d274ca371771ceaf5b3c8b1d1d7e1',
    'office-001': '230950784e909cd41630ddd4bd7990b509b4e156b7c55bd789f53045826a728d',
    'stations-002-holder': '3ae47fdbec498ff052647d78453d0706ae344371c230f827064fdb03ac42e25e',
    'payments-002-pg-functions': 'e634933d929c57ff21c55a857342a602bdf2f0072fe983bc7611774ed03eed36',
    'anchors-001': 'f5df597183657d7143d5da600749815a2abea72c768687cb7eb9198f8f1a966e',
    'provisioning-001': '2ce8db71a410dda620115534667eea9e82d8fc5003f2391a80f8aa42ad0eb9d0',
    'provisioning-002-central-counts': 'a790d6ec528a357ffde57921e9f4fa5d551787fa425414457e694913f3cd58d1',
    'provisioning-003-takings': '793414242f85c940d4876b69a9f8a6ed0a7db00e7bacf4c0a3f2fa998b578f2c',
    'payments-003-pg-batch': '72af07a5e4aef94f04f00dcb602cda5f713708e31fb414aed9bff8d2e0e77978',
    'payments-004-pg-month-count': '41750cccd0283246ceff6acbfaae4ddd5a1796f2d86b021e43d82759b546a6ce',
  },
};

describe('applied migrations are frozen', () => {
  it('every station migration executes exactly the SQL it shipped with', () => {
    expect(stationHashes()).toEqual(FROZEN.station);
  });
  it('every platform SQLite migration executes exactly the SQL it shipped with', () => {
    expect(platformSqliteHashes()).toEqual(FROZEN.platformSqlite);
  });
  it('every platform PostgreSQL migration sends exactly the SQL it shipped with', () => {
    expect(platformPgHashes()).toEqual(FROZEN.platformPg);
  });
});
