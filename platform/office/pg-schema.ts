// The office's tables on PostgreSQL; same rules as office/sqlite-schema.ts, enforced by the
// database (CHECKs and triggers): audit rows and login attempts are append-only (UPDATE,
// DELETE, TRUNCATE refused; ON CONFLICT DO UPDATE is an UPDATE), users are never deleted and
// keep their name, role and branch, an ended session stays ended.
import type { NamedMigration } from '../store/sqlite-migrations';
import { officeAppendOnly, officeNoDelete, pgUpdateGuard } from '../store/pg-ddl';
import { POSTGRES } from '../../shared/ddl';
import { officeTables } from './tables';

const T = officeTables(POSTGRES);

export const OFFICE_PG_MIGRATIONS: NamedMigration[] = [
  {
    id: 'office-001',
    sql: /* sql */ `
CREATE OR REPLACE FUNCTION office_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%: %', TG_TABLE_NAME, TG_ARGV[0];
END $$;

${T.users}
${officeNoDelete('office_users', 'a user is disabled, never deleted')}
${pgUpdateGuard(
  'office_users_fixed',
  'office_users',
  `NEW.id IS DISTINCT FROM OLD.id OR NEW.username IS DISTINCT FROM OLD.username
     OR NEW.role IS DISTINCT FROM OLD.role OR NEW.branch_code IS DISTINCT FROM OLD.branch_code
     OR NEW.created_at IS DISTINCT FROM OLD.created_at
     OR (OLD.disabled_at IS NOT NULL AND NEW.disabled_at IS DISTINCT FROM OLD.disabled_at)`,
  'office_users: identity, role and branch are fixed; a disabled user stays disabled',
)}

${T.sessions}
${pgUpdateGuard(
  'office_sessions_ended',
  'office_sessions',
  `OLD.ended_at IS NOT NULL OR NEW.id_hash IS DISTINCT FROM OLD.id_hash
     OR NEW.user_id IS DISTINCT FROM OLD.user_id OR NEW.csrf_token IS DISTINCT FROM OLD.csrf_token
     OR NEW.expires_at IS DISTINCT FROM OLD.expires_at`,
  'office_sessions: an ended session stays ended',
)}

${T.loginAttempts}
${officeAppendOnly('office_login_attempts')}

${T.audit}
${officeAppendOnly('office_audit')}
`,
  },
];
