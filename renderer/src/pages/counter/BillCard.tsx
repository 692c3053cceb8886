// SRV-2: the bill as the central system returned it — payee (masked), amount due, the fee from
// the catalogue (SRV-4, shown even when 0.00), the total and the float left after this payment.
// The operator reads it back to the customer and ticks 已与客户核对 before any cash is taken.
// A customer-chosen amount (prepaid meter, phone top-up) shows here as the amount, with its limits.
// A bill due at a biller that also takes chosen amounts offers 其他金额 (the + key).
import { forwardRef } from 'react';
import { Alert, Button, Checkbox, type CheckboxRef } from 'antd';
import { useTranslation } from 'react-i18next';
import { Money } from '../../components/Money';
import { absMoney, cmpMoney, isNegative } from '../../money';
import type { PayableBill } from './chosen-amount';
import { BillHead, BillWho } from './bill-head';

/** Below this float (yuan) after a payment, warn: the next customers may be refused (PAY-4). */
export const LOW_FLOAT_AFTER = '300.00';

export type FloatCheck = { level: 'ok' } | { level: 'low' } | { level: 'short'; shortfall: string };

export function checkFloat(bill: PayableBill): FloatCheck {
  if (isNegative(bill.floatAfter)) return { level: 'short', shortfall: absMoney(bill.floatAfter) };
  if (cmpMoney(bill.floatAfter, LOW_FLOAT_AFTER) < 0) return { level: 'low' };
  return { level: 'ok' };
}

interface Props {
  bill: PayableBill;
  verified: boolean;
  verifyEnabled: boolean;
  nudge: boolean;
  onVerify: (v: boolean) => void;
  onTopUp: (shortfall?: string) => void;
  /** The bill's own amount due when a chosen amount is paid instead (it stays due). */
  billDue?: string | null;
  /** Set when the customer may pay another amount than the amount due (the + key). */
  onOtherAmount?: () => void;
}

export const BillCard = forwardRef<CheckboxRef, Props>(function BillCard(
  { bill, verified, verifyEnabled, nudge, onVerify, onTopUp, billDue, onOtherAmount },
  ref,
) {
  const { t } = useTranslation();
  const fc = checkFloat(bill);
  return (
    <div className="bill-card" data-testid="bill-card">
      <BillHead bill={bill} />
      <div className="bill-grid">
        <BillWho bill={bill} testIds="bill" />
        <div className="bill-label">{t('bill.period')}</div>
        <div className="bill-value">{bill.period ?? t('bill.noPeriod')}</div>
        <div className="bill-label">{t(bill.chosenAmount ? 'bill.chosenAmount' : 'bill.amountDue')}</div>
        <div className="bill-value">
          <Money value={bill.amountDue} size="lg" testId="bill-amount" />
          {bill.chosenAmount && bill.choose && (
            <span className="muted" data-testid="bill-limits">
              {' '}
              {t('bill.limits', { min: bill.choose.min, max: bill.choose.max })}
            </span>
          )}
          {onOtherAmount && (
            <Button
              size="small"
              onClick={onOtherAmount}
              tabIndex={-1}
              style={{ marginLeft: 12 }}
              data-testid="other-amount"
            >
              <kbd>+</kbd> {t('bill.otherAmount')}
            </Button>
          )}
          {bill.chosenAmount && billDue && (
            <div className="muted" data-testid="bill-due-not-settled">
              {t('bill.dueNotSettled', { due: billDue })}
            </div>
          )}
        </div>
        <div className="bill-label">{t('bill.fee')}</div>
        <div className="bill-value">
          <Money value={bill.fee} testId="bill-fee" />
          <span className="muted"> {t('bill.feeNote')}</span>
        </div>
        <div className="bill-label bill-total-label">{t('bill.total')}</div>
        <div className="bill-value">
          <Money value={bill.total} size="xl" testId="bill-total" />
        </div>
        <div className="bill-label">{t('bill.floatAfter')}</div>
        <div className="bill-value">
          <Money
            value={bill.floatAfter}
            tone={fc.level === 'short' ? 'danger' : fc.level === 'low' ? 'warn' : undefined}
            testId="bill-float-after"
          />
        </div>
      </div>
      {fc.level === 'short' && (
        <Alert
          type="error"
          showIcon
          data-testid="float-short"
          message={t('bill.floatShort', { shortfall: fc.shortfall })}
          description={t('bill.floatShortHint')}
          action={
            <Button danger onClick={() => onTopUp(fc.shortfall)} data-testid="goto-topup">
              {t('bill.gotoTopUp')}
            </Button>
          }
        />
      )}
      {fc.level === 'low' && (
        <Alert
          type="warning"
          showIcon
          data-testid="float-low"
          message={t('bill.floatLow', { amount: bill.floatAfter })}
        />
      )}
      <div className={`verify-row${verified ? ' verified' : nudge ? ' nudge' : ''}`}>
        <Checkbox
          ref={ref}
          checked={verified}
          disabled={!verifyEnabled}
          onChange={(e) => onVerify(e.target.checked)}
          data-testid="verify-check"
        >
          <span className="verify-text">{t('bill.verify')}</span>
        </Checkbox>
        <div className="muted">{t('bill.verifyHint')}</div>
      </div>
    </div>
  );
});
