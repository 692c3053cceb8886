// A receipt's serial number as printed and scanned: the business day, '-', the ledger's id
// (20261128-000042). A slip printed in training mode (练习模式) has its own ledger, whose ids
// start again at 1, so its serials carry LX (练习) in front: a training slip can never open —
// or be reversed as — the real transaction that happens to have the same day and id.

/** Put in front of every serial of the training ledger. */
export const TRAINING_SERIAL_PREFIX = 'LX';

/** A serial as the counter accepts it, typed or scanned: real, or a training one (LX…). */
export const RECEIPT_SERIAL_RE = /^(?:LX)?\d{8}-\d{6,12}$/;

export function isTrainingSerial(serial: string): boolean {
  return serial.startsWith(TRAINING_SERIAL_PREFIX);
}

/** The serial of ledger row `id` of `businessDay` ("2026-11-28"). */
export function serialOf(id: number, businessDay: string, training = false): string {
  return `${training ? TRAINING_SERIAL_PREFIX : ''}${businessDay.replaceAll('-', '')}-${String(id).padStart(6, '0')}`;
}

/** The ledger id and day a serial names (either kind), or null when it is not one. */
export function parseSerial(serial: string): { id: number; businessDay: string; training: boolean } | null {
  const m = /^(LX)?(\d{4})(\d{2})(\d{2})-(\d{6,12})$/.exec(serial);
  if (!m) return null;
  return { id: Number(m[5]), businessDay: `${m[2]}-${m[3]}-${m[4]}`, training: m[1] !== undefined };
}
