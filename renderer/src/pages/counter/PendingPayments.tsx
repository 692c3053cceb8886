// 待确认缴费 — payments whose outcome the central system has not told us yet, set aside so the
// counter could serve the next customer. The backend's `payment.pending` is the source of truth;
// this window's own set-aside list (pending-payment.ts) adds any payment whose request may never
// have reached the backend. 「查询结果」 retries `bill.pay` with the payment's OWN idempotency key
// (never a new one): the backend asks the central system first and can never pay twice.
//   ok                         → paid: serial shown, slip printed, float refreshed
//   a final refusal            → not paid: the operator hands the cash back (said prominently)
//   GATEWAY_UNAVAILABLE etc.   → still waiting: kept in the list
// A payment that leaves the backend's list by itself (its recovery timer settled it) is looked up
// the same way — a replay of that key's recorded outcome — and the operator is told.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Badge, Button, Card } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PendingPaymentDto } from '../../../../shared/contract';
import { call, ApiError } from '../../api';
import { useStation } from '../../app/station-context';
import { errorMessage } from '../../components/ErrorAlert';
import { localTime, serviceKey } from '../../components/labels';
import {
  loadOutcomes,
  loadSetAside,
  markSetAsideSeen,
  removeSetAside,
  storeOutcomes,
  type PendingItemSummary,
  type PendingOutcome,
  type SetAsidePayment,
} from './pending-payment';
import { OutcomeAlert, type PrintResult } from './PendingOutcome';

/** How often the list is read again while the counter is on screen. */
export const PENDING_POLL_MS = 15_000;

interface Row extends PendingItemSummary {
  billId: string;
  /** A customer-chosen amount, sent again with the retry (the same request); null: the amount due. */
  chosenAmount: string | null;
  /** SRV-2: the payee confirmation it was sent with, sent again (the same request). */
  confirmedPayee: string | null;
  createdAt: string;
  /** Listed by the backend's payment.pending right now. */
  onBackend: boolean;
}

function fromDto(p: PendingPaymentDto): Row {
  return {
    idempotencyKey: p.idempotencyKey,
    billId: p.billId,
    chosenAmount: p.chosenAmount ?? null,
    confirmedPayee: p.confirmedPayee ?? null,
    service: p.service,
    accountNo: p.accountNo,
    payeeMasked: p.payeeMasked,
    total: p.total,
    cashReceived: p.cashReceived,
    createdAt: p.createdAt,
    onBackend: true,
  };
}

function fromLocal(p: SetAsidePayment): Row {
  return {
    idempotencyKey: p.idempotencyKey,
    billId: p.bill.billId,
    chosenAmount: p.bill.chosenAmount ?? null,
    confirmedPayee: p.confirmedPayee ?? null,
    service: p.bill.service,
    accountNo: p.bill.accountNo,
    payeeMasked: p.bill.payeeMasked,
    total: p.bill.total,
    cashReceived: p.cash,
    createdAt: p.confirmedAt,
    onBackend: false,
  };
}

function summary(r: Row): PendingItemSummary {
  const { idempotencyKey, service, accountNo, payeeMasked, total, cashReceived } = r;
  return { idempotencyKey, service, accountNo, payeeMasked, total, cashReceived };
}

function without<T>(o: Record<string, T>, k: string): Record<string, T> {
  const { [k]: _gone, ...rest } = o;
  return rest;
}

export function PendingPayments({
  active,
  exclude,
}: {
  active: boolean;
  /** The key of the payment the counter itself is locked on: it is the counter's to settle. */
  exclude: string | null;
}) {
  const { t } = useTranslation();
  const { postingsVersion, afterPosting } = useStation();
  const [backend, setBackend] = useState<PendingPaymentDto[]>([]);
  const [local, setLocal] = useState<SetAsidePayment[]>(() => loadSetAside());
  const [listError, setListError] = useState<unknown>(null);
  const [checking, setChecking] = useState<Record<string, boolean>>({});
  const [waiting, setWaiting] = useState<Record<string, unknown>>({});
  const [outcomes, setOutcomes] = useState<PendingOutcome[]>(() => loadOutcomes());
  const [prints, setPrints] = useState<Record<number, PrintResult>>({});
  const cardRef = useRef<HTMLDivElement>(null);

  // Keys the backend has listed as pending (their reservation exists, so a retry replays), the
  // last thing known about each, keys being checked, and keys with a final answer.
  const seen = useRef(new Set<string>());
  const known = useRef(new Map<string, Row>());
  const busy = useRef(new Set<string>());
  const settled = useRef(new Set<string>());
  const refreshSeq = useRef(0);
  const excludeRef = useRef(exclude);
  excludeRef.current = exclude;

  const pushOutcome = useCallback((o: PendingOutcome) => {
    setOutcomes((prev) => {
      const next = [o, ...prev.filter((p) => p.item.idempotencyKey !== o.item.idempotencyKey)];
      storeOutcomes(next);
      return next;
    });
    requestAnimationFrame(() => cardRef.current?.scrollIntoView?.({ block: 'nearest' }));
  }, []);

  const dismiss = useCallback((key: string) => {
    setOutcomes((prev) => {
      const next = prev.filter((p) => p.item.idempotencyKey !== key);
      storeOutcomes(next);
      return next;
    });
  }, []);

  const printTxn = useCallback(async (txnId: number) => {
    setPrints((p) => ({ ...p, [txnId]: { phase: 'printing' } }));
    try {
      const { job } = await call('print.txn', { txnId });
      setPrints((p) => ({ ...p, [txnId]: { phase: 'done', job } }));
    } catch {
      setPrints((p) => ({ ...p, [txnId]: { phase: 'error' } }));
    }
  }, []);

  const finish = useCallback((key: string) => {
    settled.current.add(key);
    seen.current.delete(key);
    known.current.delete(key);
    removeSetAside(key);
    setLocal(loadSetAside());
    setBackend((b) => b.filter((x) => x.idempotencyKey !== key));
  }, []);

  /** bill.pay with the payment's own key: the backend asks the central system, never pays twice. */
  const check = useCallback(
    async (row: Row, auto: boolean) => {
      const key = row.idempotencyKey;
      if (busy.current.has(key) || settled.current.has(key) || key === excludeRef.current) return;
      busy.current.add(key);
      setChecking((c) => ({ ...c, [key]: true }));
      setWaiting((w) => without(w, key));
      const at = new Date().toISOString();
      try {
        const txn = await call('bill.pay', {
          billId: row.billId,
          ...(row.chosenAmount ? { amount: row.chosenAmount } : {}),
          cashReceived: row.cashReceived,
          ...(row.confirmedPayee ? { confirmedPayee: row.confirmedPayee } : {}),
          idempotencyKey: key,
        });
        finish(key);
        pushOutcome({ kind: 'paid', item: summary(row), txnId: txn.txnId, serial: txn.serial, auto, at });
        afterPosting();
        // The slip is printed when the operator asked; one found settled on its own is printed
        // on request (the customer may be long gone).
        if (!auto) void printTxn(txn.txnId);
      } catch (e) {
        const err = e instanceof ApiError ? e : new ApiError('NETWORK', errorMessage(e, t));
        if (err.outcomeUnknown) {
          setWaiting((w) => ({ ...w, [key]: err }));
        } else if (err.notAnAnswer) {
          if (auto) {
            finish(key);
            pushOutcome({ kind: 'settled', item: summary(row), auto, at });
          } else setWaiting((w) => ({ ...w, [key]: err }));
        } else {
          // A final refusal: nothing was taken from the float, the customer gets the cash back.
          finish(key);
          pushOutcome({
            kind: 'refused',
            item: summary(row),
            code: err.code,
            message: err.message,
            auto,
            at,
          });
          afterPosting();
        }
      } finally {
        busy.current.delete(key);
        setChecking((c) => without(c, key));
      }
    },
    [afterPosting, finish, printTxn, pushOutcome, t],
  );

  const refresh = useCallback(async () => {
    const seq = ++refreshSeq.current;
    const exAtStart = excludeRef.current;
    let items: PendingPaymentDto[];
    try {
      items = (await call('payment.pending')).items;
    } catch (e) {
      if (seq === refreshSeq.current) {
        setListError(e);
        setLocal(loadSetAside());
      }
      return;
    }
    if (seq !== refreshSeq.current) return; // a newer look is on its way
    setListError(null);
    const ex = new Set([exAtStart, excludeRef.current].filter((k): k is string => !!k));
    const listed = new Set(items.map((i) => i.idempotencyKey));
    const localList = markSetAsideSeen(listed);
    for (const i of items) {
      if (ex.has(i.idempotencyKey) || settled.current.has(i.idempotencyKey)) continue;
      seen.current.add(i.idempotencyKey);
      known.current.set(i.idempotencyKey, fromDto(i));
    }
    for (const l of localList) {
      if (!l.seenPending || settled.current.has(l.idempotencyKey)) continue;
      seen.current.add(l.idempotencyKey);
      if (!known.current.has(l.idempotencyKey)) known.current.set(l.idempotencyKey, fromLocal(l));
    }
    setBackend(items);
    setLocal(localList);
    // Seen pending before, gone now: settled on its own (recovery) or elsewhere. Its reservation
    // exists, so bill.pay with its key replays what happened — it cannot start a new payment.
    for (const key of [...seen.current]) {
      if (listed.has(key) || ex.has(key) || busy.current.has(key)) continue;
      const row = known.current.get(key);
      if (row) void check(row, true);
      else seen.current.delete(key);
    }
  }, [check]);

  useEffect(() => {
    if (active) void refresh();
  }, [active, refresh, postingsVersion, exclude]);

  useEffect(() => {
    if (!active) return;
    const id = window.setInterval(() => void refresh(), PENDING_POLL_MS);
    return () => window.clearInterval(id);
  }, [active, refresh]);

  const hidden = (k: string) => k === exclude || settled.current.has(k);
  const listed = new Set(backend.map((b) => b.idempotencyKey));
  const rows: Row[] = [
    ...backend.filter((b) => !hidden(b.idempotencyKey)).map(fromDto),
    ...local.filter((l) => !listed.has(l.idempotencyKey) && !hidden(l.idempotencyKey)).map(fromLocal),
  ].sort((a, b) => a.createdAt.localeCompare(b.createdAt));

  return (
    <Card
      size="small"
      ref={cardRef}
      title={
        <span>
          {t('pending.title')} <Badge count={rows.length} showZero={false} data-testid="pending-count" />
        </span>
      }
      data-testid="pending-payments"
      data-count={rows.length}
    >
      <div className="pending-card">
        {outcomes.map((o) => (
          <OutcomeAlert
            key={o.item.idempotencyKey}
            outcome={o}
            print={o.kind === 'paid' ? prints[o.txnId] : undefined}
            onPrint={o.kind === 'paid' ? () => void printTxn(o.txnId) : undefined}
            onDismiss={() => dismiss(o.item.idempotencyKey)}
          />
        ))}
        {listError ? (
          <Alert
            type="warning"
            showIcon
            message={t('pending.listError')}
            description={errorMessage(listError, t)}
          />
        ) : null}
        {rows.length === 0 ? (
          <div className="muted" data-testid="pending-empty">
            {t('pending.empty')}
          </div>
        ) : (
          <ul className="pending-list" aria-label={t('pending.title')}>
            {rows.map((r) => {
              const w = waiting[r.idempotencyKey];
              return (
                <li
                  key={r.idempotencyKey}
                  className="pending-item"
                  data-testid="pending-item"
                  data-key={r.idempotencyKey}
                  data-account={r.accountNo}
                >
                  <div className="pending-head">
                    {t(serviceKey(r.service))} · {r.accountNo} · {r.payeeMasked}
                  </div>
                  <div className="pending-amounts">
                    <span>{t('pending.due', { amount: r.total })}</span>
                    <span>{t('pending.received', { amount: r.cashReceived })}</span>
                  </div>
                  <div className="muted pending-time">{localTime(r.createdAt)}</div>
                  {!r.onBackend && <div className="muted">{t('pending.localOnly')}</div>}
                  {w ? (
                    <div className="pending-waiting" data-testid="pending-waiting">
                      {w instanceof ApiError && w.outcomeUnknown ? t('pending.waiting') : errorMessage(w, t)}
                    </div>
                  ) : null}
                  <Button
                    size="small"
                    type="primary"
                    ghost
                    loading={!!checking[r.idempotencyKey]}
                    onClick={() => void check(r, false)}
                    data-testid="pending-check"
                  >
                    {t('pending.check')}
                  </Button>
                </li>
              );
            })}
          </ul>
        )}
        <div className="muted pending-note">{t('pending.note')}</div>
      </div>
    </Card>
  );
}
