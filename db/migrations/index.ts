// Migrations by PRAGMA user_version, one file each, applied in order. Never edit a shipped one:
// add the next file.
import * as m001 from './001-ledger';
import * as m002 from './002-print-queue';
import * as m003 from './003-day-close';
import * as m004 from './004-monitor-outbox'; // MON-2/MON-3 upload outbox (issue 5)
import * as m005 from './005-z-slip-print-jobs'; // Z slips through the print queue (issue 8)
import * as m006 from './006-hardening'; // issue 9 defects 2–6
import * as m007 from './007-ledger-chain'; // issue 9 ledger v2: hash chain, verifications
import * as m008 from './008-lean-postings'; // issue 9 ledger v2: account heads, fewer indexes
import * as m009 from './009-biller-identity'; // issue 13: the biller on the customer's slip
import * as m010 from './010-wording'; // issue 13: 账, not 帐, in the faults a close records
import * as m011 from './011-x-slip-print-jobs'; // issue 13: the X report prints through the queue
import * as m012 from './012-chosen-amounts'; // issue 13: customer-chosen amounts (top-ups)
import * as m013 from './013-operator-pins'; // issue 12: operators log in with a PIN
import * as m014 from './014-shifts'; // issue 12: shift handover with a blind count
import * as m015 from './015-payee-confirmations'; // issue 12: SRV-2, the payee confirmed before paying
import * as m016 from './016-login-shift-guards'; // issue 12: holes SQL attacks found in 013/014
import * as m017 from './017-shift-slip-print-jobs'; // issue 12: the shift X report prints
import * as m018 from './018-one-row-ledger'; // issue 9 ledger v2: balances on the transaction row
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  sql: string;
  /** Work SQL alone cannot do (hashing), run after the SQL in the same transaction. */
  up?: (db: Database.Database) => void;
}

export const MIGRATIONS: readonly Migration[] = [
  m001,
  m002,
  m003,
  m004,
  m005,
  m006,
  m007,
  m008,
  m009,
  m010,
  m011,
  m012,
  m013,
  m014,
  m015,
  m016,
  m017,
  m018,
];
