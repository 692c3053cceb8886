// The amount step of a customer-chosen amount (prepaid meter, phone top-up): the account and
// payee as looked up, the biller's limits, and the amount the customer asks for — typed, Enter
// goes on to the bill card at that amount. Out of the limits is refused here, in Chinese, before
// anything is sent (the backend refuses it again: AMOUNT_OUT_OF_RANGE). A bill with an amount due
// comes here when the customer asks to pay another amount (交200元电费): the amount due is shown,
// and that a chosen amount is credited to the account without settling the bill.
import { forwardRef } from 'react';
import { Alert, Button, type InputRef } from 'antd';
import { AmountInput } from '../../components/fields';
import { useTranslation } from 'react-i18next';
import type { BillDto } from '../../../../shared/contract';
import { Money } from '../../components/Money';
import { addMoney } from '../../money';
import { checkChosenAmount, type AmountCheck } from './chosen-amount';
import { AmountPreview, AmountRefusal, typedFaultMessage } from './typed-amount';
import { BillHead, BillWho } from './bill-head';

interface Props {
  offer: BillDto & { choose: NonNullable<BillDto['choose']> };
  value: string;
  error: AmountCheck | null;
  onChange: (v: string) => void;
  /** Enter (or the button): on to the bill card at this amount. */
  onSubmit: () => void;
}

export const ChosenAmountStep = forwardRef<InputRef, Props>(function ChosenAmountStep(
  { offer, value, error, onChange, onSubmit },
  ref,
) {
  const { t } = useTranslation();
  const { min, max } = offer.choose;
  const preview = value ? checkChosenAmount(value, offer.choose) : null;
  return (
    <div className="bill-card chosen-step" data-testid="chosen-amount-step">
      <BillHead bill={offer} />
      <div className="bill-grid">
        <BillWho bill={offer} testIds="chosen" />
        {offer.amountDue !== null && (
          <>
            <div className="bill-label">{t('chosen.dueLabel')}</div>
            <div className="bill-value">
              <Money value={offer.amountDue} testId="chosen-due" />
            </div>
          </>
        )}
        <div className="bill-label">{t('chosen.limitsLabel')}</div>
        <div className="bill-value" data-testid="chosen-limits">
          {t('chosen.limits', { min, max })}
        </div>
        <div className="bill-label">{t('bill.fee')}</div>
        <div className="bill-value">
          <Money value={offer.fee} testId="chosen-fee" />
        </div>
      </div>
      <Alert
        type="info"
        showIcon
        data-testid="chosen-hint"
        message={
          offer.amountDue === null
            ? t('chosen.hint', { min, max })
            : t('chosen.hintDue', { min, max, due: offer.amountDue })
        }
        style={{ margin: '12px 0' }}
      />
      <AmountInput
        id="chosen-amount-input"
        label={t('chosen.label')}
        ref={ref}
        value={value}
        onChange={onChange}
        placeholder={t('chosen.placeholder')}
        aria-describedby="chosen-limits-note"
        data-testid="chosen-amount-input"
      />
      <div id="chosen-limits-note" className="muted">
        {t('bill.limits', { min, max })}
      </div>
      {preview?.ok && (
        <AmountPreview
          testId="chosen-total-preview"
          label={t('chosen.totalPreview')}
          value={addMoney(preview.amount, offer.fee)}
        />
      )}
      {error && !error.ok && (
        <AmountRefusal
          testId="chosen-amount-error"
          code={error.reason === 'range' ? 'AMOUNT_OUT_OF_RANGE' : 'INVALID_INPUT'}
          message={
            error.reason === 'range'
              ? t('chosen.range', { min, max, amount: error.amount })
              : typedFaultMessage(t, 'chosen', error.reason)
          }
        />
      )}
      <Button
        type="primary"
        size="large"
        onClick={onSubmit}
        tabIndex={-1}
        data-testid="to-bill"
        style={{ marginTop: 12 }}
      >
        <kbd>Enter</kbd> {t('counter.toBill')}
      </Button>
    </div>
  );
});
