// SRV-1, first half: what the customer hands over. Keypad digits, or a quick amount: F8 exact,
// F9 the next round amount above the bill (keys that work in Electron and in a browser, where F5
// reloads, F6 and F7 belong to the browser — issue 13), and the next ￥100 as a button. Less than the bill and its fee is refused here,
// before anything is sent.
import { forwardRef } from 'react';
import Decimal from 'decimal.js';
import { Button, type InputRef } from 'antd';
import { AmountInput } from '../../components/fields';
import { useTranslation } from 'react-i18next';
import { Money } from '../../components/Money';
import {
  ceilToStep,
  cmpMoney,
  normalizeMoney,
  readTypedAmount,
  subMoney,
  type TypedAmountFault,
} from '../../money';
import type { PayableBill } from './chosen-amount';
import { AmountPreview, AmountRefusal, typedFaultMessage } from './typed-amount';

export interface QuickCash {
  key: string;
  amount: string;
  label: string;
}

/** One fen more: the next round amount must be strictly above an amount that is already round. */
function addCent(a: string): string {
  return new Decimal(a).plus('0.01').toFixed(2);
}

export function quickCashOptions(
  total: string,
  t: (k: string, o?: Record<string, unknown>) => string,
): QuickCash[] {
  const exact = normalizeMoney(total) ?? total;
  const opts: QuickCash[] = [{ key: 'F8', amount: exact, label: t('cash.exact') }];
  // Never greyed out: the smallest round amount (a multiple of ￥50) above the bill, then ￥100's.
  let round = ceilToStep(exact, 50);
  if (cmpMoney(round, exact) === 0) round = ceilToStep(addCent(exact), 50);
  opts.push({ key: 'F9', amount: round, label: t('cash.round', { amount: round.replace(/\.00$/, '') }) });
  const hundred = ceilToStep(addCent(round), 100);
  opts.push({ key: '', amount: hundred, label: t('cash.round', { amount: hundred.replace(/\.00$/, '') }) });
  return opts;
}

export type CashCheck =
  | { ok: true; cash: string; change: string }
  | { ok: false; reason: TypedAmountFault }
  | { ok: false; reason: 'short'; missing: string };

export function checkCash(input: string, total: string): CashCheck {
  // Said for what it is (issue 13 problem 10): nothing received, a minus sign, or not an amount.
  const typed = readTypedAmount(input);
  if (!typed.ok) return typed;
  const cash = typed.amount;
  if (cmpMoney(cash, total) < 0) return { ok: false, reason: 'short', missing: subMoney(total, cash) };
  return { ok: true, cash, change: subMoney(cash, total) };
}

interface Props {
  bill: PayableBill;
  value: string;
  error: CashCheck | null;
  onChange: (v: string) => void;
  onQuick: (amount: string) => void;
}

export const CashStep = forwardRef<InputRef, Props>(function CashStep(
  { bill, value, error, onChange, onQuick },
  ref,
) {
  const { t } = useTranslation();
  const preview = value ? checkCash(value, bill.total) : null;
  return (
    <div className="cash-step" data-testid="cash-step">
      <div className="cash-due">
        <span className="cash-due-label">{t('cash.due')}</span>
        <Money value={bill.total} size="xl" testId="cash-due" />
      </div>
      <AmountInput
        id="cash-input"
        label={t('cash.received')}
        ref={ref}
        value={value}
        onChange={onChange}
        placeholder={t('cash.placeholder')}
        data-testid="cash-input"
      />
      <div className="quick-cash">
        {quickCashOptions(bill.total, t).map((q) => (
          <Button
            key={q.amount + q.key}
            size="large"
            disabled={cmpMoney(q.amount, bill.total) < 0}
            onClick={() => onQuick(q.amount)}
            data-testid={`quick-${q.amount}`}
            tabIndex={-1}
          >
            {q.key && <kbd>{q.key}</kbd>} {q.label}
          </Button>
        ))}
      </div>
      {preview?.ok && (
        <AmountPreview testId="change-preview" label={t('cash.changePreview')} value={preview.change} />
      )}
      {error && !error.ok && (
        <AmountRefusal
          testId="cash-error"
          code={error.reason === 'short' ? 'CASH_SHORT' : 'INVALID_INPUT'}
          message={
            error.reason === 'short'
              ? t('cash.short', {
                  total: bill.total,
                  cash: normalizeMoney(value) ?? value,
                  missing: error.missing,
                })
              : typedFaultMessage(t, 'cash', error.reason)
          }
        />
      )}
    </div>
  );
});
