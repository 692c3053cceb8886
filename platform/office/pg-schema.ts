// The office's tables on PostgreSQL; same rules as office/sqlite-schema.ts, enforced by the
// database (CHECKs and triggers): audit rows and login attempts are append-only (UPDATE,
// DELETE, TRUNCATE refused; ON CONFLICT DO UPDATE is an UPDATE), users are never deleted and
// keep their name, role and branch, an ended session stays ended.
import type { NamedMigration } from '../store/sqlite-migrations';

export const OFFICE_PG_MIGRATIONS: NamedMigration[] = [
  {
    id: 'office-001',
    sql: /* sql */ `
CREATE OR REPLACE FUNCTION office_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%: %', TG_TABLE_NAME, TG_ARGV[0];
END $$;

CREATE TABLE office_users (
  id BIGSERIAL PRIMARY KEY,
  username TEXT NOT NULL UNIQUE CHECK (length(username) BETWEEN 3 AND 32),
  display_name TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 32),
  role TEXT NOT NULL CHECK (role IN ('admin', 'clerk', 'supervisor')),
  branch_code TEXT CHECK (branch_code IS NULL OR length(branch_code) BETWEEN 1 AND 20),
  password_hash TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
  created_at TEXT NOT NULL,
  created_by TEXT,
  disabled_at TEXT,
  CHECK ((role = 'clerk') = (branch_code IS NOT NULL))
);
CREATE TRIGGER office_users_no_delete BEFORE DELETE OR TRUNCATE ON office_users
FOR EACH STATEMENT EXECUTE FUNCTION office_refuse('a user is disabled, never deleted');
CREATE OR REPLACE FUNCTION office_users_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.id IS DISTINCT FROM OLD.id OR NEW.username IS DISTINCT FROM OLD.username
     OR NEW.role IS DISTINCT FROM OLD.role OR NEW.branch_code IS DISTINCT FROM OLD.branch_code
     OR NEW.created_at IS DISTINCT FROM OLD.created_at
     OR (OLD.disabled_at IS NOT NULL AND NEW.disabled_at IS DISTINCT FROM OLD.disabled_at) THEN
    RAISE EXCEPTION 'office_users: identity, role and branch are fixed; a disabled user stays disabled';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER office_users_fixed BEFORE UPDATE ON office_users
FOR EACH ROW EXECUTE FUNCTION office_users_fixed();

CREATE TABLE office_sessions (
  id_hash TEXT PRIMARY KEY CHECK (length(id_hash) = 64),
  user_id BIGINT NOT NULL REFERENCES office_users(id),
  csrf_token TEXT NOT NULL CHECK (length(csrf_token) >= 32),
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  ended_at TEXT,
  remote TEXT
);
CREATE INDEX office_sessions_user ON office_sessions (user_id);
CREATE OR REPLACE FUNCTION office_sessions_ended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.ended_at IS NOT NULL OR NEW.id_hash IS DISTINCT FROM OLD.id_hash
     OR NEW.user_id IS DISTINCT FROM OLD.user_id OR NEW.csrf_token IS DISTINCT FROM OLD.csrf_token
     OR NEW.expires_at IS DISTINCT FROM OLD.expires_at THEN
    RAISE EXCEPTION 'office_sessions: an ended session stays ended';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER office_sessions_ended BEFORE UPDATE ON office_sessions
FOR EACH ROW EXECUTE FUNCTION office_sessions_ended();

CREATE TABLE office_login_attempts (
  id BIGSERIAL PRIMARY KEY,
  at TEXT NOT NULL,
  username TEXT NOT NULL,
  remote TEXT NOT NULL,
  ok SMALLINT NOT NULL CHECK (ok IN (0, 1))
);
CREATE INDEX office_login_attempts_user ON office_login_attempts (username, at);
CREATE INDEX office_login_attempts_remote ON office_login_attempts (remote, at);
CREATE TRIGGER office_login_attempts_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON office_login_attempts
FOR EACH STATEMENT EXECUTE FUNCTION office_refuse('append-only');

CREATE TABLE office_audit (
  id BIGSERIAL PRIMARY KEY,
  at TEXT NOT NULL,
  user_id BIGINT REFERENCES office_users(id),
  username TEXT,
  role TEXT CHECK (role IS NULL OR role IN ('admin', 'clerk', 'supervisor')),
  action TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 64),
  outcome TEXT NOT NULL CHECK (length(outcome) BETWEEN 1 AND 64),
  target TEXT,
  remote TEXT,
  details TEXT NOT NULL CHECK (details::jsonb IS NOT NULL)
);
CREATE INDEX office_audit_action ON office_audit (action, id);
CREATE INDEX office_audit_username ON office_audit (username, id);
CREATE TRIGGER office_audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON office_audit
FOR EACH STATEMENT EXECUTE FUNCTION office_refuse('append-only');
`,
  },
];
