// OfficeStore over the platform's SqlRunner: one implementation for both engines (the SQL is
// the common subset of SQLite and PostgreSQL); the schemas differ per engine
// (office/sqlite-schema.ts, office/pg-schema.ts) and the database enforces the rules.
import { dbRefusalOf, type SqlRunner } from '../store/sql';
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

/** An audit row as stored: the record's columns, with user_id in snake case and details as JSON text. */
type AuditRow = Omit<AuditRecord, 'userId' | 'details'> & { user_id: number | null; details: string };

const USER_COLS = `id, username, display_name, role, branch_code, password_hash, created_at, created_by, disabled_at`;

export class SqlOfficeStore implements OfficeStore {
  constructor(private readonly db: SqlRunner) {}

  async countUsers(): Promise<number> {
    const r = await this.db.read((tx) => tx.one<{ n: number }>(`SELECT count(*) AS n FROM office_users`));
    return Number(r!.n);
  }

  async createUser(u: NewOfficeUser): Promise<OfficeUser> {
    try {
      const row = await this.db.write((tx) =>
        tx.one<UserRow>(
          `INSERT INTO office_users (username, display_name, role, branch_code, password_hash, created_at, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${USER_COLS}`,
          [u.username, u.displayName, u.role, u.branchCode, u.passwordHash, u.createdAt, u.createdBy],
        ),
      );
      return toUser(row!);
    } catch (e) {
      const refusal = dbRefusalOf(e);
      if ((refusal === 'unique' || refusal === 'trigger') && (await this.userByName(u.username)))
        throw new UsernameTakenError(u.username);
      throw e;
    }
  }

  async userById(id: number): Promise<OfficeUser | undefined> {
    const r = await this.db.read((tx) =>
      tx.one<UserRow>(`SELECT ${USER_COLS} FROM office_users WHERE id = $1`, [id]),
    );
    return r && toUser(r);
  }

  async userByName(username: string): Promise<OfficeUser | undefined> {
    const r = await this.db.read((tx) =>
      tx.one<UserRow>(`SELECT ${USER_COLS} FROM office_users WHERE username = $1`, [username]),
    );
    return r && toUser(r);
  }

  async listUsers(): Promise<OfficeUser[]> {
    const rows = await this.db.read((tx) =>
      tx.all<UserRow>(`SELECT ${USER_COLS} FROM office_users ORDER BY id`),
    );
    return rows.map(toUser);
  }

  async setPassword(userId: number, passwordHash: string, at: string): Promise<void> {
    await this.db.write(async (tx) => {
      await tx.run(`UPDATE office_users SET password_hash = $1 WHERE id = $2`, [passwordHash, userId]);
      await tx.run(`UPDATE office_sessions SET ended_at = $1 WHERE user_id = $2 AND ended_at IS NULL`, [
        at,
        userId,
      ]);
    });
  }

  async disableUser(userId: number, at: string): Promise<void> {
    await this.db.write(async (tx) => {
      await tx.run(`UPDATE office_users SET disabled_at = $1 WHERE id = $2 AND disabled_at IS NULL`, [
        at,
        userId,
      ]);
      await tx.run(`UPDATE office_sessions SET ended_at = $1 WHERE user_id = $2 AND ended_at IS NULL`, [
        at,
        userId,
      ]);
    });
  }

  async createSession(s: OfficeSession): Promise<void> {
    await this.db.write((tx) =>
      tx.run(
        `INSERT INTO office_sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, ended_at, remote)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [s.idHash, s.userId, s.csrfToken, s.createdAt, s.lastSeenAt, s.expiresAt, s.endedAt, s.remote],
      ),
    );
  }

  async sessionByHash(idHash: string): Promise<OfficeSession | undefined> {
    const r = await this.db.read((tx) =>
      tx.one<SessionRow>(
        `SELECT id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, ended_at, remote
         FROM office_sessions WHERE id_hash = $1`,
        [idHash],
      ),
    );
    return (
      r && {
        idHash: r.id_hash,
        userId: Number(r.user_id),
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
    await this.db.write((tx) =>
      tx.run(`UPDATE office_sessions SET last_seen_at = $1 WHERE id_hash = $2 AND ended_at IS NULL`, [
        at,
        idHash,
      ]),
    );
  }

  async endSession(idHash: string, at: string): Promise<void> {
    await this.db.write((tx) =>
      tx.run(`UPDATE office_sessions SET ended_at = $1 WHERE id_hash = $2 AND ended_at IS NULL`, [
        at,
        idHash,
      ]),
    );
  }

  async recordLoginAttempt(a: LoginAttempt): Promise<void> {
    await this.db.write((tx) =>
      tx.run(`INSERT INTO office_login_attempts (at, username, remote, ok) VALUES ($1, $2, $3, $4)`, [
        a.at,
        a.username,
        a.remote,
        a.ok ? 1 : 0,
      ]),
    );
  }

  async loginFailuresForUser(
    username: string,
    sinceIso: string,
  ): Promise<{ count: number; oldestAt: string | null }> {
    return this.failedLogins(
      `username = $1 AND ok = 0 AND at > $2
           AND at > coalesce((SELECT max(at) FROM office_login_attempts WHERE username = $1 AND ok = 1), '')`,
      [username, sinceIso],
    );
  }

  async loginFailuresFromAddress(
    remote: string,
    sinceIso: string,
  ): Promise<{ count: number; oldestAt: string | null }> {
    return this.failedLogins(`remote = $1 AND ok = 0 AND at > $2`, [remote, sinceIso]);
  }

  /** How many login attempts match `where`, and the oldest of them. */
  private async failedLogins(
    where: string,
    params: string[],
  ): Promise<{ count: number; oldestAt: string | null }> {
    const r = await this.db.read((tx) =>
      tx.one<{ n: number; oldest: string | null }>(
        `SELECT count(*) AS n, min(at) AS oldest FROM office_login_attempts WHERE ${where}`,
        params,
      ),
    );
    return { count: Number(r!.n), oldestAt: r!.oldest };
  }

  async audit(e: AuditEntry): Promise<void> {
    await this.db.write((tx) =>
      tx.run(
        `INSERT INTO office_audit (at, user_id, username, role, action, outcome, target, remote, details)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          e.at,
          e.userId,
          e.username,
          e.role,
          e.action,
          e.outcome,
          e.target,
          e.remote,
          JSON.stringify(e.details),
        ],
      ),
    );
  }

  async auditLog(query: AuditQuery): Promise<AuditRecord[]> {
    const where: string[] = [];
    const args: Array<string | number> = [];
    if (query.action !== undefined) {
      args.push(query.action);
      where.push(`action = $${args.length}`);
    }
    if (query.username !== undefined) {
      args.push(query.username);
      where.push(`username = $${args.length}`);
    }
    if (query.beforeId !== undefined) {
      args.push(query.beforeId);
      where.push(`id < $${args.length}`);
    }
    args.push(query.limit);
    const rows = await this.db.read((tx) =>
      tx.all<AuditRow>(
        `SELECT id, at, user_id, username, role, action, outcome, target, remote, details FROM office_audit
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${args.length}`,
        args,
      ),
    );
    return rows.map((r) => ({
      id: Number(r.id),
      at: r.at,
      userId: r.user_id === null ? null : Number(r.user_id),
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
    id: Number(r.id),
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
