// Training mode (练习模式, PPL-2, issue 12 item 5). Beside the real station ledger runs a second,
// separate one in `<data>/training/` — its own station.sqlite, its own float (a training opening
// float), its own central system: a simulated one (the platform run embedded in
// `<data>/training/platform` with simulated billers, the station's services open and its
// operators trained on everything there), so the very same code paths run. A login session
// switches to it explicitly (`training.enter`) and back (`training.leave`); meanwhile every call
// of that session runs on the training ledger (services/auth.ts `gate`). Nothing done there
// reaches the real ledger, the real platform or the monitor: the training ledger's uploader has
// no address and a client that refuses to send, and its slips all say 「练习」 (its print queue
// stamps every document before it is stored or rendered).
//
// The backend does not know how the simulated central system is run (it talks to platforms over
// HTTP only): whoever starts the station gives a `TrainingCentralFactory`
// (scripts/training-central.ts runs the embedded platform).
import { getOperator, listOperators } from '../db/station';
import { YizhanError } from '../shared/errors';
import type { StationProfile } from '../shared/station-profile';
import type { Fen } from '../shared/money';
import type { Ctx, Session, TrainingHostLike } from './context';
import type { BillGateway } from './gateway/types';
import { profileOperator } from './services/grants';
import { readPrinterSettings, writePrinterSettings } from './printing/print-queue';

/** The folder of the training ledger inside the station's data folder. */
export const TRAINING_DIR = 'training';

/** The authorisation document an operator's training enrolment is recorded under at the simulated
 *  central system: it ties the real operator to their row in the training ledger. */
export function trainingDocumentNo(realOperatorId: string): string {
  return `练习-${realOperatorId}`;
}

/** The real station, as the training ledger is set up after it. */
export interface TrainingStation {
  institutionNo: string;
  name: string;
  demo: boolean;
  greenCardMasked: string | null;
  holder: { id: string; name: string };
  /** The real station's fee schedule (its signed profile's, SRV-4): practice charges what the
   *  counter charges. Null: no profile yet (the simulated system's own schedule stands). */
  fees: StationProfile['fees'] | null;
}

/** An operator of the real station to enrol for training (everything trained, their own scope). */
export interface Trainee {
  realOperatorId: string;
  name: string;
  scope: NonNullable<StationProfile['operators'][number]['authorisation']>['scope'];
}

/** The simulated central system of the training ledger. */
export interface TrainingCentral {
  gateway: BillGateway;
  /** The voucher of the training opening float, on its first start. */
  openingVoucher?: { voucherNo: string; branchCode: string; clerk: string; amount: Fen } | undefined;
  /** Records the operator at the simulated central system, trained on everything (idempotent). */
  enrol(t: Trainee): Promise<void>;
  close(): Promise<void>;
}

export type TrainingCentralFactory = (a: {
  /** `<data>/training`: the training ledger's data folder (the central system keeps its own
   *  store inside it). */
  dataDir: string;
  station: TrainingStation;
  now: () => Date;
}) => Promise<TrainingCentral>;

/** What the host needs of the training ledger's backend (backend.ts makes it). */
export interface TrainingBackend {
  readonly ctx: Ctx;
  close(): void;
}

export class TrainingHost implements TrainingHostLike {
  private opening: Promise<{ backend: TrainingBackend; central: TrainingCentral }> | undefined;
  private open: { backend: TrainingBackend; central: TrainingCentral } | undefined;
  private closed = false;

  constructor(
    private readonly start: () => Promise<{ backend: TrainingBackend; central: TrainingCentral }>,
  ) {}

  /** The training ledger's backend once open (tests look at it). */
  get backend(): TrainingBackend | undefined {
    return this.open?.backend;
  }

  /** Opens the training ledger (once; a failed start is tried again next time). */
  ensure(): Promise<{ backend: TrainingBackend; central: TrainingCentral }> {
    if (this.closed) return Promise.reject(new YizhanError('TRAINING_UNAVAILABLE', { variant: 'none' }));
    this.opening ??= this.start().then(
      (o) => {
        if (this.closed) {
          o.backend.close();
          void o.central.close();
          throw new YizhanError('TRAINING_UNAVAILABLE', { variant: 'none' });
        }
        this.open = o;
        return o;
      },
      (e: unknown) => {
        this.opening = undefined;
        console.error('[yizhan] training ledger failed to open:', e);
        throw new YizhanError('TRAINING_UNAVAILABLE', {
          reason: e instanceof Error ? e.message.slice(0, 200) : String(e),
        });
      },
    );
    return this.opening;
  }

  async enter(real: Ctx): Promise<string> {
    const { backend, central } = await this.ensure();
    const t = backend.ctx;
    // The same printer (its settings as the real station has them), never without 「练习」.
    const p = readPrinterSettings(real.db);
    writePrinterSettings(t.db, {
      interface: p.interface,
      columns: p.columns,
      qr: p.qr,
      commandSet: p.commandSet,
      drawer: false,
    });
    const me = getOperator(real.db, real.operatorId);
    if (!me) throw new YizhanError('NOT_LOGGED_IN', { channel: 'training.enter' });
    // At their first practice an authorised person is enrolled at the simulated central system;
    // the training ledger takes its operators from the profile it fetches, as the real station
    // does (a fresh one at every entry: the training ledger runs no hourly timer).
    if (me.role !== 'holder' && !trainingOperatorId(t, real.operatorId)) {
      const op = profileOperator(real, real.operatorId);
      await central.enrol({
        realOperatorId: real.operatorId,
        name: me.name,
        scope: op?.authorisation?.scope ?? [],
      });
    }
    await t.profile?.refresh();
    if (me.role === 'holder') return holderOf(t);
    const id = trainingOperatorId(t, real.operatorId);
    if (!id) throw new YizhanError('TRAINING_UNAVAILABLE', { reason: 'operator not enrolled' });
    return id;
  }

  ctxFor(operatorId: string, sessionKey: string, sessions: Map<string, Session>): Ctx | undefined {
    const b = this.open?.backend;
    if (!b) return undefined;
    return { ...b.ctx, operatorId, sessionKey, sessions };
  }

  close(): void {
    this.closed = true;
    const o = this.open;
    this.open = undefined;
    if (o) {
      o.backend.close();
      void o.central.close().catch(() => undefined);
    }
  }
}

function holderOf(t: Ctx): string {
  const h = listOperators(t.db).find((o) => o.role === 'holder');
  if (!h) throw new YizhanError('TRAINING_UNAVAILABLE', { reason: 'no holder' });
  return h.id;
}

/** The real operator's row in the training ledger: the profile operator enrolled under their
 *  document number. */
function trainingOperatorId(t: Ctx, realOperatorId: string): string | undefined {
  const p = t.profile?.keeper.profile;
  const doc = trainingDocumentNo(realOperatorId);
  return p?.operators.find((o) => o.authorisation?.documentNo === doc)?.id;
}
