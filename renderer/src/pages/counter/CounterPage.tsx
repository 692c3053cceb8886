// 收款台 — the counter, where the operator spends the day. One customer at a time:
//   service (F1–F4) → account (typed or scanned, Enter) → [an account with nothing due but a
//   customer-chosen amount (prepaid meter, phone top-up): the amount, within the limits, Enter]
//   → bill checked with the customer (SRV-2: Space ticks 已与客户核对, which the backend records
//   with `bill.confirmPayee`; its token goes with the payment) → cash received → call-back
//   收您/找您 (SRV-1, Enter) → paid, slip printed.
// Esc goes one step back. A payment whose outcome is unknown locks the flow until it is known:
// the only way on is a retry with the same idempotency key, which can never pay twice — or
// setting it aside (挂起, F9): it keeps its key and waits on the 待确认缴费 card, where
// 「查询结果」 retries it with that same key, while the counter serves the next customer.
// Long on purpose (about 730 lines): one state machine — the steps, the keyboard handler and the
// payment's key all share its state; each step's panel and the side column are their own files.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, Spin, type InputRef, type CheckboxRef } from 'antd';
import { Panel } from '../../components/Panel';
import { useTranslation } from 'react-i18next';
import type { TxnDto } from '../../../../shared/contract';
import type { ServiceId } from '../../../../shared/catalogue';
import { ACCOUNT_NO_RE } from '../../../../shared/catalogue';
import { call, ApiError, newIdempotencyKey } from '../../api';
import { cmpMoney } from '../../money';
import { useStation } from '../../app/station-context';
import { ErrorAlert } from '../../components/ErrorAlert';
import { usePrint } from '../../components/print-outcome';
import { TxnDetailDrawer } from '../../components/TxnDetailDrawer';
import { ServiceBar } from './ServiceBar';
import { BillCard, checkFloat } from './BillCard';
import { CashStep, checkCash, quickCashOptions, type CashCheck } from './CashStep';
import { CallbackPanel } from './CallbackPanel';
import { PaymentDone } from './PaymentDone';
import { StepDots, StepKeys, type CounterStep } from './KeyHelp';
import { SERIAL_RE, lookupSerial } from './SerialLookup';
import { FloatWarning } from '../../components/FloatWarning'; // PAY-4 (issue 4)
import { addSetAside, clearPending, loadPending, savePending } from './pending-payment';
import { checkAccountInput, toHalfWidth } from './account-input';
import { DayClosedNotice, useClosedDay } from './day-closed';
import { customerViewOf } from './customer-view';
import { isReprintLastKey, useReprintLast } from './reprint-last';
import { useCustomerFeed } from '../../app/customer-feed';
import { payableAsDue, useChosenAmount, type PayableBill } from './chosen-amount';
import { ChosenAmountStep } from './ChosenAmountStep';
import { lazyAfterFirstDraw } from '../../components/after-first-draw';
import { LabelledInput } from '../../components/fields';

// The side column, drawn just after the counter from a chunk of its own; its column keeps its
// width meanwhile, so nothing moves.
const CounterSide = lazyAfterFirstDraw(() => import('./CounterSide'), <aside className="counter-side" />);

type Step = CounterStep;
/** SRV-2 refusals of a payment: the bill is to be checked with the customer again. */
const PAYEE_CODES = new Set(['PAYEE_NOT_CONFIRMED', 'PAYEE_CONFIRMATION_EXPIRED', 'PAYEE_CONFIRMATION_USED']);
const FKEYS = ['F1', 'F2', 'F3', 'F4'];
// F5 reloads a browser window, F6/F7 belong to the browser: the quick amounts are on F8/F9.
const QUICK_KEYS = ['F8', 'F9'];

export function CounterPage({ active }: { active: boolean }) {
  const { t } = useTranslation();
  const { catalogue, navigate, afterPosting, station } = useStation();
  const offered = useMemo(() => catalogue.filter((c) => c.trained), [catalogue]);

  // The first service offered from the first draw (the effect below keeps it one that is offered).
  const [service, setService] = useState<ServiceId | null>(() => offered[0]?.id ?? null);
  const [step, setStep] = useState<Step>('account');
  const [account, setAccount] = useState('');
  const [inquiring, setInquiring] = useState(false);
  const [inquiryError, setInquiryError] = useState<unknown>(null);
  /** Spaces or hyphens were taken out of the typed number (said, never silent). */
  const [accountCleaned, setAccountCleaned] = useState(false);
  /** The bill being paid, at its amount due or at the customer's chosen amount. */
  const [bill, setBill] = useState<PayableBill | null>(null);
  /** The amount step: an account with nothing due that takes a customer-chosen amount. */
  const chosen = useChosenAmount();
  const { start: startChosen, reset: resetChosen, submit: submitChosen } = chosen;
  const [verified, setVerified] = useState(false);
  /** SRV-2: the backend's record of the tick (bill.confirmPayee); `bill.pay` sends its token. */
  const [payee, setPayee] = useState<string | null>(null);
  /** The confirmation could not be recorded, or the payment found it no longer good. */
  const [verifyError, setVerifyError] = useState<unknown>(null);
  const [nudge, setNudge] = useState(false);
  const [cash, setCash] = useState('');
  const [cashError, setCashError] = useState<CashCheck | null>(null);
  const [confirmed, setConfirmed] = useState<{ cash: string; change: string } | null>(null);
  const [paying, setPaying] = useState(false);
  const [payError, setPayError] = useState<unknown>(null);
  const [paid, setPaid] = useState<TxnDto | null>(null);
  const [found, setFound] = useState<TxnDto | null>(null);
  /** Said once after a payment is set aside, until the next bill is looked up. */
  const [setAsideNote, setSetAsideNote] = useState<{
    service: string;
    account: string;
    total: string;
  } | null>(null);
  const printer = usePrint();
  const reprintLast = useReprintLast(printer.reprint);

  // The idempotency key of the current confirmation, and the in-flight guard. Refs, not state:
  // a double click or a held Enter arrives before React re-renders.
  const payKey = useRef<string | null>(null);
  const flying = useRef(false);
  const inquirySeq = useRef(0);
  // The confirmation being recorded (started by the tick, awaited by Enter) and its generation:
  // un-ticking or another bill makes an answer still on its way stale.
  const confirmSeq = useRef(0);
  const confirming = useRef<Promise<string | null> | null>(null);
  const goingToCash = useRef(false);

  const accountRef = useRef<InputRef>(null);
  const verifyRef = useRef<CheckboxRef>(null);
  const cashRef = useRef<InputRef>(null);
  const amountRef = useRef<InputRef>(null);
  const panelRef = useRef<HTMLDivElement>(null);

  const unknownOutcome = payError instanceof ApiError && payError.outcomeUnknown;
  const locked = paying || unknownOutcome;
  const closedDay = useClosedDay(active);
  /** A final refusal after the cash was taken: the cash goes back before anything else. */
  const refused = step === 'callback' && !!payError && !unknownOutcome && !paying;
  const canSetAside = step === 'callback' && unknownOutcome && !paying;
  // The customer-facing display mirrors this (issue 13).
  useCustomerFeed(
    customerViewOf({
      step,
      bill,
      confirmed,
      refused,
      unknown: unknownOutcome,
      paid,
      training: station?.training === true,
    }),
  );

  // A payment confirmed before a reload whose outcome was never seen: reopen it, locked, so the
  // only way on is a retry with its key.
  useEffect(() => {
    const p = loadPending();
    if (!p) return;
    setService(p.bill.service);
    setAccount(p.bill.accountNo);
    setBill(p.bill);
    setVerified(true);
    setPayee(p.confirmedPayee ?? null);
    setCash(p.cash);
    setConfirmed({ cash: p.cash, change: p.change });
    payKey.current = p.idempotencyKey;
    setPayError(new ApiError('IN_PROGRESS', t('counter.recovered')));
    setStep('callback');
  }, [t]);

  // Default service: the first one this operator may take.
  useEffect(() => {
    if (!service || !offered.some((o) => o.id === service)) setService(offered[0]?.id ?? null);
  }, [offered, service]);

  /** Set when Esc goes back to the account number: the number is then selected with the focus. */
  const selectAccount = useRef(false);

  // Each step puts the focus where the next key belongs, as the step is drawn (not at a later
  // frame, which a key typed in between would beat).
  useLayoutEffect(() => {
    if (!active) return;
    const select = selectAccount.current;
    selectAccount.current = false;
    if (step === 'account') {
      accountRef.current?.focus();
      if (select) accountRef.current?.select();
    } else if (step === 'amount') amountRef.current?.focus();
    else if (step === 'bill') verifyRef.current?.focus();
    else if (step === 'cash') cashRef.current?.focus();
    else panelRef.current?.focus();
  }, [step, active]);

  /** Not (or no longer) checked with the customer: the tick and its confirmation go. */
  const resetVerify = useCallback(() => {
    confirmSeq.current++;
    confirming.current = null;
    setVerified(false);
    setPayee(null);
    setVerifyError(null);
  }, []);

  /** SRV-2, the tick (Space or a click): recorded by the backend at once; its token is awaited
   *  by Enter. Un-ticking drops it. */
  const verify = useCallback(
    (on: boolean) => {
      if (!on || !bill) {
        resetVerify();
        return;
      }
      const seq = ++confirmSeq.current;
      setVerified(true);
      setPayee(null);
      setVerifyError(null);
      setNudge(false);
      const p = call('bill.confirmPayee', {
        billId: bill.billId,
        payeeMasked: bill.payeeMasked,
        amount: bill.amountDue,
      }).then(
        (r) => {
          if (seq !== confirmSeq.current) return null;
          setPayee(r.confirmedPayee);
          return r.confirmedPayee;
        },
        (e: unknown) => {
          if (seq !== confirmSeq.current) return null;
          setVerified(false);
          setVerifyError(e);
          return null;
        },
      );
      confirming.current = p;
    },
    [bill, resetVerify],
  );

  const startOver = useCallback(
    (keepService = true) => {
      inquirySeq.current++;
      setStep('account');
      setAccount('');
      setAccountCleaned(false);
      setInquiring(false);
      setInquiryError(null);
      setBill(null);
      resetChosen();
      resetVerify();
      setCash('');
      setCashError(null);
      setConfirmed(null);
      setPayError(null);
      setPaid(null);
      payKey.current = null;
      printer.reset();
      if (!keepService) setService(null);
      requestAnimationFrame(() => accountRef.current?.focus());
    },
    [printer, resetChosen, resetVerify],
  );

  const inquire = useCallback(
    async (svc: ServiceId, acct: string) => {
      const seq = ++inquirySeq.current;
      setInquiring(true);
      setInquiryError(null);
      try {
        const b = await call('bill.inquire', { service: svc, account: acct });
        if (seq !== inquirySeq.current) return; // the operator moved on
        // Nothing due: the customer's chosen amount first (the amount step), then the bill card.
        const due = payableAsDue(b);
        setBill(due);
        startChosen(due ? null : b);
        resetVerify();
        setNudge(false);
        setCash('');
        setCashError(null);
        setConfirmed(null);
        setPayError(null);
        payKey.current = null;
        setSetAsideNote(null);
        setStep(due ? 'bill' : 'amount');
      } catch (e) {
        if (seq === inquirySeq.current) {
          setInquiryError(e);
          // The number stays, selected: the next key (a corrected or a new number) replaces it.
          // Selected now, not at the next frame: a key the operator types as the refusal shows
          // would otherwise land before the selection and be replaced by the next one.
          accountRef.current?.focus({ cursor: 'all' });
        }
      } finally {
        if (seq === inquirySeq.current) setInquiring(false);
      }
    },
    [startChosen, resetVerify],
  );

  const submitAccount = useCallback(async () => {
    const a = account.trim();
    if (SERIAL_RE.test(a)) {
      // A scanned receipt, not an account: open it for reversal or reprint.
      try {
        setFound(await lookupSerial(a));
        setAccount('');
        setInquiryError(null);
      } catch (e) {
        setInquiryError(e);
      }
      return;
    }
    if (!service) return;
    if (closedDay) return; // said above the field; the other screens still work
    const checked = checkAccountInput(a);
    if (!checked.ok) {
      setInquiryError(
        new ApiError(
          'INVALID_INPUT',
          t('counter.accountBadChar', { char: checked.bad, position: checked.position }),
        ),
      );
      accountRef.current?.focus({ cursor: 'all' });
      return;
    }
    if (checked.dropped) {
      setAccount(checked.account);
      setAccountCleaned(true);
    }
    if (!ACCOUNT_NO_RE.test(checked.account)) {
      setInquiryError(new ApiError('INVALID_INPUT', t('counter.badAccount')));
      accountRef.current?.focus({ cursor: 'all' });
      return;
    }
    await inquire(service, checked.account);
  }, [account, service, inquire, t, closedDay]);

  /** Enter on the amount step: the bill card at the customer's amount (when within the limits). */
  const submitAmount = useCallback(() => {
    const p = submitChosen();
    if (!p) return;
    // The amount due typed as the "other" amount: that is paying the bill.
    const offer = chosen.offer;
    if (offer?.amountDue != null && cmpMoney(p.amountDue, offer.amountDue) === 0) {
      setBill(payableAsDue(offer));
      resetChosen();
      resetVerify();
      setNudge(false);
      setStep('bill');
      return;
    }
    setBill(p);
    resetVerify();
    setNudge(false);
    setStep('bill');
  }, [submitChosen, resetVerify, chosen.offer, resetChosen]);

  /** 其他金额 (+) on a bill that is due: the customer pays another amount (交200元电费), when the
   *  biller takes chosen amounts. The bill stays due; Esc on the amount step comes back to it. */
  const canOtherAmount = step === 'bill' && !!bill?.choose && bill.chosenAmount === null && !locked;
  const otherAmount = useCallback(() => {
    if (!canOtherAmount || !bill) return;
    startChosen(bill);
    resetVerify();
    setNudge(false);
    setStep('amount');
  }, [canOtherAmount, bill, startChosen, resetVerify]);

  /** Enter on the bill: on to the cash once the tick is recorded (its token in hand). */
  const goCash = useCallback(async () => {
    if (!bill || goingToCash.current) return;
    if (checkFloat(bill).level === 'short') return;
    if (!verified) {
      setNudge(true);
      return;
    }
    if (payee) {
      setStep('cash');
      return;
    }
    // Ticked, but nothing recorded or on its way (a payment reopened from before confirmations):
    // record it now.
    if (!confirming.current) verify(true);
    const seq = confirmSeq.current;
    goingToCash.current = true;
    try {
      const token = await confirming.current;
      if (token && seq === confirmSeq.current) setStep('cash');
    } finally {
      goingToCash.current = false;
    }
  }, [bill, verified, payee, verify]);

  const submitCash = useCallback(
    (value = cash) => {
      if (!bill) return;
      const c = checkCash(value, bill.total);
      setCashError(c.ok ? null : c);
      if (!c.ok) return;
      setCash(c.cash);
      setConfirmed({ cash: c.cash, change: c.change });
      setPayError(null);
      payKey.current = null;
      setStep('callback');
    },
    [bill, cash],
  );

  const confirmPay = useCallback(async () => {
    if (step !== 'callback' || !bill || !confirmed || flying.current) return;
    flying.current = true;
    setPaying(true);
    // The key is made when the operator confirms and reused for every retry of this
    // confirmation; after a final refusal a new confirmation gets a new key.
    const reuse = payError instanceof ApiError && payError.outcomeUnknown;
    if (!payKey.current || !reuse) payKey.current = newIdempotencyKey();
    savePending({
      idempotencyKey: payKey.current,
      bill,
      cash: confirmed.cash,
      change: confirmed.change,
      confirmedPayee: payee,
      confirmedAt: new Date().toISOString(),
    });
    try {
      const txn = await call('bill.pay', {
        billId: bill.billId,
        ...(bill.chosenAmount ? { amount: bill.chosenAmount } : {}),
        cashReceived: confirmed.cash,
        ...(payee ? { confirmedPayee: payee } : {}),
        idempotencyKey: payKey.current,
      });
      clearPending();
      setPaid(txn);
      setPayError(null);
      setStep('done');
      afterPosting();
      void printer.print(txn.txnId);
    } catch (e) {
      // A final answer (a refusal) ends the pending record; an unknown outcome keeps it.
      if (!(e instanceof ApiError && e.outcomeUnknown)) clearPending();
      if (e instanceof ApiError && e.code === 'INSUFFICIENT_FLOAT') afterPosting();
      if (e instanceof ApiError && PAYEE_CODES.has(e.code)) {
        // SRV-2: the check with the customer is no longer good (expired, say): nothing was paid;
        // back to the bill, to check it with them again (Space, Enter) — the cash typed stays.
        resetVerify();
        setVerifyError(e);
        setPayError(null);
        payKey.current = null;
        setStep('bill');
      } else setPayError(e);
    } finally {
      flying.current = false;
      setPaying(false);
    }
  }, [step, bill, confirmed, payError, payee, afterPosting, printer, resetVerify]);

  // 挂起: the unknown payment keeps its key and moves to 待确认缴费; the counter is free again.
  // Only between attempts (never while a request is in flight), and never retried with a new key.
  const setAside = useCallback(() => {
    if (!canSetAside || flying.current || !bill || !confirmed || !payKey.current) return;
    const stored = loadPending();
    addSetAside({
      idempotencyKey: payKey.current,
      bill,
      cash: confirmed.cash,
      change: confirmed.change,
      confirmedPayee: payee,
      confirmedAt: stored?.idempotencyKey === payKey.current ? stored.confirmedAt : new Date().toISOString(),
      setAsideAt: new Date().toISOString(),
    });
    clearPending();
    startOver();
    setSetAsideNote({ service: t(`service.${bill.service}`), account: bill.accountNo, total: bill.total });
  }, [canSetAside, bill, confirmed, payee, startOver, t]);

  const reinquire = useCallback(() => {
    if (bill) void inquire(bill.service, bill.accountNo);
  }, [bill, inquire]);

  const toTopUp = useCallback(
    (shortfall?: string) => navigate('topup', shortfall ? { shortfall } : {}),
    [navigate],
  );

  const selectService = useCallback(
    (id: ServiceId) => {
      if (locked) return;
      const keepAccount = step === 'account' ? account : '';
      startOver();
      setService(id);
      setAccount(keepAccount);
    },
    [locked, step, account, startOver],
  );

  const back = useCallback(() => {
    if (locked) return;
    if (step === 'account') {
      inquirySeq.current++;
      setInquiring(false);
      setAccount('');
      setInquiryError(null);
    } else if (step === 'amount' && chosen.offer?.amountDue != null) {
      // Another amount for a bill that is due: back to paying the amount due.
      setBill(payableAsDue(chosen.offer));
      resetChosen();
      resetVerify();
      setStep('bill');
    } else if (step === 'amount' || (step === 'bill' && !chosen.offer)) {
      if (step === 'amount') resetChosen();
      // The number stays, selected as the account step is drawn: the next key replaces it.
      selectAccount.current = true;
      setStep('account');
    } else if (step === 'bill') {
      setStep('amount');
    } else if (step === 'cash') {
      setCashError(null);
      setStep('bill');
    } else if (step === 'callback') {
      payKey.current = null;
      setPayError(null);
      setStep('cash');
    } else startOver();
  }, [locked, step, startOver, chosen.offer, resetChosen, resetVerify]);

  // One keyboard handler for the whole counter; the latest closure is read through a ref.
  const onKey = (e: KeyboardEvent) => {
    if (!active || e.defaultPrevented) return;
    const target = e.target as HTMLElement | null;
    if (target?.closest('.ant-modal-root, .ant-drawer, .ant-select-dropdown, .ant-dropdown')) return;
    if (found) return; // a receipt drawer is open
    if (isReprintLastKey(e)) {
      e.preventDefault(); // not the browser's print dialog
      if (step === 'account' || step === 'done') void reprintLast();
      return;
    }
    if (FKEYS.includes(e.key)) {
      e.preventDefault();
      // A service keeps its key whoever is at the counter; an untrained one is refused (PPL-2).
      const item = catalogue.find((c) => c.hotkey === e.key);
      if (item?.trained) selectService(item.id);
      else if (item && !locked && step === 'account')
        setInquiryError(
          new ApiError('NOT_TRAINED', t('counter.notTrained', { service: t(`service.${item.id}`) })),
        );
      return;
    }
    if (step === 'cash' && QUICK_KEYS.includes(e.key) && bill) {
      e.preventDefault();
      const q = quickCashOptions(bill.total, t).find((o) => o.key === e.key);
      if (q && cmpMoney(q.amount, bill.total) >= 0) {
        setCash(q.amount);
        setCashError(null);
      }
      return;
    }
    if (e.key === 'F9') {
      e.preventDefault();
      setAside();
      return;
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      back();
      return;
    }
    // + on the bill (the focus is on the 已核对 tick, a checkbox): pay another amount.
    const typing = target instanceof HTMLInputElement && target.type !== 'checkbox';
    if (e.key === '+' && canOtherAmount && !typing) {
      e.preventDefault();
      otherAmount();
      return;
    }
    if (e.key === ' ' && step === 'bill' && target?.tagName !== 'INPUT' && target?.tagName !== 'BUTTON') {
      e.preventDefault();
      if (bill && checkFloat(bill).level !== 'short') verify(!verified);
      return;
    }
    if (e.key !== 'Enter') return;
    // A held-down Enter repeats: it must not walk through the steps or confirm twice.
    if (e.repeat || (target?.tagName === 'BUTTON' && !target.closest('.counter-flow'))) return;
    e.preventDefault();
    if (step === 'account') {
      if (!inquiring) void submitAccount();
    } else if (step === 'amount') submitAmount();
    else if (step === 'bill') void goCash();
    else if (step === 'cash') submitCash();
    else if (step === 'callback' && refused) startOver();
    else if (step === 'callback') void confirmPay();
    else if (step === 'done') startOver();
  };
  const onKeyRef = useRef(onKey);
  onKeyRef.current = onKey;
  useEffect(() => {
    const h = (e: KeyboardEvent) => onKeyRef.current(e);
    window.addEventListener('keydown', h);
    return () => window.removeEventListener('keydown', h);
  }, []);

  return (
    <div className="counter" data-testid="counter" data-step={step}>
      <div className="counter-main">
        <FloatWarning />
        <ServiceBar items={catalogue} selected={service} disabled={locked} onSelect={selectService} />
        <Panel className="counter-flow" ref={panelRef} tabIndex={-1}>
          <StepDots step={step} withAmount={!!chosen.offer} />

          {step === 'account' && setAsideNote && (
            <Alert
              type="info"
              showIcon
              closable
              onClose={() => setSetAsideNote(null)}
              data-testid="set-aside-note"
              message={t('pending.setAsideDone', setAsideNote)}
              style={{ marginBottom: 12 }}
            />
          )}
          {closedDay && step === 'account' && <DayClosedNotice day={closedDay} />}
          {(step === 'account' || step === 'amount' || step === 'bill') && (
            <div className="account-row">
              <LabelledInput
                id="account-input"
                label={t('counter.account')}
                ref={accountRef}
                size="large"
                className="account-input"
                autoComplete="off"
                inputMode="numeric"
                value={account}
                disabled={step !== 'account'}
                maxLength={32}
                onChange={(e) => {
                  // Full-width digits become digits (visibly, in the field); nothing is deleted here.
                  setAccount(toHalfWidth(e.target.value));
                  setAccountCleaned(false);
                  setInquiryError(null);
                }}
                placeholder={t('counter.accountPlaceholder')}
                data-testid="account-input"
                // Always a suffix: adding one later re-creates the input and loses the focus.
                suffix={<span className="account-suffix">{inquiring ? <Spin size="small" /> : null}</span>}
              />
              {accountCleaned && (
                <div className="muted" data-testid="account-cleaned">
                  {t('counter.accountCleaned')}
                </div>
              )}
              {inquiring && <div className="muted">{t('counter.inquiring')}</div>}
              {inquiryError ? <ErrorAlert error={inquiryError} /> : null}
            </div>
          )}

          {step === 'amount' && chosen.offer?.choose && (
            <ChosenAmountStep
              ref={amountRef}
              offer={{ ...chosen.offer, choose: chosen.offer.choose }}
              value={chosen.input}
              error={chosen.error}
              onChange={chosen.change}
              onSubmit={submitAmount}
            />
          )}
          {step === 'bill' && bill && (
            <BillCard
              ref={verifyRef}
              bill={bill}
              verified={verified}
              verifyEnabled={checkFloat(bill).level !== 'short'}
              nudge={nudge}
              onVerify={verify}
              onTopUp={toTopUp}
              billDue={bill.chosenAmount ? chosen.offer?.amountDue : null}
              onOtherAmount={canOtherAmount ? otherAmount : undefined}
            />
          )}
          {step === 'bill' && verifyError ? (
            <div data-testid="verify-error">
              <ErrorAlert error={verifyError} />
            </div>
          ) : null}
          {step === 'bill' && bill && (
            <Button
              type="primary"
              size="large"
              disabled={!verified || checkFloat(bill).level === 'short'}
              onClick={() => void goCash()}
              tabIndex={-1}
              data-testid="to-cash"
            >
              <kbd>Enter</kbd> {t('counter.toCash')}
            </Button>
          )}

          {step === 'cash' && bill && (
            <>
              <CashStep
                ref={cashRef}
                bill={bill}
                value={cash}
                error={cashError}
                onChange={(v) => {
                  setCash(v);
                  setCashError(null);
                }}
                onQuick={(amount) => {
                  setCash(amount);
                  setCashError(null);
                  cashRef.current?.focus();
                }}
              />
              <Button
                type="primary"
                size="large"
                onClick={() => submitCash()}
                tabIndex={-1}
                data-testid="to-callback"
                style={{ marginTop: 12 }}
              >
                <kbd>Enter</kbd> {t('counter.toCallback')}
              </Button>
            </>
          )}

          {step === 'callback' && bill && confirmed && (
            <CallbackPanel
              bill={bill}
              cash={confirmed.cash}
              change={confirmed.change}
              busy={paying}
              error={payError}
              onConfirm={() => void confirmPay()}
              onSetAside={canSetAside ? setAside : undefined}
              onBack={back}
              onTopUp={toTopUp}
              onReinquire={reinquire}
              onRefunded={() => startOver()}
            />
          )}

          {step === 'done' && paid && (
            <PaymentDone
              txn={paid}
              print={printer.state}
              onReprint={() => void printer.reprint(paid.txnId)}
              onNext={() => startOver()}
            />
          )}

          <StepKeys
            step={step}
            unknownOutcome={unknownOutcome}
            otherAmount={canOtherAmount}
            backToDue={step === 'amount' && chosen.offer?.amountDue != null}
          />
        </Panel>
        {offered.length === 0 && catalogue.length > 0 && (
          <Alert type="warning" showIcon message={t('counter.noServices')} />
        )}
      </div>
      <CounterSide active={active} exclude={step === 'callback' ? payKey.current : null} onFound={setFound} />
      <TxnDetailDrawer txn={found} open={!!found} onClose={() => setFound(null)} />
    </div>
  );
}
