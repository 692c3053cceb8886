// The office's tables, one description rendered for SQLite (sqlite-schema.ts) and PostgreSQL
// (pg-schema.ts); each schema adds its own triggers in its own dialect.
import type { Dialect } from '../../shared/ddl';

const ROLES = `'admin', 'clerk', 'supervisor'`;

/** office-001's tables, each with its indexes. */
export const officeTables = (d: Dialect) => ({
  users: `CREATE TABLE office_users (
  id ${d.id},
  username TEXT NOT NULL UNIQUE CHECK (length(username) BETWEEN 3 AND 32),
  display_name TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 32),
  role TEXT NOT NULL CHECK (role IN (${ROLES})),
  branch_code TEXT CHECK (branch_code IS NULL OR length(branch_code) BETWEEN 1 AND 20),
  password_hash TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
  created_at TEXT NOT NULL,
  created_by TEXT,
  disabled_at TEXT,
  CHECK ((role = 'clerk') = (branch_code IS NOT NULL))
${d.end};`,

  sessions: `CREATE TABLE office_sessions (
  id_hash TEXT PRIMARY KEY CHECK (length(id_hash) = 64),
  user_id ${d.int64} NOT NULL REFERENCES office_users(id),
  csrf_token TEXT NOT NULL CHECK (length(csrf_token) >= 32),
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  ended_at TEXT,
  remote TEXT
${d.endKeyed};
CREATE INDEX office_sessions_user ON office_sessions (user_id);`,

  loginAttempts: `CREATE TABLE office_login_attempts (
  id ${d.id},
  at TEXT NOT NULL,
  username TEXT NOT NULL,
  remote TEXT NOT NULL,
  ok ${d.int16} NOT NULL CHECK (ok IN (0, 1))
${d.end};
CREATE INDEX office_login_attempts_user ON office_login_attempts (username, at);
CREATE INDEX office_login_attempts_remote ON office_login_attempts (remote, at);`,

  audit: `CREATE TABLE office_audit (
  id ${d.id},
  at TEXT NOT NULL,
  user_id ${d.int64} REFERENCES office_users(id),
  username TEXT,
  role TEXT CHECK (role IS NULL OR role IN (${ROLES})),
  action TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 64),
  outcome TEXT NOT NULL CHECK (length(outcome) BETWEEN 1 AND 64),
  target TEXT,
  remote TEXT,
  details TEXT NOT NULL CHECK (${d.jsonValid('details')})
${d.end};
CREATE INDEX office_audit_action ON office_audit (action, id);
CREATE INDEX office_audit_username ON office_audit (username, id);`,
});
