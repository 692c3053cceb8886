// OfficeStore on better-sqlite3, sharing the platform's database handle (and its migrations).
import type Database from 'better-sqlite3';
import {
  UsernameTakenError,
  type AuditEntry,
  type AuditQuery,
  type AuditRecord,
  type LoginAttempt,
  type NewOfficeUser,
  type OfficeRole,
  type OfficeSession,
  type OfficeStore,
  type OfficeUser,
} from './types';

interface UserRow {
  id: number;
  username: string;
  display_name: string;
  role: OfficeRole;
  branch_code: string | null;
  password_hash: string;
  created_at: string;
  created_by: string | null;
  disabled_at: string | null;
}

interface SessionRow {
  id_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ended_at: string | null;
  remote: string | null;
}

interface AuditRow {
  id: number;
  at: string;
  user_id: number | null;
  username: string | null;
  role: OfficeRole | null;
  action: string;
  outcome: string;
  target: string | null;
  remote: string | null;
  details: string;
}

const USER_COLS = `id, username, display_name, role, branch_code, password_hash, created_at, created_by, disabled_at`;

export class SqliteOfficeStore implements OfficeStore {
  private readonly q;

  constructor(private readonly db: Database.Database) {
    this.q = {
      countUsers: db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM office_users`),
      insertUser: db.prepare(
        `INSERT INTO office_users (username, display_name, role, branch_code, password_hash, created_at, created_by)
         VALUES (@username, @displayName, @role, @branchCode, @passwordHash, @createdAt, @createdBy)`,
      ),
      userById: db.prepare<[number], UserRow>(`SELECT ${USER_COLS} FROM office_users WHERE id = ?`),
      userByName: db.prepare<[string], UserRow>(`SELECT ${USER_COLS} FROM office_users WHERE username = ?`),
      users: db.prepare<[], UserRow>(`SELECT ${USER_COLS} FROM office_users ORDER BY id`),
      setPassword: db.prepare(`UPDATE office_users SET password_hash = ? WHERE id = ?`),
      disableUser: db.prepare(`UPDATE office_users SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL`),
      endUserSessions: db.prepare(
        `UPDATE office_sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL`,
      ),
      insertSession: db.prepare(
        `INSERT INTO office_sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, ended_at, remote)
         VALUES (@idHash, @userId, @csrfToken, @createdAt, @lastSeenAt, @expiresAt, @endedAt, @remote)`,
      ),
      session: db.prepare<[string], SessionRow>(
        `SELECT id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, ended_at, remote
         FROM office_sessions WHERE id_hash = ?`,
      ),
      touchSession: db.prepare(
        `UPDATE office_sessions SET last_seen_at = ? WHERE id_hash = ? AND ended_at IS NULL`,
      ),
      endSession: db.prepare(`UPDATE office_sessions SET ended_at = ? WHERE id_hash = ? AND ended_at IS NULL`),
      insertAttempt: db.prepare(
        `INSERT INTO office_login_attempts (at, username, remote, ok) VALUES (?, ?, ?, ?)`,
      ),
      userFailures: db.prepare<[string, string, string], { n: number; oldest: string | null }>(
        `SELECT count(*) AS n, min(at) AS oldest FROM office_login_attempts
         WHERE username = ? AND ok = 0 AND at > ?
           AND at > coalesce((SELECT max(at) FROM office_login_attempts WHERE username = ? AND ok = 1), '')`,
      ),
      addressFailures: db.prepare<[string, string], { n: number; oldest: string | null }>(
        `SELECT count(*) AS n, min(at) AS oldest FROM office_login_attempts WHERE remote = ? AND ok = 0 AND at > ?`,
      ),
      insertAudit: db.prepare(
        `INSERT INTO office_audit (at, user_id, username, role, action, outcome, target, remote, details)
         VALUES (@at, @userId, @username, @role, @action, @outcome, @target, @remote, @details)`,
      ),
    };
  }

  async countUsers(): Promise<number> {
    return this.q.countUsers.get()!.n;
  }

  async createUser(u: NewOfficeUser): Promise<OfficeUser> {
    try {
      const r = this.q.insertUser.run(u);
      return toUser(this.q.userById.get(Number(r.lastInsertRowid))!);
    } catch (e) {
      if (isConstraint(e) && this.q.userByName.get(u.username)) throw new UsernameTakenError(u.username);
      throw e;
    }
  }

  async userById(id: number): Promise<OfficeUser | undefined> {
    const r = this.q.userById.get(id);
    return r && toUser(r);
  }

  async userByName(username: string): Promise<OfficeUser | undefined> {
    const r = this.q.userByName.get(username);
    return r && toUser(r);
  }

  async listUsers(): Promise<OfficeUser[]> {
    return this.q.users.all().map(toUser);
  }

  async setPassword(userId: number, passwordHash: string): Promise<void> {
    this.q.setPassword.run(passwordHash, userId);
  }

  async disableUser(userId: number, at: string): Promise<void> {
    this.db
      .transaction(() => {
        this.q.disableUser.run(at, userId);
        this.q.endUserSessions.run(at, userId);
      })
      .immediate();
  }

  async createSession(s: OfficeSession): Promise<void> {
    this.q.insertSession.run(s);
  }

  async sessionByHash(idHash: string): Promise<OfficeSession | undefined> {
    const r = this.q.session.get(idHash);
    return (
      r && {
        idHash: r.id_hash,
        userId: r.user_id,
        csrfToken: r.csrf_token,
        createdAt: r.created_at,
        lastSeenAt: r.last_seen_at,
        expiresAt: r.expires_at,
        endedAt: r.ended_at,
        remote: r.remote,
      }
    );
  }

  async touchSession(idHash: string, at: string): Promise<void> {
    this.q.touchSession.run(at, idHash);
  }

  async endSession(idHash: string, at: string): Promise<void> {
    this.q.endSession.run(at, idHash);
  }

  async recordLoginAttempt(a: LoginAttempt): Promise<void> {
    this.q.insertAttempt.run(a.at, a.username, a.remote, a.ok ? 1 : 0);
  }

  async loginFailuresForUser(
    username: string,
    sinceIso: string,
  ): Promise<{ count: number; oldestAt: string | null }> {
    const r = this.q.userFailures.get(username, sinceIso, username)!;
    return { count: r.n, oldestAt: r.oldest };
  }

  async loginFailuresFromAddress(
    remote: string,
    sinceIso: string,
  ): Promise<{ count: number; oldestAt: string | null }> {
    const r = this.q.addressFailures.get(remote, sinceIso)!;
    return { count: r.n, oldestAt: r.oldest };
  }

  async audit(e: AuditEntry): Promise<void> {
    this.q.insertAudit.run({ ...e, details: JSON.stringify(e.details) });
  }

  async auditLog(query: AuditQuery): Promise<AuditRecord[]> {
    const where: string[] = [];
    const args: Array<string | number> = [];
    if (query.action !== undefined) {
      where.push('action = ?');
      args.push(query.action);
    }
    if (query.username !== undefined) {
      where.push('username = ?');
      args.push(query.username);
    }
    if (query.beforeId !== undefined) {
      where.push('id < ?');
      args.push(query.beforeId);
    }
    const rows = this.db
      .prepare<Array<string | number>, AuditRow>(
        `SELECT id, at, user_id, username, role, action, outcome, target, remote, details FROM office_audit
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
      )
      .all(...args, query.limit);
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      userId: r.user_id,
      username: r.username,
      role: r.role,
      action: r.action,
      outcome: r.outcome,
      target: r.target,
      remote: r.remote,
      details: JSON.parse(r.details) as Record<string, unknown>,
    }));
  }
}

function toUser(r: UserRow): OfficeUser {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    branchCode: r.branch_code,
    passwordHash: r.password_hash,
    createdAt: r.created_at,
    createdBy: r.created_by,
    disabledAt: r.disabled_at,
  };
}

function isConstraint(e: unknown): boolean {
  return (
    e instanceof Error &&
    'code' in e &&
    typeof (e as { code: unknown }).code === 'string' &&
    (e as { code: string }).code.startsWith('SQLITE_CONSTRAINT')
  );
}
