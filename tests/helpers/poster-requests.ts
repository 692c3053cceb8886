// The deterministic request the crash test's child sends as its i-th posting in a round, so the
// parent can retry it with the very same key and arguments. A bill payment carries, besides, the
// payee confirmation the child obtained for it (SRV-2: random, so the child says it: `PAYEE`).
import type { ServiceId } from '../../shared/catalogue';

export type PosterRequest =
  | {
      kind: 'topup';
      key: string;
      channel: 'topup.greenCard';
      args: { amount: string; bankRef: string; idempotencyKey: string };
    }
  | {
      kind: 'bill';
      key: string;
      channel: 'bill.pay';
      service: ServiceId;
      account: string;
      billIdPrefix: string;
      args: { billId: string; cashReceived: string; idempotencyKey: string };
    };

export function requestFor(
  round: number,
  i: number,
  period = new Date().toISOString().slice(0, 7),
): PosterRequest {
  const key = `crash-r${round}-i${i}`;
  if (i % 3 === 0) {
    return {
      kind: 'topup',
      key,
      channel: 'topup.greenCard',
      args: {
        amount: `${100 + (i % 7)}.${String(i % 100).padStart(2, '0')}`,
        bankRef: `BR-R${round}-I${i}`, // distinct in canonical form too (BR-1-12 would be BR-11-2)
        idempotencyKey: key,
      },
    };
  }
  const account = `6${String(round).padStart(3, '0')}${String(i).padStart(6, '0')}`;
  const billId = `WA${account}-${period}`;
  return {
    kind: 'bill',
    key,
    channel: 'bill.pay',
    service: 'water',
    account,
    billIdPrefix: billId,
    args: { billId, cashReceived: '400', idempotencyKey: key },
  };
}
