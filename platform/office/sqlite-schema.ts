// The office's tables on SQLite. One migration per entry; the platform's migration list runs
// them in its own sequence (see store/sqlite-migrations.ts).
//
// What the database itself refuses (tests/integration/office-db.test.ts attacks it directly):
// - audit rows are append-only: no UPDATE, no DELETE, no INSERT OR REPLACE over an existing row;
// - login attempts likewise (the throttle counts them);
// - a clerk without a branch, or an admin/supervisor with one; a user deleted or renamed.
import type { NamedMigration } from '../store/sqlite-migrations';
import { SQLITE, appendOnlyTriggers } from '../../shared/ddl';
import { officeTables } from './tables';

const T = officeTables(SQLITE);

/** No UPDATE, no DELETE, no INSERT OR REPLACE over an existing row. */
const appendOnly = (table: string): string =>
  appendOnlyTriggers(table, `${table}: append-only`, 'id = NEW.id');

export const OFFICE_SQLITE_MIGRATIONS: NamedMigration[] = [
  {
    id: 'office-001',
    sql: /* sql */ `
${T.users}
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

${T.sessions}
CREATE TRIGGER office_sessions_ended BEFORE UPDATE ON office_sessions
WHEN OLD.ended_at IS NOT NULL OR NEW.id_hash IS NOT OLD.id_hash OR NEW.user_id IS NOT OLD.user_id
  OR NEW.csrf_token IS NOT OLD.csrf_token OR NEW.expires_at IS NOT OLD.expires_at
BEGIN SELECT RAISE(ABORT, 'office_sessions: an ended session stays ended'); END;

${T.loginAttempts}
${appendOnly('office_login_attempts')}

${T.audit}
${appendOnly('office_audit')}
`,
  },
];
