// The office's own tables — users, sessions, login attempts and the audit trail — behind one async interface, implemented on SQLite (office/sqlite-office.ts) and
// PostgreSQL (office/pg-office.ts). The platform store exposes it as `store.office`.

export type OfficeRole = 'admin' | 'clerk' | 'supervisor';
export const OFFICE_ROLES: readonly OfficeRole[] = ['admin', 'clerk', 'supervisor'];

export interface NewOfficeUser {
  username: string;
  displayName: string;
  role: OfficeRole;
  /** The postal branch (网点) a clerk works at; null for admin and supervisor. */
  branchCode: string | null;
  passwordHash: string;
  createdAt: string;
  createdBy: string | null;
}

export interface OfficeUser extends NewOfficeUser {
  id: number;
  disabledAt: string | null;
}

export interface OfficeSession {
  /** sha256 of the cookie value, hex: the cookie itself is never stored. */
  idHash: string;
  userId: number;
  csrfToken: string;
  createdAt: string;
  lastSeenAt: string;
  /** Absolute end; the idle limit is checked against lastSeenAt. */
  expiresAt: string;
  endedAt: string | null;
  remote: string | null;
}

export interface LoginAttempt {
  at: string;
  username: string;
  remote: string;
  ok: boolean;
}

/** One row per action, never changed or removed (the database refuses both). */
export interface AuditEntry {
  at: string;
  userId: number | null;
  /** The user acting, or the name typed at a failed login. */
  username: string | null;
  role: OfficeRole | null;
  /** e.g. 'login', 'deposit', 'voucher.reprint', 'card.bind'. */
  action: string;
  /** 'ok' or the refusal's code. */
  outcome: string;
  /** What it was done to: a 机构号, a voucher number, a username. */
  target: string | null;
  remote: string | null;
  details: Record<string, unknown>;
}

export interface AuditRecord extends AuditEntry {
  id: number;
}

export interface AuditQuery {
  limit: number;
  action?: string | undefined;
  username?: string | undefined;
  /** Entries with id below this (paging backwards). */
  beforeId?: number | undefined;
}

export class UsernameTakenError extends Error {
  constructor(readonly username: string) {
    super(`username ${username} is taken`);
    this.name = 'UsernameTakenError';
  }
}

export interface OfficeStore {
  countUsers(): Promise<number>;
  /** Throws UsernameTakenError. */
  createUser(user: NewOfficeUser): Promise<OfficeUser>;
  userById(id: number): Promise<OfficeUser | undefined>;
  userByName(username: string): Promise<OfficeUser | undefined>;
  listUsers(): Promise<OfficeUser[]>;
  /** Sets the hash and ends all of the user's sessions, in one transaction. */
  setPassword(userId: number, passwordHash: string, at: string): Promise<void>;
  /** Disables the user and ends all of their sessions, in one transaction. */
  disableUser(userId: number, at: string): Promise<void>;

  createSession(session: OfficeSession): Promise<void>;
  sessionByHash(idHash: string): Promise<OfficeSession | undefined>;
  touchSession(idHash: string, at: string): Promise<void>;
  endSession(idHash: string, at: string): Promise<void>;

  recordLoginAttempt(attempt: LoginAttempt): Promise<void>;
  /** Failed attempts for this username after `sinceIso` and after its last success. */
  loginFailuresForUser(
    username: string,
    sinceIso: string,
  ): Promise<{ count: number; oldestAt: string | null }>;
  /** Failed attempts from this address after `sinceIso`. */
  loginFailuresFromAddress(
    remote: string,
    sinceIso: string,
  ): Promise<{ count: number; oldestAt: string | null }>;

  audit(entry: AuditEntry): Promise<void>;
  auditLog(query: AuditQuery): Promise<AuditRecord[]>;
}
