// The office tables attacked directly with SQL, around the store: the audit trail and the login
// attempts are append-only, users are never deleted and keep their name, role and branch, a
// clerk needs a branch, and an ended session stays ended — on both engines.
import { describe, expect, it } from 'vitest';
import type { StoreEngine } from '../../platform/store/types';
import { ENGINES, expectDbRefusal, pgServerForFile, storeForEachTest } from '../helpers/stores';

const server = pgServerForFile();

const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA';
const AT = '2026-12-03T02:00:00.000Z';

describe.each(ENGINES)('office tables on %s refuse direct tampering', (engine: StoreEngine) => {
  const store = storeForEachTest(engine, server, async (store) => {
    await store.office.createUser({
      username: 'clerk1',
      displayName: '柜员',
      role: 'clerk',
      branchCode: 'GZ001',
      passwordHash: HASH,
      createdAt: AT,
      createdBy: null,
    });
    for (const action of ['login', 'deposit'])
      await store.office.audit({
        at: AT,
        userId: 1,
        username: 'clerk1',
        role: 'clerk',
        action,
        outcome: 'ok',
        target: '44010001',
        remote: '127.0.0.1',
        details: { amount: '500.00' },
      });
    await store.office.recordLoginAttempt({ at: AT, username: 'clerk1', remote: '127.0.0.1', ok: false });
  });

  /** Refused by a constraint or trigger — not by a typo in the attack. */
  const refused = (sql: string, params: unknown[] = []) => expectDbRefusal(store(), sql, params);

  it('audit rows cannot be changed, deleted or replaced', async () => {
    await refused(`UPDATE office_audit SET outcome = 'FORGED' WHERE id = 1`);
    await refused(`DELETE FROM office_audit WHERE id = 1`);
    if (engine === 'sqlite') {
      await refused(
        `INSERT OR REPLACE INTO office_audit (id, at, action, outcome, details) VALUES (1, $1, 'login', 'FORGED', '{}')`,
        [AT],
      );
    } else {
      await refused(`TRUNCATE office_audit`);
      await refused(
        `INSERT INTO office_audit (id, at, action, outcome, details) VALUES (1, $1, 'login', 'FORGED', '{}')
         ON CONFLICT (id) DO UPDATE SET outcome = 'FORGED'`,
        [AT],
      );
    }
    const rows = await store().office.auditLog({ limit: 10 });
    expect(rows.map((r) => [r.action, r.outcome])).toEqual([
      ['deposit', 'ok'],
      ['login', 'ok'],
    ]);
  });

  it('login attempts (what the throttle counts) cannot be changed or deleted', async () => {
    await refused(`UPDATE office_login_attempts SET ok = 1`);
    await refused(`DELETE FROM office_login_attempts`);
    if (engine === 'sqlite')
      await refused(
        `INSERT OR REPLACE INTO office_login_attempts (id, at, username, remote, ok) VALUES (1, $1, 'clerk1', 'x', 1)`,
        [AT],
      );
    else await refused(`TRUNCATE office_login_attempts`);
    expect((await store().office.loginFailuresForUser('clerk1', '2026-01-01T00:00:00Z')).count).toBe(1);
  });

  it('a user is never deleted, renamed, moved to another branch or given another role; a clerk needs a branch', async () => {
    await refused(`DELETE FROM office_users WHERE username = 'clerk1'`);
    await refused(`UPDATE office_users SET role = 'admin' WHERE username = 'clerk1'`);
    await refused(`UPDATE office_users SET branch_code = 'SZ001' WHERE username = 'clerk1'`);
    await refused(`UPDATE office_users SET username = 'boss' WHERE username = 'clerk1'`);
    await refused(
      `INSERT INTO office_users (username, display_name, role, branch_code, password_hash, created_at) VALUES ('c2', 'x', 'clerk', NULL, $1, $2)`,
      [HASH, AT],
    );
    await refused(
      `INSERT INTO office_users (username, display_name, role, branch_code, password_hash, created_at) VALUES ('s2', 'x', 'supervisor', 'GZ001', $1, $2)`,
      [HASH, AT],
    );
    await refused(
      `INSERT INTO office_users (username, display_name, role, password_hash, created_at) VALUES ('p2', 'x', 'admin', 'plaintext-password', $1)`,
      [AT],
    );
    if (engine === 'sqlite')
      await refused(
        `INSERT OR REPLACE INTO office_users (id, username, display_name, role, password_hash, created_at) VALUES (1, 'clerk1', 'x', 'admin', $1, $2)`,
        [HASH, AT],
      );
    const u = await store().office.userByName('clerk1');
    expect(u).toMatchObject({ role: 'clerk', branchCode: 'GZ001' });
  });

  it('an ended session stays ended', async () => {
    const idHash = 'a'.repeat(64);
    await store().office.createSession({
      idHash,
      userId: 1,
      csrfToken: 'c'.repeat(43),
      createdAt: AT,
      lastSeenAt: AT,
      expiresAt: '2026-12-03T14:00:00.000Z',
      endedAt: null,
      remote: '127.0.0.1',
    });
    await store().office.endSession(idHash, AT);
    await refused(`UPDATE office_sessions SET ended_at = NULL WHERE id_hash = $1`, [idHash]);
    await refused(`UPDATE office_sessions SET expires_at = '2099-01-01' WHERE id_hash = $1`, [idHash]);
    expect((await store().office.sessionByHash(idHash))?.endedAt).toBe(AT);
  });
});
