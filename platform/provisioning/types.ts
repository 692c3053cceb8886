// Provisioning (issue 11): what the office grants a station — its details and agreement
// (PPL-4), the services opened, the holder and written authorisations (PPL-3), training
// (PPL-1, PPL-2), the fee schedule (SRV-4), activation codes and certificates (PPL-5) — and the
// handling of faults stations report (MON-3). One async interface (SqlProvisioningStore over
// either engine); the schemas (sqlite-schema.ts, pg-schema.ts) make the database refuse what
// the rules forbid: history is append-only, a used code stays used, a revoked certificate stays
// revoked, a closed fault stays closed.
import type { ServiceId } from '../../shared/catalogue';
import type { Permission, StationType, TrainingSubject } from '../../shared/station-profile';
import { StoreRefusal } from '../store/types';

/** A station's particulars as the office enters them. */
interface StationParticulars {
  institutionNo: string;
  name: string;
  type: StationType;
  address: string;
  branchCode: string;
  openingDate: string;
}

export interface ProvisionedStation extends StationParticulars {
  createdAt: string;
  createdBy: string;
  /** Bumped by every change that reaches the station's profile. */
  profileVersion: number;
}

export interface Agreement {
  id: number;
  institutionNo: string;
  startDay: string;
  endDay: string;
  depositFen: number;
  depositReceiptNo: string;
  recordedAt: string;
  recordedBy: string;
}

export interface Person {
  id: number;
  institutionNo: string;
  role: 'holder' | 'delegate';
  name: string;
  /** e.g. 4401**********1234: the full number is never stored. */
  idMasked: string;
  createdAt: string;
  createdBy: string;
}

export interface Authorisation {
  id: number;
  personId: number;
  documentNo: string;
  scope: Permission[];
  validFrom: string;
  validTo: string;
  recordedAt: string;
  recordedBy: string;
  revokedAt: string | null;
  revokedBy: string | null;
}

export interface Training {
  id: number;
  personId: number;
  subject: TrainingSubject;
  trainedOn: string;
  trainer: string;
  recordedAt: string;
  recordedBy: string;
}

export interface FeeEntry {
  id: number;
  service: ServiceId;
  feeFen: number;
  effectiveFrom: string;
  setAt: string;
  setBy: string;
}

export interface Certificate {
  serial: string;
  institutionNo: string;
  publicKey: Uint8Array;
  issuedAt: string;
  expiresAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
  revokeReason: string | null;
}

export interface ActivationCodeRecord {
  codeHash: string;
  institutionNo: string;
  issuedAt: string;
  expiresAt: string;
  issuedBy: string;
  usedAt: string | null;
}

export type FaultStatus = 'received' | 'handled' | 'escalated' | 'closed';

export interface FaultEvent {
  id: number;
  institutionNo: string;
  /** `<at>|<kind>` of the fault as the station reported it. */
  faultRef: string;
  status: Exclude<FaultStatus, 'received'>;
  note: string;
  at: string;
  by: string;
}

export interface NewProvisionedStation extends StationParticulars {
  holderName: string;
  holderIdMasked: string;
  agreement: { startDay: string; endDay: string; depositFen: number; depositReceiptNo: string };
  services: ServiceId[];
  /** A key nobody holds (its private half is thrown away): the station signs nothing until it
   *  binds its own at activation. */
  sealedPublicKey: Uint8Array;
  at: string;
  by: string;
  /** The station is registered already (the monitor's admin API) and is now provisioned: its
   *  row and account stay as they are. */
  adopt?: boolean;
}

export interface StationFile {
  station: ProvisionedStation;
  agreement: Agreement | null;
  services: ServiceId[];
  people: Array<Person & { authorisations: Authorisation[]; trainings: Training[] }>;
  certificate: Certificate | null;
  codes: ActivationCodeRecord[];
}

export class ProvisioningRefusal extends StoreRefusal<
  | 'STATION_EXISTS'
  | 'UNKNOWN_STATION'
  | 'UNKNOWN_PERSON'
  | 'ACTIVATION_CODE_INVALID'
  | 'CERTIFICATE_NOT_FOUND'
  | 'FAULT_NOT_FOUND'
  | 'FAULT_TRANSITION'
> {}

export interface ProvisioningStore {
  createStation(s: NewProvisionedStation): Promise<ProvisionedStation>;
  station(institutionNo: string): Promise<ProvisionedStation | undefined>;
  listStations(): Promise<ProvisionedStation[]>;
  stationFile(institutionNo: string): Promise<StationFile | undefined>;
  recordAgreement(
    institutionNo: string,
    a: Omit<Agreement, 'id' | 'institutionNo' | 'recordedAt' | 'recordedBy'>,
    at: string,
    by: string,
  ): Promise<void>;
  setService(
    institutionNo: string,
    service: ServiceId,
    opened: boolean,
    at: string,
    by: string,
  ): Promise<void>;
  addDelegate(
    institutionNo: string,
    p: { name: string; idMasked: string },
    a: { documentNo: string; scope: Permission[]; validFrom: string; validTo: string },
    at: string,
    by: string,
  ): Promise<Person>;
  revokeAuthorisation(authorisationId: number, at: string, by: string): Promise<void>;
  recordTraining(
    personId: number,
    t: { subject: TrainingSubject; trainedOn: string; trainer: string },
    at: string,
    by: string,
  ): Promise<void>;
  setFee(service: ServiceId, feeFen: number, effectiveFrom: string, at: string, by: string): Promise<void>;
  fees(): Promise<FeeEntry[]>;
  issueActivationCode(r: Omit<ActivationCodeRecord, 'usedAt'>): Promise<void>;
  /** Uses the code once and binds the certificate, in one transaction. */
  activate(
    codeHash: string,
    institutionNo: string,
    cert: Omit<Certificate, 'revokedAt' | 'revokedBy' | 'revokeReason' | 'institutionNo'>,
    at: string,
  ): Promise<Certificate>;
  /** Binds a certificate directly (the admin API's registration, a renewal). */
  bindCertificate(cert: Omit<Certificate, 'revokedAt' | 'revokedBy' | 'revokeReason'>): Promise<Certificate>;
  revokeCertificate(serial: string, reason: string, at: string, by: string): Promise<Certificate>;
  currentCertificate(institutionNo: string): Promise<Certificate | undefined>;
  /** Every station's latest certificate (watch list). */
  latestCertificates(): Promise<Certificate[]>;
  latestAgreements(): Promise<Agreement[]>;
  /** The takings due at a station's latest uploaded close (PAY-5). */
  recordTakings(
    institutionNo: string,
    day: string,
    takingsDueFen: number,
    seq: number,
    at: string,
  ): Promise<void>;
  takingsDue(): Promise<Array<{ institutionNo: string; day: string; takingsDueFen: number }>>;
  faultEvents(institutionNo: string | null): Promise<FaultEvent[]>;
  moveFault(e: Omit<FaultEvent, 'id'>): Promise<FaultEvent>;
}
