// The station channels of the API contract: who this station is, its services, its float.
// Assembled into `channels` in ./index.ts. Money crosses this boundary only as decimal strings.
import type { ProfileWarning } from '../station-profile';
import type { ServiceId } from '../catalogue';
import { noArgs } from '../schemas';

// ---- DTOs -------------------------------------------------------------------------------------

export interface StationDto {
  institutionNo: string;
  name: string;
  demo: boolean;
  /** This is the training ledger (练习模式, PPL-2): every screen says 练习. */
  training: boolean;
  greenCardMasked: string | null;
  businessDay: string;
  /** The latest ledger verification (issue 9, ledger v2): when it failed, money channels refuse
   *  with LEDGER_TAMPERED and every screen says so. */
  ledger: LedgerStateDto;
  /** The agreement's end, the certificate's expiry, the profile's own (PPL-4, PPL-5): what the
   *  counter warns of, from the last good signed profile. */
  warnings: ProfileWarning[];
}

export interface LedgerStateDto {
  tampered: boolean;
  /** What the failed verification found, and when. */
  problem: string | null;
  at: string | null;
}

export interface CatalogueItemDto {
  id: ServiceId;
  nameZh: string;
  fee: string;
  hotkey: string;
  trained: boolean;
}

/** A verification of the ledger's hash chain and running balances (issue 9, ledger v2). */
export interface LedgerVerificationDto {
  ok: boolean;
  /** Transactions and postings read. */
  txns: number;
  postings: number;
  /** The chain head verified: the latest transaction and its hash. */
  headTxnId: number;
  head: string;
  /** What was wrong, when not ok (money channels then refuse with LEDGER_TAMPERED). */
  problem: string | null;
  ms: number;
}

// ---- channels ---------------------------------------------------------------------------------

export const stationChannels = {
  'station.get': { input: noArgs, output: {} as StationDto },
  'catalogue.list': { input: noArgs, output: {} as { items: CatalogueItemDto[] } },
  'float.balance': { input: noArgs, output: {} as { balance: string; pending: string; available: string } },
  /** The whole ledger verified, now (on demand); a pass reopens money channels after a failure. */
  'ledger.verify': { input: noArgs, output: {} as LedgerVerificationDto },
} as const;
