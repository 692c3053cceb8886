// The office's tables on SQLite. One migration per entry; the platform's migration list runs
// them in its own sequence (see store/sqlite-migrations.ts).
//
// What the database itself refuses (tests/integration/office-db.test.ts attacks it directly):
// - audit rows are append-only: no UPDATE, no DELETE, no INSERT OR REPLACE over an existing row;
// - login attempts likewise (the throttle counts them);
// - a clerk without a branch, or an admin/supervisor with one; a user deleted or renamed.
import type { NamedMigration } from '../store/sqlite-migrations';

export const OFFICE_SQLITE_MIGRATIONS: NamedMigration[] = [
  {
    id: 'office-001',
    sql: /* sql */ `
CREATE TABLE office_users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE CHECK (length(username) BETWEEN 3 AND 32),
  display_name TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 32),
  role TEXT NOT NULL CHECK (role IN ('admin', 'clerk', 'supervisor')),
  branch_code TEXT CHECK (branch_code IS NULL OR length(branch_code) BETWEEN 1 AND 20),
  password_hash TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
  created_at TEXT NOT NULL,
  created_by TEXT,
  disabled_at TEXT,
  CHECK ((role = 'clerk') = (branch_code IS NOT NULL))
) STRICT;
CREATE TRIGGER office_users_no_delete BEFORE DELETE ON office_users
BEGIN SELECT RAISE(ABORT, 'office_users: a user is disabled, never deleted'); END;
CREATE TRIGGER office_users_no_replace BEFORE INSERT ON office_users
WHEN EXISTS (SELECT 1 FROM office_users WHERE id = NEW.id OR username = NEW.username)
BEGIN SELECT RAISE(ABORT, 'office_users: username taken'); END;
CREATE TRIGGER office_users_fixed BEFORE UPDATE ON office_users
WHEN NEW.id IS NOT OLD.id OR NEW.username IS NOT OLD.username OR NEW.role IS NOT OLD.role
  OR NEW.branch_code IS NOT OLD.branch_code OR NEW.created_at IS NOT OLD.created_at
  OR (OLD.disabled_at IS NOT NULL AND NEW.disabled_at IS NOT OLD.disabled_at)
BEGIN SELECT RAISE(ABORT, 'office_users: identity, role and branch are fixed; a disabled user stays disabled'); END;

CREATE TABLE office_sessions (
  id_hash TEXT PRIMARY KEY CHECK (length(id_hash) = 64),
  user_id INTEGER NOT NULL REFERENCES office_users(id),
  csrf_token TEXT NOT NULL CHECK (length(csrf_token) >= 32),
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  ended_at TEXT,
  remote TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX office_sessions_user ON office_sessions (user_id);
CREATE TRIGGER office_sessions_ended BEFORE UPDATE ON office_sessions
WHEN OLD.ended_at IS NOT NULL OR NEW.id_hash IS NOT OLD.id_hash OR NEW.user_id IS NOT OLD.user_id
  OR NEW.csrf_token IS NOT OLD.csrf_token OR NEW.expires_at IS NOT OLD.expires_at
BEGIN SELECT RAISE(ABORT, 'office_sessions: an ended session stays ended'); END;

CREATE TABLE office_login_attempts (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  username TEXT NOT NULL,
  remote TEXT NOT NULL,
  ok INTEGER NOT NULL CHECK (ok IN (0, 1))
) STRICT;
CREATE INDEX office_login_attempts_user ON office_login_attempts (username, at);
CREATE INDEX office_login_attempts_remote ON office_login_attempts (remote, at);
CREATE TRIGGER office_login_attempts_no_update BEFORE UPDATE ON office_login_attempts
BEGIN SELECT RAISE(ABORT, 'office_login_attempts: append-only'); END;
CREATE TRIGGER office_login_attempts_no_delete BEFORE DELETE ON office_login_attempts
BEGIN SELECT RAISE(ABORT, 'office_login_attempts: append-only'); END;
CREATE TRIGGER office_login_attempts_no_replace BEFORE INSERT ON office_login_attempts
WHEN EXISTS (SELECT 1 FROM office_login_attempts WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'office_login_attempts: append-only'); END;

CREATE TABLE office_audit (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  user_id INTEGER REFERENCES office_users(id),
  username TEXT,
  role TEXT CHECK (role IS NULL OR role IN ('admin', 'clerk', 'supervisor')),
  action TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 64),
  outcome TEXT NOT NULL CHECK (length(outcome) BETWEEN 1 AND 64),
  target TEXT,
  remote TEXT,
  details TEXT NOT NULL CHECK (json_valid(details))
) STRICT;
CREATE INDEX office_audit_action ON office_audit (action, id);
CREATE INDEX office_audit_username ON office_audit (username, id);
CREATE TRIGGER office_audit_no_update BEFORE UPDATE ON office_audit
BEGIN SELECT RAISE(ABORT, 'office_audit: append-only'); END;
CREATE TRIGGER office_audit_no_delete BEFORE DELETE ON office_audit
BEGIN SELECT RAISE(ABORT, 'office_audit: append-only'); END;
CREATE TRIGGER office_audit_no_replace BEFORE INSERT ON office_audit
WHEN EXISTS (SELECT 1 FROM office_audit WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'office_audit: append-only'); END;
`,
  },
];
